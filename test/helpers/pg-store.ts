// The store the tests run against: SQLite by default, PostgreSQL with LOCALROS_TEST_STORE=postgres
// (`npm run test:postgres`). Each server gets a fresh database, dropped when it is no longer used.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

// The database the test databases are created from; trust authentication on the local server.
const ADMIN_URL = process.env.LOCALROS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const onPostgres = process.env.LOCALROS_TEST_STORE === 'postgres';

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// A new empty database; its URL.
export async function createTestDatabase(): Promise<string> {
  const name = `localros_t_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropTestDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^localros_t_[0-9a-f]+$/.test(name)) throw new Error(`not a test database: ${name}`);
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

// Whether the local PostgreSQL answers: the replica tests skip (with one line) only where none
// is reachable; CI makes sure one is (.ci/run).
export async function postgresReachable(): Promise<boolean> {
  try {
    await admin((c) => c.query('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}

// The store config of an in-process server (`startLocalRos`) for the current test store: a fresh
// database on PostgreSQL, with a short lease so that a restart on it takes over quickly.
export async function testStoreConfig(): Promise<{ config: { database?: string; leaseTimeoutMs?: number }; drop: () => Promise<void> }> {
  if (!onPostgres) return { config: {}, drop: async () => undefined };
  const database = await createTestDatabase();
  return { config: { database, leaseTimeoutMs: 1500 }, drop: () => dropTestDatabase(database) };
}
