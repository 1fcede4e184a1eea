// PostgreSQL driver on `pg`, for several replicas sharing one database (docs/scale-out.md).
// The SQL is the SQLite SQL, translated once per statement by pg-dialect.ts.
//
// Transactions keep the contract of db.ts, "transactions are serialized", across replicas: each
// one takes the same transaction-scoped advisory lock first, as SQLite's BEGIN IMMEDIATE takes
// its one write lock. Every read-then-write of the domain (a ClientToken, the one operation per
// group, Stop against a target's start) is therefore as safe between replicas as it is in one
// process, without retry loops around callbacks that were never written to run twice. Reads
// outside a transaction run concurrently on the pool.
import pg from 'pg';
import { StartupError } from '../startup-error.ts';
import { afterCommitOutsideTransaction, TransactionQueue, type Db, type SqlParams } from './db.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { pgMigration, pgStatement, ROWID_COLUMN } from './pg-dialect.ts';

// Arbitrary constants naming localros's advisory locks in the database.
const WRITE_LOCK = 0x10ca1205;
const MIGRATION_LOCK = 0x10ca1206;
const BEGIN_LOCKED = `BEGIN; SELECT pg_advisory_xact_lock(${WRITE_LOCK})`;

// Numbers as SQLite returns them: 64-bit integers and aggregates as numbers (they stay far below
// 2^53), booleans (from comparisons in a select list) as 1 and 0.
const pgTypes = {
  getTypeParser(oid: number, format?: string): (value: string) => unknown {
    if (oid === 20 || oid === 1700) return Number;
    if (oid === 16) return (v: string) => (v === 't' ? 1 : 0);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

interface Prepared {
  name: string;
  text: string;
  slots: (string | number)[];
  toObject?: (row: unknown[]) => unknown;
}

type Queryable = Pick<pg.PoolClient, 'query'>;

function bind(p: Prepared, params: SqlParams): unknown[] {
  const values = new Array<unknown>(p.slots.length);
  if (Array.isArray(params)) {
    for (let i = 0; i < p.slots.length; i++) values[i] = params[p.slots[i] as number];
    return values;
  }
  const named = params as Record<string, unknown>;
  for (let i = 0; i < p.slots.length; i++) {
    const name = p.slots[i] as string;
    const value = named[name];
    if (value === undefined && !(name in named)) throw new RangeError(`Missing named parameter "${name}"`);
    values[i] = value;
  }
  return values;
}

function rowConstructor(columns: string[]): (row: unknown[]) => unknown {
  const kept = columns.map((c, i) => [c, i] as const).filter(([c]) => c !== ROWID_COLUMN);
  return new Function('r', `return {${kept.map(([c, i]) => `${JSON.stringify(c)}: r[${i}]`).join(', ')}};`) as (row: unknown[]) => unknown;
}

class Statements {
  private readonly cache = new Map<string, Prepared>();
  get(sql: string): Prepared {
    let p = this.cache.get(sql);
    if (!p) {
      const { text, slots } = pgStatement(sql);
      // Named: each pooled connection parses and plans it once.
      p = { name: `localros_${this.cache.size}`, text, slots };
      this.cache.set(sql, p);
    }
    return p;
  }
}

async function query(on: Queryable, p: Prepared, params: SqlParams): Promise<pg.QueryArrayResult> {
  const result = await on.query<unknown[]>({ name: p.name, text: p.text, values: bind(p, params), rowMode: 'array' });
  if (!p.toObject && result.fields.length) p.toObject = rowConstructor(result.fields.map((f) => f.name));
  return result;
}

async function all<T>(on: Queryable, p: Prepared, params: SqlParams): Promise<T[]> {
  const { rows } = await query(on, p, params);
  const out = new Array<T>(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = p.toObject!(rows[i]) as T;
  return out;
}

class PostgresDb implements Db {
  private readonly statements = new Statements();
  private readonly queue = new TransactionQueue();

  constructor(readonly pool: pg.Pool) {}

  all<T>(sql: string, params: SqlParams = {}): Promise<T[]> {
    return all<T>(this.pool, this.statements.get(sql), params);
  }

  async get<T>(sql: string, params: SqlParams = {}): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async run(sql: string, params: SqlParams = {}): Promise<{ changes: number }> {
    return { changes: (await query(this.pool, this.statements.get(sql), params)).rowCount ?? 0 };
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    // One transaction at a time per process: the others would only wait for the lock while
    // holding a pooled connection each.
    return this.queue.run(async () => {
      const client = await this.pool.connect();
      let broken = false;
      try {
        // One round trip: the lock is the transaction's first statement.
        await client.query(BEGIN_LOCKED);
        const tx = new PgTransaction(client, this.statements);
        const value = await fn(tx);
        await client.query('COMMIT');
        return { value, afterCommit: tx.afterCommitted };
      } catch (e) {
        await client.query('ROLLBACK').catch(() => (broken = true));
        throw e;
      } finally {
        client.release(broken);
      }
    });
  }

  afterCommit(): never {
    return afterCommitOutsideTransaction();
  }

  async clearTables(keep: ReadonlySet<string>): Promise<void> {
    await this.transaction(async (tx) => {
      const tables = (await tx.all<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()`))
        .map((t) => t.name)
        .filter((name) => !keep.has(name) && name !== SCHEMA_TABLE);
      if (tables.length) await tx.run(`TRUNCATE ${tables.map((t) => `"${t.replaceAll('"', '""')}"`).join(', ')}`);
    });
  }

  async close(): Promise<void> {
    await this.queue.drained();
    await this.pool.end();
  }
}

class PgTransaction implements Db {
  readonly afterCommitted: (() => Promise<void>)[] = [];
  constructor(
    private readonly client: pg.PoolClient,
    private readonly statements: Statements,
  ) {}
  afterCommit(fn: () => Promise<void>): void {
    this.afterCommitted.push(fn);
  }
  all<T>(sql: string, params: SqlParams = {}): Promise<T[]> {
    return all<T>(this.client, this.statements.get(sql), params);
  }
  async get<T>(sql: string, params: SqlParams = {}): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }
  async run(sql: string, params: SqlParams = {}): Promise<{ changes: number }> {
    return { changes: (await query(this.client, this.statements.get(sql), params)).rowCount ?? 0 };
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

// The applied migrations, one row.
const SCHEMA_TABLE = 'localros_schema';

// Replicas that start together take turns on a session advisory lock; the first applies the
// migrations, the others find them applied.
async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS ${SCHEMA_TABLE} (version BIGINT NOT NULL)`);
    let current = Number((await client.query<{ version: number }>(`SELECT version FROM ${SCHEMA_TABLE}`)).rows[0]?.version ?? -1);
    if (current < 0) {
      await client.query(`INSERT INTO ${SCHEMA_TABLE} (version) VALUES (0)`);
      current = 0;
    }
    if (current > MIGRATIONS.length) {
      throw new StartupError(`the database was written by a newer localros (schema ${current}, this build knows ${MIGRATIONS.length})`);
    }
    for (let version = current; version < MIGRATIONS.length; version++) {
      await client.query('BEGIN');
      try {
        await client.query(pgMigration(version, MIGRATIONS[version]));
        await client.query(`UPDATE ${SCHEMA_TABLE} SET version = $1`, [version + 1]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

export async function openPostgres(url: string): Promise<Db> {
  // synchronous_commit off: a commit returns before its WAL reaches the disk, as SQLite's
  // synchronous=NORMAL does (a database crash, not a localros one, can lose the last commits).
  // Waiting for the flush made every engine turn a disk round trip (bench/README.md).
  const pool = new pg.Pool({ connectionString: url, types: pgTypes, max: 8, options: '-c synchronous_commit=off' });
  // A connection lost while idle (the database restarted) is replaced by the next query.
  pool.on('error', () => undefined);
  try {
    await migrate(pool);
  } catch (e) {
    await pool.end();
    if (e instanceof StartupError) throw e;
    throw new StartupError(`cannot use the database ${redact(url)}: ${(e as Error).message}`);
  }
  return new PostgresDb(pool);
}

// A URL as it may be logged: without its password.
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@/]*@/, '$1:***@');
}
