// Starts a real `localros serve` process on a free port, as a user would, and stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, dropTestDatabase, onPostgres } from './pg-store.ts';

const BIN = fileURLToPath(new URL('../../scripts/localros-dev.js', import.meta.url));

export interface ServerProcess {
  url: string;
  endpoint: string;
  dataDir: string;
  // The PostgreSQL database, when the tests run on PostgreSQL.
  database?: string;
  child: ChildProcess;
  stop(): Promise<void>;
  kill9(): Promise<void>;
  output(): string;
}

export interface StartOptions {
  config?: Record<string, unknown>;
  dataDir?: string;
  env?: Record<string, string>;
  args?: string[];
  // A PostgreSQL database to share (replicas, a restart); else a fresh one when the tests run on
  // PostgreSQL, dropped at stop.
  database?: string;
}

// A restart passes the data directory again: on PostgreSQL, the same database comes with it.
// Those databases outlive their servers and are dropped when the test process ends.
const databaseOfDataDir = new Map<string, string>();
let dropOnExit = false;
function dropKeptDatabasesOnExit(): void {
  if (dropOnExit) return;
  dropOnExit = true;
  process.once('beforeExit', () => {
    void Promise.all([...databaseOfDataDir.values()].map((url) => dropTestDatabase(url).catch(() => undefined)));
  });
}

export async function startServer(opts: StartOptions = {}): Promise<ServerProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'localros-test-'));
  let database = opts.database;
  const ownDatabase = onPostgres && !database && !opts.dataDir;
  if (onPostgres && !database) {
    database = opts.dataDir ? databaseOfDataDir.get(opts.dataDir) : undefined;
    if (!database) database = await createTestDatabase();
    if (opts.dataDir) {
      databaseOfDataDir.set(opts.dataDir, database);
      dropKeptDatabasesOnExit();
    }
  }
  const args = [BIN, 'serve', '--port', '0', '--data-dir', dataDir, ...(database ? ['--database', database] : []), ...(opts.args ?? [])];
  if (opts.config) {
    const file = join(dataDir, 'config.json');
    writeFileSync(file, JSON.stringify(opts.config));
    args.push('--config', file);
  }
  const child = spawn(process.execPath, args, {
    // On PostgreSQL a restarted server is a new replica, which takes over the operations of the
    // killed one once their leases expire: a short lease keeps restart tests quick.
    env: { ...process.env, LOCALROS_LOG_LEVEL: 'warn', ...(database ? { LOCALROS_LEASE_TIMEOUT_MS: '1500' } : {}), ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const cleanup = async () => {
    if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (ownDatabase) await dropTestDatabase(database!);
  };
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before it was ready:\n${out}`)));
  }).catch(async (e: unknown) => {
    // A server that never got ready (the tests of start-up failures) leaves nothing behind either.
    await cleanup();
    throw e;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    endpoint: url.replace('http://', ''),
    dataDir,
    ...(database ? { database } : {}),
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      await cleanup();
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
