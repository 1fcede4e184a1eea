// Scale-out (issue 16): the 10,000-target rollout and the API read rate on SQLite (one process)
// and on PostgreSQL with 1 and 3 replicas, in one run. On PostgreSQL the rollout is accepted by
// one replica, which coordinates it (operations are owned by leases) and shares its targets with
// the other replicas (docs/scale-out.md), while the reads are spread over every replica. On a 2-core machine the point is that the rules hold with
// three replicas, not a 3× figure. Needs the local PostgreSQL (LOCALROS_BENCH_PG_URL, default
// postgres://postgres@127.0.0.1:5432/test); each setup gets a fresh database, dropped after.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { BenchContext } from '../lib/context.ts';
import { measureLoad, type LoadResult } from '../lib/load.ts';
import { figure, type Figure } from '../lib/report.ts';
import { accounts, REGION, regionIds, ros, rpcClient, waitForStatus } from '../lib/rpc.ts';
import { startLocalRos, type LocalRosProcess } from '../lib/server.ts';

const SCENARIO = 'Scale-out';
const ADMIN_URL = process.env.LOCALROS_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const LIMITS = { accountsPerCall: 500, regionsPerCall: 20, stackInstancesPerGroup: 20_000 };
const READ_SECONDS = 4;
const CONNECTIONS_PER_REPLICA = 8;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

interface Setup {
  name: string;
  replicas: number;
  postgres: boolean;
}

const SETUPS: Setup[] = [
  { name: 'SQLite, 1 process', replicas: 1, postgres: false },
  { name: 'PostgreSQL, 1 replica', replicas: 1, postgres: true },
  { name: 'PostgreSQL, 3 replicas', replicas: 3, postgres: true },
];

export async function scaleOutScenario(ctx: BenchContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  const rates = new Map<string, { targets: number; reads: number }>();
  for (const setup of SETUPS) {
    const name = `localros_bench_${randomBytes(6).toString('hex')}`;
    if (setup.postgres) await admin(`CREATE DATABASE ${name}`);
    const database = setup.postgres ? Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString() : undefined;
    const servers: LocalRosProcess[] = [];
    try {
      for (let i = 0; i < setup.replicas; i++) {
        servers.push(
          await startLocalRos({
            config: { logLevel: 'warn', limits: LIMITS, simulation: { stackOperationMs: 0 }, ...(database ? { database } : {}) },
            cpuProfDir: ctx.cpuProfDir,
          }),
        );
      }
      const client = rpcClient(servers[0].url);
      const regions = await regionIds(client, 20);
      await ros(client).createGroup('scale-out');
      ctx.log(`scale-out: ${setup.name}, 10,000-target rollout`);
      const t0 = performance.now();
      const operationId = await ros(client).createInstances('scale-out', accounts(500), regions, { MaxConcurrentCount: 20, RegionConcurrencyType: 'PARALLEL' });
      const done = await waitForStatus(client, operationId, ['SUCCEEDED', 'FAILED']);
      if (done.status !== 'SUCCEEDED') throw new Error(`${setup.name}: the rollout ended ${done.status}`);
      const targetsPerSecond = 10_000_000 / (performance.now() - t0);
      client.close();

      ctx.log(`scale-out: ${setup.name}, GetStackGroupOperation on every replica at once`);
      const loads: LoadResult[] = await Promise.all(
        servers.map((s) =>
          measureLoad(
            { url: s.url, host: s.host, action: 'GetStackGroupOperation', params: { RegionId: REGION, OperationId: operationId }, connections: CONNECTIONS_PER_REPLICA },
            READ_SECONDS,
          ),
        ),
      );
      const unexpected = loads.reduce((n, l) => n + l.requests - (l.statuses[200] ?? 0), 0);
      if (unexpected) throw new Error(`${setup.name}: ${unexpected} reads were not answered 200`);
      const reads = loads.reduce((sum, l) => sum + l.rps, 0);
      rates.set(setup.name, { targets: targetsPerSecond, reads });
      figures.push(
        figure(SCENARIO, `${setup.name}: 10,000-target rollout, window 20 × 20 regions`, targetsPerSecond, 'targets/s'),
        figure(SCENARIO, `${setup.name}: GetStackGroupOperation, ${CONNECTIONS_PER_REPLICA} connections per replica, all replicas`, reads, 'req/s'),
      );
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
      for (const s of servers) s.cleanup();
      if (setup.postgres) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  }
  // Same-run ratios: PostgreSQL against SQLite, and 3 replicas against 1.
  const sqlite = rates.get(SETUPS[0].name)!;
  const one = rates.get(SETUPS[1].name)!;
  const three = rates.get(SETUPS[2].name)!;
  ctx.log(
    `scale-out ratios: rollout PG1/SQLite ${(one.targets / sqlite.targets).toFixed(2)}, PG3/PG1 ${(three.targets / one.targets).toFixed(2)}; ` +
      `reads PG1/SQLite ${(one.reads / sqlite.reads).toFixed(2)}, PG3/PG1 ${(three.reads / one.reads).toFixed(2)}`,
  );
  return figures;
}
