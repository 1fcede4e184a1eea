// SQLite driver on better-sqlite3 (WAL). better-sqlite3 is synchronous, so a transaction is
// BEGIN, the callback, COMMIT on one connection; a promise queue keeps transactions from
// interleaving while a callback awaits.
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db, SqlParams } from './db.ts';
import { migrate } from './migrate.ts';

type Statement = Database.Statement;

class SqliteDb implements Db {
  private readonly statements = new Map<string, Statement>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly sqlite: Database.Database,
    private readonly onClose: () => void,
  ) {}

  private prepare(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.sqlite.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  async all<T>(sql: string, params: SqlParams = {}): Promise<T[]> {
    return this.prepare(sql).all(params) as T[];
  }

  async get<T>(sql: string, params: SqlParams = {}): Promise<T | undefined> {
    return this.prepare(sql).get(params) as T | undefined;
  }

  async run(sql: string, params: SqlParams = {}): Promise<{ changes: number }> {
    return { changes: this.prepare(sql).run(params).changes };
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const result = this.queue.then(async () => {
      this.sqlite.exec('BEGIN IMMEDIATE');
      try {
        const value = await fn(new JoinedTransaction(this));
        this.sqlite.exec('COMMIT');
        return value;
      } catch (e) {
        if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK');
        throw e;
      }
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    await this.queue;
    this.sqlite.close();
    this.onClose();
  }
}

// The handle a transaction callback gets: same statements, and a nested transaction() joins.
class JoinedTransaction implements Db {
  constructor(private readonly root: SqliteDb) {}
  all<T>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.root.all<T>(sql, params);
  }
  get<T>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return this.root.get<T>(sql, params);
  }
  run(sql: string, params?: SqlParams): Promise<{ changes: number }> {
    return this.root.run(sql, params);
  }
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return fn(this);
  }
  close(): Promise<void> {
    return Promise.reject(new Error('cannot close the database from inside a transaction'));
  }
}

export function openSqlite(opts: { dataDir: string; inMemory: boolean }): Db {
  // In-memory mode is the same code on a throw-away directory (the miniflare pattern), so both
  // modes run one code path.
  const dir = opts.inMemory ? mkdtempSync(join(tmpdir(), 'localros-')) : opts.dataDir;
  mkdirSync(dir, { recursive: true });
  const sqlite = new Database(join(dir, 'localros.db'));
  sqlite.pragma('journal_mode = WAL');
  // NORMAL in WAL mode survives a process crash (kill -9); only an OS crash can lose the last
  // commits.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // One process owns the database: holding the lock for good spares two fcntl calls per read.
  sqlite.pragma('locking_mode = EXCLUSIVE');
  migrate(sqlite);
  return new SqliteDb(sqlite, () => {
    if (opts.inMemory) rmSync(dir, { recursive: true, force: true });
  });
}
