// Two builds of localros loaded at the same moment by one generator, round after round: on a
// machine shared with other work, contention then hits both alike, where runs taken one after
// the other (even alternated) differed by 2× for the same build. Each build is a directory with
// `bin/localros.js` and a built `dist/` (a `git worktree` of the base commit beside this one,
// `npm run build` in it). Prints, per round, each build's requests/s, p99, server CPU per answer
// (all threads, and the main thread alone) and the ratios of the second build to the first, then
// their medians over the rounds after the first (JIT warm-up), each taken over pairs of rounds
// (the geometric mean of a round and the next, which loads the two in the other order, see
// below). The two may be one directory run
// with other node flags (`--node-args name=flags`, e.g. a V8 flag under trial). Used for
// bench/README.md:
//   npx tsx bench/paired.ts --builds base=/tmp/localros-base,head=. [--action Get|List|Stop]
//       [--rounds 7] [--connections 16] [--amount 15000] [--node-args 'head=--no-parallel-scavenge']
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runLoad } from './lib/load.ts';
import { accounts, REGION, ros, rpcClient, waitForStatus } from './lib/rpc.ts';
import { cpuMsOf, readyUrl } from './lib/server.ts';
import { median } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    builds: { type: 'string' },
    action: { type: 'string', default: 'Get' },
    rounds: { type: 'string', default: '7' },
    connections: { type: 'string', default: '16' },
    amount: { type: 'string', default: '15000' },
    'node-args': { type: 'string', multiple: true, default: [] },
  },
});
const builds = (values.builds ?? '').split(',').map((b) => b.split('=') as [string, string]);
if (builds.length !== 2 || builds.some((b) => b.length !== 2) || builds[0]![0] === builds[1]![0]) throw new Error('--builds name=dir,name=dir (two builds, two names)');
const nodeArgs = new Map(values['node-args'].map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1).split(' ').filter(Boolean)]));
const ACTIONS: Record<string, (op: string) => { action: string; params: Record<string, string | number> }> = {
  Get: (op) => ({ action: 'GetStackGroupOperation', params: { RegionId: REGION, OperationId: op } }),
  List: () => ({ action: 'ListStackInstances', params: { RegionId: REGION, StackGroupName: 'bench', PageNumber: 1, PageSize: 50 } }),
  Stop: (op) => ({ action: 'StopStackGroupOperation', params: { RegionId: REGION, OperationId: op } }),
};
const request = ACTIONS[values.action];
if (!request) throw new Error(`--action is one of ${Object.keys(ACTIONS).join(', ')}`);

// The main thread's CPU time (utime + stime of the task whose id is the process id), in ms.
function mainThreadMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

// The API scenario's server: a group of 50 instances and its finished operation.
async function start(name: string, dir: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'localros-paired-'));
  const config = join(dataDir, 'config.json');
  writeFileSync(config, JSON.stringify({ logLevel: 'warn', simulation: { stackOperationMs: 0 } }));
  const child = spawn(process.execPath, [...(nodeArgs.get(name) ?? []), join(resolve(dir), 'bin/localros.js'), 'serve', '--port', '0', '--data-dir', dataDir, '--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await readyUrl(child);
  const client = rpcClient(url);
  const api = ros(client);
  await api.createGroup('bench');
  const op = await api.createInstances('bench', accounts(50), [REGION], { MaxConcurrentCount: 20 });
  await waitForStatus(client, op, ['SUCCEEDED']);
  client.close();
  const exited = new Promise<void>((done) => (child.exitCode !== null ? done() : child.once('exit', () => done())));
  // Stopped, then its data directory removed: nothing left in the temporary directory.
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { url, host: new URL(url).host, op, pid: child.pid!, stop };
}

const servers = await Promise.all(builds.map(([name, dir]) => start(name, dir)));
const rateRatios: number[] = [];
const cpuRatios: number[] = [];
const p99Ratios: number[] = [];
try {
  for (let round = 0; round < Number(values.rounds); round++) {
    const before = servers.map((s) => [cpuMsOf(s.pid), mainThreadMs(s.pid)]);
    // The generator started second got ~1.1× the rate of the other whichever build it loaded (A/A
    // runs, bench/README.md): the order alternates from round to round, and a pair of rounds
    // cancels it.
    const load = (s: (typeof servers)[number]) => runLoad({ url: s.url, host: s.host, ...request(s.op), connections: Number(values.connections), amount: Number(values.amount) });
    const runs = round % 2 === 0 ? await Promise.all(servers.map(load)) : (await Promise.all([...servers].reverse().map(load))).reverse();
    const cpu = servers.map((s, i) => [cpuMsOf(s.pid) - before[i][0], mainThreadMs(s.pid) - before[i][1]].map((ms) => (ms * 1000) / runs[i].requests));
    const rate = runs[1].rps / runs[0].rps;
    const cpuRatio = cpu[1][0] / cpu[0][0];
    const p99Ratio = runs[1].p99Ms / runs[0].p99Ms;
    if (round > 0) {
      rateRatios.push(rate);
      cpuRatios.push(cpuRatio);
      p99Ratios.push(p99Ratio);
    }
    const each = builds.map(([name], i) => `${name} ${runs[i].rps.toFixed(0)} req/s, p99 ${runs[i].p99Ms.toFixed(1)} ms, ${cpu[i][0].toFixed(0)} µs CPU (main ${cpu[i][1].toFixed(0)})`);
    console.log(`round ${round}: ${each.join(' | ')} | rate ×${rate.toFixed(2)}, p99 ×${p99Ratio.toFixed(2)}, CPU ×${cpuRatio.toFixed(2)} (load ${loadavg()[0].toFixed(1)})`);
  }
  const [a, b] = builds.map(([name]) => name);
  const paired = (ratios: number[]) => median(Array.from({ length: Math.floor(ratios.length / 2) }, (_, i) => Math.sqrt(ratios[2 * i]! * ratios[2 * i + 1]!)));
  console.log(
    `${b} / ${a}, median of ${Math.floor(rateRatios.length / 2)} pairs of rounds: requests/s ×${paired(rateRatios).toFixed(2)}, p99 ×${paired(p99Ratios).toFixed(2)}, CPU per answer ×${paired(cpuRatios).toFixed(2)}`,
  );
} finally {
  await Promise.all(servers.map((s) => s.stop()));
}
