// What the slowest answers of the API scenario's 32-connection poll waited for (issue 17's p99).
// Runs GetStackGroupOperation under autocannon against a compiled server started with
// `--cpu-prof` and a GC observer, notes each answer's end and latency on the monotonic clock V8's
// profiler uses (process.hrtime), then compares the answers over the p99 with all of them: the
// share of their time the server spent in GC, in each place of its own code, idle (waiting for
// the client), or not running at all (no sample: the machine's other work).
//   npx tsx bench/api-trace.ts [--amount 60000] [--connections 32] [--interval-us 250] [--top 12]
import autocannon from 'autocannon';
import { parseArgs } from 'node:util';
import { accounts, REGION, ros, rpcClient, waitForStatus } from './lib/rpc.ts';
import { nowUs, profiledServer } from './lib/cpu-trace.ts';
import { startLocalRos } from './lib/server.ts';
import { rpcSigner } from './lib/signer.ts';
import { percentile } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    amount: { type: 'string', default: '60000' },
    connections: { type: 'string', default: '32' },
    'interval-us': { type: 'string', default: '250' },
    top: { type: 'string', default: '12' },
  },
});
const connections = Number(values.connections);
const intervalUs = Number(values['interval-us']);
const trace = profiledServer('api-trace', intervalUs);
const server = await startLocalRos({ config: { logLevel: 'warn', simulation: { stackOperationMs: 0 } }, cpuProfDir: trace.dir });
const setup = rpcClient(server.url);
const api = ros(setup);
await api.createGroup('bench');
const op = await api.createInstances('bench', accounts(50), [REGION], { MaxConcurrentCount: 20 });
await waitForStatus(setup, op, ['SUCCEEDED']);
setup.close();

interface Answer {
  t1: number;
  us: number;
}
async function load(amount: number): Promise<Answer[]> {
  const sign = rpcSigner(server.host, 'GetStackGroupOperation', { RegionId: REGION, OperationId: op });
  const per = Math.ceil(amount / connections);
  const lists = Array.from({ length: connections }, () => Array.from({ length: per }, () => sign()));
  let next = 0;
  const answers: Answer[] = [];
  const instance = autocannon({ url: server.url, connections, amount, setupClient: (c: { setRequests(r: unknown[]): void }) => c.setRequests(lists[next++]) });
  instance.on('response', (_c: unknown, status: number, _b: number, ms: number) => {
    if (status !== 200) throw new Error(`status ${status}`);
    answers.push({ t1: nowUs(), us: ms * 1000 });
  });
  await instance;
  return answers;
}
// A first run warms the JIT, as the scenario's does.
await load(10_000);
const answers = await load(Number(values.amount));
await server.stop();

server.cleanup();
const { samples, times, gcs, label: labelOf } = trace.read();
// The outermost frame of localros's own code under a timer or I/O callback, or the VM state.
const label = (id: number) => labelOf(id, 'outermost');

const first = answers[0]!.t1 - answers[0]!.us;
const lastT = answers[answers.length - 1]!.t1;

// Time by label over a set of windows (each answer's own), as a share of the windows' total.
function breakdown(set: Answer[]): { total: number; by: Map<string, number> } {
  const by = new Map<string, number>();
  let total = 0;
  // Samples sorted by time: a binary search finds each window's first.
  for (const a of set) {
    const t0 = a.t1 - a.us;
    total += a.us;
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid]! < t0) lo = mid + 1;
      else hi = mid;
    }
    let covered = 0;
    for (let i = lo; i < times.length && times[i]! < a.t1; i++) {
      const dt = Math.min((times[i + 1] ?? a.t1) - times[i]!, a.t1 - times[i]!, intervalUs * 2);
      covered += dt;
      const key = label(samples[i]!);
      by.set(key, (by.get(key) ?? 0) + dt);
    }
    by.set('(not running: no sample)', (by.get('(not running: no sample)') ?? 0) + Math.max(0, a.us - covered));
    const gc = gcs.filter((g) => g.t0 + g.us > t0 && g.t0 < a.t1).reduce((s, g) => s + Math.min(g.t0 + g.us, a.t1) - Math.max(g.t0, t0), 0);
    by.set('= of which GC pauses (observer)', (by.get('= of which GC pauses (observer)') ?? 0) + gc);
  }
  return { total, by };
}

