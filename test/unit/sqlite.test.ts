import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openSqlite, positionalSql } from '../../src/store/sqlite.ts';

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
});
