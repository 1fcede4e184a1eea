// SQLite driver on better-sqlite3 (WAL). better-sqlite3 is synchronous, so a transaction is
// BEGIN, the callback, COMMIT on one connection; a promise queue keeps transactions from
// interleaving while a callback awaits.
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StartupError } from '../startup-error.ts';
import { afterCommitOutsideTransaction, TransactionQueue, type Db, type SqlParams } from './db.ts';
import { migrate } from './migrate.ts';

// A statement as the driver runs it. The SQL's `@name` parameters are rewritten to `?` once,
// at prepare, and bound from an array; reads return raw arrays turned into objects by a
// constructor generated for the statement's columns. better-sqlite3's own named binding and row
// objects look every name up through V8's generic property paths, which cost a third of a
// point read (bench/README.md).
interface Prepared {
  stmt: Database.Statement;
  names: string[];
  toObject?: (row: unknown[]) => unknown;
}

export function positionalSql(sql: string): { sql: string; names: string[] } {
  const names: string[] = [];
  // Quoted strings and identifiers are copied as they are; an @name outside them is a parameter.
  const text = sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|@([A-Za-z_][A-Za-z0-9_]*)/g, (whole, name: string | undefined) => {
    if (name === undefined) return whole;
    names.push(name);
    return '?';
  });
  return { sql: text, names };
}

function rowConstructor(columns: string[]): (row: unknown[]) => unknown {
  // One object literal of a fixed shape: every row of a statement shares its hidden class.
  return new Function('r', `return {${columns.map((c, i) => `${JSON.stringify(c)}: r[${i}]`).join(', ')}};`) as (row: unknown[]) => unknown;
}

function bind(p: Prepared, params: SqlParams): readonly unknown[] {
  if (Array.isArray(params)) return params;
  const named = params as Record<string, unknown>;
  const values = new Array<unknown>(p.names.length);
  for (let i = 0; i < p.names.length; i++) {
    const name = p.names[i];
    const value = named[name];
    if (value === undefined && !(name in named)) throw new RangeError(`Missing named parameter "${name}"`);
    values[i] = value;
  }
  return values;
}

class SqliteDb implements Db {
  private readonly statements = new Map<string, Prepared>();
  private readonly queue = new TransactionQueue();

  constructor(
    private readonly sqlite: Database.Database,
    private readonly onClose: () => void,
  ) {}

  private prepare(sql: string): Prepared {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      const positional = positionalSql(sql);
      const stmt = this.sqlite.prepare(positional.sql);
      prepared = { stmt, names: positional.names };
      if (stmt.reader) {
        stmt.raw(true);
        prepared.toObject = rowConstructor(stmt.columns().map((c) => c.name));
      }
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  async all<T>(sql: string, params: SqlParams = {}): Promise<T[]> {
    const p = this.prepare(sql);
    const rows = p.stmt.all(bind(p, params)) as unknown[][];
    const out = new Array<T>(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = p.toObject!(rows[i]) as T;
    return out;
  }

  async get<T>(sql: string, params: SqlParams = {}): Promise<T | undefined> {
    return this.getNow<T>(sql, params);
  }

  getNow<T>(sql: string, params: SqlParams = {}): T | undefined {
    const p = this.prepare(sql);
    const row = p.stmt.get(bind(p, params)) as unknown[] | undefined;
    return row === undefined ? undefined : (p.toObject!(row) as T);
  }

  async run(sql: string, params: SqlParams = {}): Promise<{ changes: number }> {
    const p = this.prepare(sql);
    return { changes: p.stmt.run(bind(p, params)).changes };
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      this.sqlite.exec('BEGIN IMMEDIATE');
      const tx = new JoinedTransaction(this);
      try {
        const value = await fn(tx);
        this.sqlite.exec('COMMIT');
        return { value, afterCommit: tx.afterCommitted };
      } catch (e) {
        if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK');
        throw e;
      }
    });
  }

  afterCommit(): never {
    return afterCommitOutsideTransaction();
  }

  // Foreign keys are checked at commit, when every table is empty, so the order does not matter.
  async clearTables(keep: ReadonlySet<string>): Promise<void> {
    await this.transaction(async (tx) => {
      await tx.run('PRAGMA defer_foreign_keys = ON');
      const tables = await tx.all<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`);
      for (const { name } of tables) if (!keep.has(name)) await tx.run(`DELETE FROM "${name.replaceAll('"', '""')}"`);
    });
  }

  async close(): Promise<void> {
    await this.queue.drained();
    this.sqlite.close();
    this.onClose();
  }
}

