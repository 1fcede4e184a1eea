import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { Db } from '../../src/store/db.ts';
import { openSqlite, positionalSql } from '../../src/store/sqlite.ts';

const pragma = async (db: Db, name: string): Promise<unknown> => Object.values((await db.get<Record<string, unknown>>(`PRAGMA ${name}`))!)[0];

describe('positional SQL', () => {
  it('turns each @name into ? in order, repeats included', () => {
    assert.deepEqual(positionalSql('SELECT * FROM t WHERE a = @a AND (@b IS NULL OR b = @b)'), {
      sql: 'SELECT * FROM t WHERE a = ? AND (? IS NULL OR b = ?)',
      names: ['a', 'b', 'b'],
    });
  });

  it('leaves @ inside quoted strings and identifiers alone', () => {
    assert.deepEqual(positionalSql(`SELECT '@x', 'it''s @y', "@z" FROM t WHERE v ->> '$.a' = @v`), {
      sql: `SELECT '@x', 'it''s @y', "@z" FROM t WHERE v ->> '$.a' = ?`,
      names: ['v'],
    });
  });
});

describe('the SQLite driver', () => {
  it('binds named parameters, returns rows as objects and refuses a missing parameter', async () => {
    const db = openSqlite({ dataDir: '', inMemory: true });
    try {
      await db.run(`CREATE TABLE pairs (k TEXT PRIMARY KEY, v INTEGER, note TEXT)`);
      await db.run(`INSERT INTO pairs (k, v, note) VALUES (@k, @v, @note)`, { k: 'a', v: 1, note: null, extra: 'ignored' });
      await db.run(`INSERT INTO pairs (k, v, note) VALUES (@k, @v, @note)`, { k: 'b', v: 2, note: "it's" });
      assert.deepEqual(await db.get(`SELECT k, v, note, v * 10 AS "v*10" FROM pairs WHERE k = @k`, { k: 'b' }), { k: 'b', v: 2, note: "it's", 'v*10': 20 });
      assert.equal(await db.get(`SELECT * FROM pairs WHERE k = @k`, { k: 'none' }), undefined);
      assert.deepEqual(await db.all(`SELECT k FROM pairs WHERE v >= @min ORDER BY k`, { min: 1 }), [{ k: 'a' }, { k: 'b' }]);
      assert.deepEqual(await db.all(`SELECT k FROM pairs WHERE v > @min`, { min: 5 }), []);
      await assert.rejects(db.run(`UPDATE pairs SET v = @v WHERE k = @k`, { k: 'a' }), /Missing named parameter "v"/);
      assert.deepEqual(await db.run(`UPDATE pairs SET v = @v WHERE k = @k`, { k: 'a', v: 7 }), { changes: 1 });
    } finally {
      await db.close();
    }
  });

  it('runs afterCommit callbacks once the outermost transaction commits, free to open their own, and never after a rollback', async () => {
    const db = openSqlite({ dataDir: '', inMemory: true });
    try {
      await db.run(`CREATE TABLE log (n INTEGER)`);
      const seen: number[][] = [];
      const count = async () => (await db.all<{ n: number }>(`SELECT n FROM log ORDER BY n`)).map((r) => r.n);
      await db.transaction(async (tx) => {
        await tx.run(`INSERT INTO log (n) VALUES (1)`);
        await tx.transaction(async (inner) => inner.afterCommit(async () => void seen.push(await count())));
        tx.afterCommit(async () => db.transaction(async (next) => void (await next.run(`INSERT INTO log (n) VALUES (2)`))));
        assert.deepEqual(seen, [], 'not before the commit');
      });
      assert.deepEqual(seen, [[1]], 'the nested callback saw the committed row');
      assert.deepEqual(await count(), [1, 2], 'the second callback ran its own transaction before the first resolved');

      await assert.rejects(
        db.transaction(async (tx) => {
          tx.afterCommit(async () => void seen.push([-1]));
          throw new Error('rolled back');
        }),
        /rolled back/,
      );
      assert.deepEqual(seen, [[1]]);
      assert.throws(() => db.afterCommit(async () => undefined), /only available inside a transaction/);
    } finally {
      await db.close();
    }
  });

  it('makes a new database with 16 KiB pages, keeps an existing one at its own size, and checkpoints its log every 40 MB either way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'localros-pages-'));
    try {
      const fresh = openSqlite({ dataDir: join(dir, 'new'), inMemory: false });
      assert.equal(await pragma(fresh, 'page_size'), 16_384);
      assert.equal(await pragma(fresh, 'wal_autocheckpoint'), 2_560);
      await fresh.close();

      // A data directory made before: SQLite's default 4 KiB, already in WAL mode.
      const old = new Database(join(dir, 'localros.db'));
      old.pragma('journal_mode = WAL');
      old.exec('CREATE TABLE kept (v TEXT); INSERT INTO kept VALUES (\'before\')');
      old.close();
      const reopened = openSqlite({ dataDir: dir, inMemory: false });
      try {
        assert.equal(await pragma(reopened, 'page_size'), 4_096);
        assert.equal(await pragma(reopened, 'wal_autocheckpoint'), 10_240);
        assert.deepEqual(await reopened.all(`SELECT v FROM kept`), [{ v: 'before' }]);
      } finally {
        await reopened.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
