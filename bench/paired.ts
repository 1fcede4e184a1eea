// Two builds of localros loaded at the same moment by one generator, round after round: on a
// machine shared with other work, contention then hits both alike, where runs taken one after
// the other (even alternated) differed by 2× for the same build. Each build is a directory with
// `bin/localros.js` and a built `dist/` (a `git worktree` of the base commit beside this one,
// `npm run build` in it). Prints, per round, each build's requests/s, p99, server CPU per answer
// (all threads, and the main thread alone) and the ratios of the second build to the first, then
// their medians over the rounds after the first (JIT warm-up). Used for bench/README.md:
//   npx tsx bench/paired.ts --builds base=/tmp/localros-base,head=. [--action Get|List|Stop]
//       [--rounds 7] [--connections 16] [--amount 15000]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
  },
});
const builds = (values.builds ?? '').split(',').map((b) => b.split('=') as [string, string]);
if (builds.length !== 2 || builds.some((b) => b.length !== 2)) throw new Error('--builds name=dir,name=dir (two builds)');
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
async function start(dir: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'localros-paired-'));
  const config = join(dataDir, 'config.json');
  writeFileSync(config, JSON.stringify({ logLevel: 'warn', simulation: { stackOperationMs: 0 } }));
  const child = spawn(process.execPath, [join(resolve(dir), 'bin/localros.js'), 'serve', '--port', '0', '--data-dir', dataDir, '--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await readyUrl(child);
  const client = rpcClient(url);
  const api = ros(client);
  await api.createGroup('bench');
  const op = await api.createInstances('bench', accounts(50), [REGION], { MaxConcurrentCount: 20 });
  await waitForStatus(client, op, ['SUCCEEDED']);
  client.close();
  return { url, host: new URL(url).host, op, pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

const servers = await Promise.all(builds.map(([, dir]) => start(dir)));
const rateRatios: number[] = [];
const cpuRatios: number[] = [];
try {
  for (let round = 0; round < Number(values.rounds); round++) {
    const before = servers.map((s) => [cpuMsOf(s.pid), mainThreadMs(s.pid)]);
    const runs = await Promise.all(
      servers.map((s) => runLoad({ url: s.url, host: s.host, ...request(s.op), connections: Number(values.connections), amount: Number(values.amount) })),
    );
    const cpu = servers.map((s, i) => [cpuMsOf(s.pid) - before[i][0], mainThreadMs(s.pid) - before[i][1]].map((ms) => (ms * 1000) / runs[i].requests));
    const rate = runs[1].rps / runs[0].rps;
    const cpuRatio = cpu[1][0] / cpu[0][0];
    if (round > 0) {
      rateRatios.push(rate);
      cpuRatios.push(cpuRatio);
    }
    const each = builds.map(([name], i) => `${name} ${runs[i].rps.toFixed(0)} req/s, p99 ${runs[i].p99Ms.toFixed(1)} ms, ${cpu[i][0].toFixed(0)} µs CPU (main ${cpu[i][1].toFixed(0)})`);
    console.log(`round ${round}: ${each.join(' | ')} | rate ×${rate.toFixed(2)}, CPU ×${cpuRatio.toFixed(2)} (load ${loadavg()[0].toFixed(1)})`);
  }
  const [a, b] = builds.map(([name]) => name);
  console.log(`${b} / ${a}, median of rounds 1–${rateRatios.length}: requests/s ×${median(rateRatios).toFixed(2)}, CPU per answer ×${median(cpuRatios).toFixed(2)}`);
} finally {
  for (const s of servers) s.stop();
}