// The handle a transaction callback gets: same statements, and a nested transaction() joins.
class JoinedTransaction implements Db {
  readonly afterCommitted: (() => Promise<void>)[] = [];
  constructor(private readonly root: SqliteDb) {}
  afterCommit(fn: () => Promise<void>): void {
    this.afterCommitted.push(fn);
  }
  all<T>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.root.all<T>(sql, params);
  }
  get<T>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return this.root.get<T>(sql, params);
  }
  getNow<T>(sql: string, params?: SqlParams): T | undefined {
    return this.root.getNow<T>(sql, params);
  }
  run(sql: string, params?: SqlParams): Promise<{ changes: number }> {
    return this.root.run(sql, params);
  }
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return fn(this);
  }
  clearTables(): Promise<void> {
    return Promise.reject(new Error('cannot clear the database from inside a transaction'));
  }
  close(): Promise<void> {
    return Promise.reject(new Error('cannot close the database from inside a transaction'));
  }
}

// The pid of the process holding the data directory, so that a second server can name it.
// Informative only: the lock itself is SQLite's, which the OS releases even after kill -9.
const PID_FILE = 'localros.pid';
const PAGE_SIZE = 16_384;
const WAL_CHECKPOINT_BYTES = 40 * 1024 * 1024;

export function openSqlite(opts: { dataDir: string; inMemory: boolean }): Db {
  // In-memory mode is the same code on a throw-away directory (the miniflare pattern), so both
  // modes run one code path.
  const dir = opts.inMemory ? mkdtempSync(join(tmpdir(), 'localros-')) : opts.dataDir;
  let sqlite: Database.Database;
  try {
    mkdirSync(dir, { recursive: true });
    // No busy wait at open: a directory held by another server is reported at once.
    sqlite = new Database(join(dir, 'localros.db'), { timeout: 0 });
  } catch (e) {
    throw unwritable(dir, e);
  }
  try {
    // One process owns the database: holding the lock for good spares two fcntl calls per
    // read. Taken here, before anything else, by the first write.
    sqlite.pragma('locking_mode = EXCLUSIVE');
    // Only a new database takes it (in WAL mode an existing one keeps its size for good). A turn's
    // rows touch a quarter of the pages they touch at SQLite's default 4 KiB: replayed rollouts
    // cost SQLite 0.82–0.93× the CPU (bench/README.md, round seven).
    sqlite.pragma(`page_size = ${PAGE_SIZE}`);
    sqlite.pragma('journal_mode = WAL');
    sqlite.exec('BEGIN EXCLUSIVE; COMMIT');
    writeFileSync(join(dir, PID_FILE), `${process.pid}\n`);
  } catch (e) {
    sqlite.close();
    if ((e as { code?: string }).code === 'SQLITE_BUSY') throw held(dir);
    throw unwritable(dir, e);
  }
  // NORMAL in WAL mode survives a process crash (kill -9); only an OS crash can lose the last
  // commits.
  sqlite.pragma('synchronous = NORMAL');
  // In WAL mode with NORMAL, the checkpoint is the only write that waits for the disk (two
  // fsyncs), and it runs inside whichever COMMIT crosses the threshold, so inside an engine turn.
  // At SQLite's default of 1,000 pages a 10,000-target rollout paid ~40 of them (5–30 ms each);
  // a checkpoint every 40 MB of log pays a tenth as many, and each writes a page rewritten many
  // times over once. Counted in pages, of whatever size the database has.
  sqlite.pragma(`wal_autocheckpoint = ${Math.round(WAL_CHECKPOINT_BYTES / (sqlite.pragma('page_size', { simple: true }) as number))}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  migrate(sqlite);
  return new SqliteDb(sqlite, () => {
    rmSync(opts.inMemory ? dir : join(dir, PID_FILE), { recursive: true, force: true });
  });
}

function held(dir: string): StartupError {
  let pid = '';
  try {
    pid = readFileSync(join(dir, PID_FILE), 'utf8').trim();
  } catch {
    // Written a moment after the lock is taken; without it the message names no pid.
  }
  return new StartupError(
    `the data directory ${dir} is in use by another localros${/^\d+$/.test(pid) ? ` (pid ${pid})` : ''}: stop it, or choose another directory with --data-dir (or --in-memory)`,
  );
}

function unwritable(dir: string, e: unknown): StartupError {
  const reason = (e as { code?: string }).code ?? (e as Error).message;
  return new StartupError(`the data directory ${dir} is not writable (${reason}): choose another with --data-dir, or use --in-memory`);
}