const sorted = answers.map((a) => a.us).sort((a, b) => a - b);
const p99 = percentile(sorted, 99);
const slow = answers.filter((a) => a.us >= p99);
const inRun = gcs.filter((g) => g.t0 >= first && g.t0 <= lastT);
const scavenges = inRun.filter((g) => g.kind === 'scavenge').map((g) => g.us).sort((a, b) => a - b);
console.log(`${answers.length} answers in ${((lastT - first) / 1e6).toFixed(2)} s: ${((answers.length * 1e6) / (lastT - first)).toFixed(0)} req/s, p50 ${(percentile(sorted, 50) / 1000).toFixed(2)} ms, p99 ${(p99 / 1000).toFixed(2)} ms, max ${(sorted[sorted.length - 1]! / 1000).toFixed(1)} ms`);
console.log(`GC in the run: ${scavenges.length} scavenges (median ${(percentile(scavenges, 50) / 1000).toFixed(2)} ms, max ${(scavenges[scavenges.length - 1]! / 1000).toFixed(2)} ms), ${inRun.length - scavenges.length} others (${inRun.filter((g) => g.kind !== 'scavenge').map((g) => `${g.kind} ${(g.us / 1000).toFixed(1)}`).join(', ')})`);
// An answer "met" a stall when one overlapped its window: a scavenge (the observer's pauses) or
// a nonce flush (a profile sample under the flush's timer, or under its transaction, which is
// the only one a poll load runs). One stall meets every answer in flight.
const flushSamples: number[] = [];
for (let i = 0; i < times.length; i++) if (/freshness\.js|sqlite\.js/.test(label(samples[i]!))) flushSamples.push(times[i]!);
const scavengeWindows = inRun.filter((g) => g.kind === 'scavenge');
const met = (set: Answer[], overlaps: (t0: number, t1: number) => boolean) => (100 * set.filter((a) => overlaps(a.t1 - a.us, a.t1)).length) / set.length;
const byScavenge = (t0: number, t1: number) => scavengeWindows.some((g) => g.t0 + g.us > t0 && g.t0 < t1);
const byFlush = (t0: number, t1: number) => {
  let lo = 0;
  let hi = flushSamples.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (flushSamples[mid]! <= t0) lo = mid + 1;
    else hi = mid;
  }
  return lo < flushSamples.length && flushSamples[lo]! < t1;
};
console.log(`answers that met a scavenge: ${met(answers, byScavenge).toFixed(1)}% of all, ${met(slow, byScavenge).toFixed(1)}% of those over p99`);
console.log(`answers that met a nonce flush: ${met(answers, byFlush).toFixed(1)}% of all, ${met(slow, byFlush).toFixed(1)}% of those over p99`);
const all = breakdown(answers);
const tail = breakdown(slow);
const keys = [...tail.by].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top)).map(([k]) => k);
console.log(`\nshare of the answers' time | all ${answers.length} | the ${slow.length} over p99`);
for (const k of keys) console.log(`${((100 * (all.by.get(k) ?? 0)) / all.total).toFixed(1).padStart(6)}% ${((100 * tail.by.get(k)!) / tail.total).toFixed(1).padStart(6)}%  ${k}`);
// The slow answers bunch: one stall delays every connection in flight. Each bunch once.
console.log('\nbunches of slow answers (ends within 2 ms): start → end, count, GC inside, top places');
slow.sort((a, b) => a.t1 - b.t1);
let bunch: Answer[] = [];
const flushBunch = () => {
  if (bunch.length === 0) return;
  const t0 = Math.min(...bunch.map((a) => a.t1 - a.us));
  const t1 = bunch[bunch.length - 1]!.t1;
  const gc = gcs.filter((g) => g.t0 + g.us > t0 && g.t0 < t1).map((g) => `${g.kind[0]}${(g.us / 1000).toFixed(1)}`);
  const b = breakdown([{ t1, us: t1 - t0 }]);
  const top = [...b.by].filter(([k]) => !k.startsWith('=')).sort((x, y) => y[1] - x[1]).slice(0, 3).map(([k, us]) => `${(us / 1000).toFixed(1)} ${k}`);
  console.log(`+${((t0 - first) / 1000).toFixed(0).padStart(6)} ms ${((t1 - t0) / 1000).toFixed(1).padStart(5)} ms ${String(bunch.length).padStart(3)}× | GC ${gc.join(' ') || '-'} | ${top.join(' ; ')}`);
  bunch = [];
};
for (const a of slow) {
  if (bunch.length && a.t1 - bunch[bunch.length - 1]!.t1 > 2000) flushBunch();
  bunch.push(a);
}
flushBunch();
