// The engine scenario's rollouts and the stop scenario's 200-in-flight case, on two builds of
// localros side by side, alternated: each round sends the same case to one server, then to the
// other (the order swapped every round), so that both meet the same machine. Prints, per case and
// build, the median over the rounds of the wall time, the server's CPU time (all threads) and its
// main thread's, and the second build's ratios to the first. On a shared machine CPU time is the
// figure to read; wall time moves with the other processes' turns. Used for bench/README.md:
//   npx tsx bench/paired-engine.ts --builds base=/tmp/localros-base,head=. [--cases seq,par,one,stop] [--rounds 5]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { control } from './lib/control.ts';
import { accounts, regionIds, ros, rpcClient, waitForStatus, type RpcClient } from './lib/rpc.ts';
import { cpuMsOf, readyUrl } from './lib/server.ts';
import { median } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    builds: { type: 'string' },
    cases: { type: 'string', default: 'seq,par,one,stop' },
    rounds: { type: 'string', default: '5' },
  },
});
const builds = (values.builds ?? '').split(',').map((b) => b.split('=') as [string, string]);
if (builds.length !== 2 || builds.some((b) => b.length !== 2)) throw new Error('--builds name=dir,name=dir (two builds)');
const ONE_RESOURCE = JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Resources: { Handle: { Type: 'ALIYUN::ROS::WaitConditionHandle' } } });
const LIMITS = { accountsPerCall: 500, regionsPerCall: 20, stackInstancesPerGroup: 200_000 };

function mainThreadMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface Server {
  client: RpcClient;
  url: string;
  pid: number;
  regions: string[];
  groups: number;
  stop(): void;
}

async function start(dir: string): Promise<Server> {
  const dataDir = mkdtempSync(join(tmpdir(), 'localros-paired-engine-'));
  const config = join(dataDir, 'config.json');
  writeFileSync(config, JSON.stringify({ logLevel: 'warn', limits: LIMITS, simulation: { stackOperationMs: 0 } }));
  // One-off diagnostics (`--cpu-prof`), as bench/lib/server.ts takes them.
  const nodeArgs = (process.env.LOCALROS_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(resolve(dir), 'bin/localros.js'), 'serve', '--port', '0', '--data-dir', dataDir, '--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await readyUrl(child);
  const client = rpcClient(url);
  const regions = await regionIds(client, 20);
  const exited = new Promise((r) => child.once('exit', r));
  return {
    client,
    url,
    pid: child.pid!,
    regions,
    groups: 0,
    stop: () => {
      client.close();
      child.kill('SIGTERM');
      void exited.then(() => rmSync(dataDir, { recursive: true, force: true }));
    },
  };
}

interface Measure {
  wallMs: number;
  cpuMs: number;
  mainMs: number;
}

// A 10,000-target rollout, create call → first SUCCEEDED poll.
async function rollout(s: Server, type: string, template?: string): Promise<Measure> {
  const name = `g${s.groups++}`;
  await ros(s.client).createGroup(name, template);
  const cpu0 = cpuMsOf(s.pid);
  const main0 = mainThreadMs(s.pid);
  const t0 = performance.now();
  const op = await ros(s.client).createInstances(name, accounts(500), s.regions, { MaxConcurrentCount: 20, RegionConcurrencyType: type });
  const done = await waitForStatus(s.client, op, ['SUCCEEDED', 'FAILED', 'STOPPED']);
  if (done.status !== 'SUCCEEDED') throw new Error(`${op} ended ${done.status}`);
  return { wallMs: done.at - t0, cpuMs: cpuMsOf(s.pid) - cpu0, mainMs: mainThreadMs(s.pid) - main0 };
}

// 200 in flight of 1,000 (the stop scenario's third case): release → first STOPPED poll.
async function stop200(s: Server): Promise<Measure> {
  const name = `g${s.groups++}`;
  const api = ros(s.client);
  const faults = control(s.url);
  await api.createGroup(name);
  const hold = await faults.addHold(name, 200);
  const op = await api.createInstances(name, accounts(50), s.regions, { MaxConcurrentCount: 10, RegionConcurrencyType: 'PARALLEL' });
  await faults.waitHeld(hold, 200);
  await api.stop(op);
  const cpu0 = cpuMsOf(s.pid);
  const main0 = mainThreadMs(s.pid);
  await faults.release(hold);
  const t0 = performance.now();
  const done = await waitForStatus(s.client, op, ['STOPPED', 'SUCCEEDED', 'FAILED'], { pause: () => 0 });
  if (done.status !== 'STOPPED') throw new Error(`${op} ended ${done.status}`);
  return { wallMs: done.at - t0, cpuMs: cpuMsOf(s.pid) - cpu0, mainMs: mainThreadMs(s.pid) - main0 };
}

const CASES: Record<string, (s: Server) => Promise<Measure>> = {
  par: (s) => rollout(s, 'PARALLEL'),
  seq: (s) => rollout(s, 'SEQUENTIAL'),
  one: (s) => rollout(s, 'PARALLEL', ONE_RESOURCE),
  stop: stop200,
};
const cases = values.cases!.split(',');
for (const c of cases) if (!CASES[c]) throw new Error(`--cases: one of ${Object.keys(CASES).join(', ')}`);

const servers = await Promise.all(builds.map(([, dir]) => start(dir)));
const seen = new Map<string, Measure[][]>(cases.map((c) => [c, [[], []]]));
try {
  // A warm-up round of every case on both, not counted (JIT, page cache).
  for (const c of cases) for (const s of servers) await CASES[c](s);
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const c of cases) {
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const i of order) seen.get(c)![i].push(await CASES[c](servers[i]));
      const [a, b] = seen.get(c)!.map((runs) => runs.at(-1)!);
      const fmt = (m: Measure) => `${m.wallMs.toFixed(1)} ms wall, ${m.cpuMs} ms CPU (main ${m.mainMs})`;
      console.log(`round ${round} ${c}: ${builds[0][0]} ${fmt(a)} | ${builds[1][0]} ${fmt(b)} (load ${loadavg()[0].toFixed(1)})`);
    }
  }
  for (const c of cases) {
    const [a, b] = seen.get(c)!.map((runs) => ({
      wall: median(runs.map((m) => m.wallMs)),
      cpu: median(runs.map((m) => m.cpuMs)),
      main: median(runs.map((m) => m.mainMs)),
    }));
    const r = (x: number, y: number) => (y / x).toFixed(2);
    console.log(
      `${c}, median of ${values.rounds}: wall ${a.wall.toFixed(1)} → ${b.wall.toFixed(1)} ms (×${r(a.wall, b.wall)}), CPU ${a.cpu} → ${b.cpu} ms (×${r(a.cpu, b.cpu)}), main ${a.main} → ${b.main} ms (×${r(a.main, b.main)})`,
    );
  }
} finally {
  for (const s of servers) s.stop();
}
