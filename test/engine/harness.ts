// The in-process engine tier: a whole server (Services, engine, HTTP) in the test's process on
// an in-memory or temporary SQLite database, driven through the official SDK and the control
// plane, with a fake clock the test moves by hand. No child process and no real waiting, so
// these tests are fast enough to run for every mutant of src/engine/ (docs/testing.md).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRosClient } from '../../src/client/ros-client.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/log.ts';
import { createServer, type LocalRosServer } from '../../src/server.ts';
import type { Clock } from '../../src/engine/clock.ts';
import type { Db, SqlParams } from '../../src/store/db.ts';
import { control, waitFor } from '../helpers/control.ts';
import { ros } from '../helpers/ros.ts';

// Time stands still until `advance`; `sleep` resolves once the clock has passed its deadline.
export class FakeClock implements Clock {
  private sleepers: { until: number; wake: () => void }[] = [];
  // Starts at the real time: request signatures are checked for freshness against this clock.
  constructor(private ms = Date.now()) {}

  now(): number {
    return this.ms;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.sleepers.push({ until: this.ms + ms, wake }));
  }

  // How many sleeps are waiting: the way to see that an action is under way on the clock.
  get sleeping(): number {
    return this.sleepers.length;
  }

  // Waits (in real time, bounded) until `count` sleeps are waiting.
  async waitSleeping(count: number): Promise<void> {
    await waitFor(async () => this.sleepers.length, (n) => n >= count);
  }

  // Clock time until the first sleep ends: how long the action under way takes.
  get nextWakeIn(): number | undefined {
    return this.sleepers.length ? Math.min(...this.sleepers.map((s) => s.until)) - this.ms : undefined;
  }

  // A stopped server's sleeps never end: its process is gone (a restart).
  forgetSleeping(): void {
    this.sleepers = [];
  }

  advance(ms: number): void {
    this.ms += ms;
    const due = this.sleepers.filter((s) => s.until <= this.ms);
    this.sleepers = this.sleepers.filter((s) => s.until > this.ms);
    for (const s of due) s.wake();
  }
}

// Replicas of one database start their clocks at the same instant, as real replicas' clocks agree:
// leases, heartbeats and held targets expire on them (docs/scale-out.md), so a replica started
// seconds after another on a loaded machine must not see the other's renewals as expired.
const epochs = new Map<unknown, number>();
function replicaEpoch(database: unknown): number {
  if (database === undefined) return Date.now();
  if (!epochs.has(database)) epochs.set(database, Date.now());
  return epochs.get(database)!;
}

export interface EngineHarness {
  url: string;
  clock: FakeClock;
  api: ReturnType<typeof ros>;
  ctl: ReturnType<typeof control>;
  server: LocalRosServer;
  dataDir: string | undefined;
  stop(): Promise<void>;
  // Stops the server and starts another on the same data directory and clock (a restart).
  restart(): Promise<EngineHarness>;
  // The database refuses, once, a statement matching `sql` run in a transaction (the first, or
  // the one after `skip` others): that transaction rolls back and its caller gets the error (a
  // lost connection, a full disk). Resolves once it has refused.
  refuseOnce(sql: RegExp, skip?: number): Promise<void>;
}

export interface HarnessOptions {
  config?: Record<string, unknown>;
  clock?: FakeClock;
  // On disk (a temporary directory, removed by stop) when the test restarts the server.
  persistent?: boolean;
  dataDir?: string;
  // Whether stop removes `dataDir`: a restart hands its directory on with it, so that whichever
  // harness is stopped last removes a directory the harness made (not one the test gave).
  ownsDataDir?: boolean;
}

export async function startEngine(opts: HarnessOptions = {}): Promise<EngineHarness> {
  const dataDir = opts.dataDir ?? (opts.persistent ? mkdtempSync(join(tmpdir(), 'localros-engine-')) : undefined);
  const ownsDataDir = opts.ownsDataDir ?? (dataDir !== undefined && opts.dataDir === undefined);
  const config = loadConfig({
    flags: { port: 0, logLevel: 'silent', simulation: { stackOperationMs: 0 }, ...(dataDir ? { dataDir, inMemory: false } : { inMemory: true }), ...opts.config },
  });
  const clock = opts.clock ?? new FakeClock(replicaEpoch(opts.config?.database));
  const server = await createServer(config, createLogger(config.logLevel, config.logFormat), clock);
  const { url } = await server.start();
  const endpoint = url.slice('http://'.length);
  const account = config.accounts[0];
  const client = createRosClient({ endpoint, credentials: { ...account.accessKeys[0] }, regionId: 'cn-hangzhou', timeoutMs: 60_000 });
  let stopped: Promise<void> | undefined;
  const harness: EngineHarness = {
    url,
    clock,
    api: ros(client),
    ctl: control(url),
    server,
    dataDir,
    stop: async () => {
      await (stopped ??= server.stop());
      if (dataDir && ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    refuseOnce: (sql, skip = 0) => refuseOnce(server.services.db, sql, skip),
    restart: async () => {
      await (stopped ??= server.stop());
      clock.forgetSleeping();
      // The new harness owns the directory from now on, through its own restarts too.
      return startEngine({ ...opts, clock, dataDir, ownsDataDir });
    },
  };
  return harness;
}

// Replaces the database's transaction method with one whose transaction handle refuses the
// statement matching `sql` after `skip` others; every other statement goes through.
function refuseOnce(db: Db, sql: RegExp, skip: number): Promise<void> {
  return new Promise((refused) => {
    let armed = true;
    const transaction = db.transaction.bind(db);
    const refusing = (tx: Db): Db =>
      new Proxy(tx, {
        get(target, prop) {
          const value: unknown = Reflect.get(target, prop, target);
          if (typeof value !== 'function') return value;
          if (prop === 'transaction') return <T>(fn: (inner: Db) => Promise<T>) => target.transaction(() => fn(refusing(target)));
          if (prop !== 'run' && prop !== 'all' && prop !== 'get') return value.bind(target);
          return (statement: string, params?: SqlParams) => {
            if (armed && sql.test(statement) && skip-- === 0) {
              armed = false;
              refused();
              return Promise.reject(new Error(`refused by the test: ${statement}`));
            }
            return (value as (s: string, p?: SqlParams) => Promise<unknown>).call(target, statement, params);
          };
        },
      });
    db.transaction = <T>(fn: (tx: Db) => Promise<T>) => transaction((tx) => fn(armed ? refusing(tx) : tx));
  });
}
