// What the slow probes of the hostile scenario waited for (issue 18). Runs the scenario's three
// phases (idle, `--deploys` 3,000-resource deploys one after the other, 50 `(a+)+b` validations)
// against a compiled server started with `--cpu-prof` and a GC observer, notes each probe's send
// and answer on the monotonic clock V8's profiler uses (process.hrtime), then prints
//   - one line per probe slower than `--slow-ms`: the server's GC pauses inside it (kind, wall
//     ms), the longest stretch without a profiler sample ("unsampled": the process was not
//     running — the machine's load), and the three places the samples went most;
//   - for the `--top` slowest probes of each kind, the server's main thread during the probe as
//     runs of samples by the innermost localros frame (or the VM state: GC, idle, program).
//   npx tsx bench/probe-trace.ts [--deploys 8] [--slow-ms 10] [--top 3] [--interval-us 250] [--phase idle|deploy|pattern]
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { parseArgs } from 'node:util';
import { accounts, REGION, ros, rpcClient, waitForStatus } from './lib/rpc.ts';
import { startLocalRos, tempDir } from './lib/server.ts';

const { values } = parseArgs({
  options: { top: { type: 'string', default: '3' }, 'interval-us': { type: 'string', default: '250' }, phase: { type: 'string' }, deploys: { type: 'string', default: '8' }, 'slow-ms': { type: 'string', default: '10' } },
});
const RESOURCES = 3000;

interface Probe {
  phase: string;
  kind: string;
  t0: number;
  t1: number;
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

function healthProbe(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    get(`${url}/health`, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    }).on('error', reject);
  });
}

const profDir = tempDir('prof');
// The server's GC pauses, on the same clock: a module preloaded into it observes them and writes
// them out as it exits.
const gcLog = `${profDir}/gc.json`;
writeFileSync(
  `${profDir}/gc-observer.mjs`,
  `import { PerformanceObserver, performance, constants } from 'node:perf_hooks';
import { writeFileSync } from 'node:fs';
const offset = Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000;
const kinds = { [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact', [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge', [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental', [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak' };
const out = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) out.push({ kind: kinds[e.detail.kind] ?? String(e.detail.kind), t0: offset + e.startTime * 1000, us: e.duration * 1000 }); }).observe({ entryTypes: ['gc'] });
process.on('exit', () => writeFileSync(${JSON.stringify(gcLog)}, JSON.stringify(out)));
`,
);
process.env.LOCALROS_BENCH_NODE_ARGS = `${process.env.LOCALROS_BENCH_NODE_ARGS ?? ''} --cpu-prof-interval=${values['interval-us']} --import=${profDir}/gc-observer.mjs`;
const server = await startLocalRos({
  config: { logLevel: 'warn', limits: { resourcesPerStack: RESOURCES }, simulation: { stackOperationMs: 0 } },
  cpuProfDir: profDir,
});
const setup = rpcClient(server.url);
const prober = rpcClient(server.url);
const probes: Probe[] = [];

async function probeUntil(phase: string, operationId: string, done: () => boolean, min = 0): Promise<void> {
  for (let round = 0; round < min || !done(); round++) {
    let t0 = nowUs();
    await healthProbe(server.url);
    probes.push({ phase, kind: '/health', t0, t1: nowUs() });
    t0 = nowUs();
    await prober.call('GetStackGroupOperation', { RegionId: REGION, OperationId: operationId });
    probes.push({ phase, kind: 'GetStackGroupOperation', t0, t1: nowUs() });
  }
}

const api = ros(setup);
await api.createGroup('small');
const small = await api.createInstances('small', accounts(1), [REGION], {});
await waitForStatus(setup, small, ['SUCCEEDED']);
await probeUntil('idle', small, () => true, 300);

const resources: Record<string, object> = {};
for (let i = 0; i < RESOURCES; i++) resources[`Handle${i}`] = { Type: 'ALIYUN::ROS::WaitConditionHandle', ...(i > 0 ? { DependsOn: `Handle${i - 1}` } : {}) };
await api.createGroup('large', JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Resources: resources }));
for (let i = 0; i < Number(values.deploys); i++) {
  const large = await api.createInstances('large', accounts(1, 1 + i), [REGION], {});
  let deployed = false;
  const finished = waitForStatus(setup, large, ['SUCCEEDED', 'FAILED'], { pause: () => 20 }).finally(() => (deployed = true));
  await probeUntil('deploy', small, () => deployed);
  await finished;
}

const validator = rpcClient(server.url);
let validated = false;
const template = JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Parameters: { P: { Type: 'String', AllowedPattern: '(a+)+b', Default: 'a'.repeat(40) } } });
const validations = (async () => {
  for (let i = 0; i < 50; i++) await validator.send('ValidateTemplate', { RegionId: REGION, TemplateBody: template });
  validated = true;
})();
await probeUntil('pattern', small, () => validated);
await validations;
validator.close();
setup.close();
prober.close();
await server.stop();
server.cleanup();

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'))!;
const profile = JSON.parse(readFileSync(`${profDir}/${file}`, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number };
const gcs = JSON.parse(readFileSync(gcLog, 'utf8')) as { kind: string; t0: number; us: number }[];
rmSync(profDir, { recursive: true, force: true });
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const short = (url: string) => url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules\/|dist\/|src\/)/, '$1');

// The innermost frame of localros's own code on a sample's stack, with the leaf when it is a
// VM state ((garbage collector), (idle), (program)) or a library.
const labels = new Map<number, string>();
function label(id: number): string {
  let out = labels.get(id);
  if (out !== undefined) return out;
  const leaf = byId.get(id)!.callFrame;
  let own = '';
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const f = byId.get(cur)!.callFrame;
    if (f.url.includes('/dist/') && !f.url.includes('node_modules')) {
      own = `${f.functionName || '(anon)'} ${short(f.url)}:${f.lineNumber + 1}`;
      break;
    }
  }
  const leafText = leaf.url ? `${leaf.functionName || '(anon)'} ${short(leaf.url)}` : leaf.functionName;
  out = own ? (leafText.startsWith('(') || !leaf.url.includes('/dist/') ? `${own} › ${leafText}` : own) : leafText;
  labels.set(id, out);
  return out;
}

const times: number[] = [];
let t = profile.startTime;
for (const d of profile.timeDeltas) times.push((t += d));

// Every probe slower than --slow-ms, in one line: the GC pauses inside it, the longest stretch
// without a sample (the process was not running: the machine's load), and where the samples went.
const slowUs = Number(values['slow-ms']) * 1000;
for (const phase of values.phase ? [values.phase] : ['idle', 'deploy', 'pattern']) {
  const of = probes.filter((p) => p.phase === phase);
  const slow = of.filter((p) => p.t1 - p.t0 > slowUs);
  console.log(`\n## ${phase}: ${slow.length} of ${of.length} probes over ${values['slow-ms']} ms`);
  for (const p of slow) {
    const gc = gcs.filter((g) => g.t0 + g.us > p.t0 && g.t0 < p.t1).map((g) => `${g.kind} ${(g.us / 1000).toFixed(1)}`);
    const by = new Map<string, number>();
    let maxGap = 0;
    for (let i = 0; i < times.length; i++) {
      if (times[i]! < p.t0 || times[i]! > p.t1) continue;
      const dt = (times[i + 1] ?? times[i]!) - times[i]!;
      maxGap = Math.max(maxGap, dt);
      const key = label(profile.samples[i]!);
      by.set(key, (by.get(key) ?? 0) + Math.min(dt, Number(values['interval-us']) * 2));
    }
    const top = [...by].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, us]) => `${(us / 1000).toFixed(1)} ${k}`);
    console.log(`${p.kind.padEnd(22)} ${((p.t1 - p.t0) / 1000).toFixed(1).padStart(6)} ms | GC ${gc.join(', ') || '-'} | unsampled ${(maxGap / 1000).toFixed(1)} | ${top.join(' ; ')}`);
  }
}

for (const phase of values.phase ? [values.phase] : ['idle', 'deploy', 'pattern']) {
  for (const kind of ['/health', 'GetStackGroupOperation']) {
    const of = probes.filter((p) => p.phase === phase && p.kind === kind).sort((a, b) => b.t1 - b.t0 - (a.t1 - a.t0));
    console.log(`\n== ${phase} ${kind}: ${of.length} probes, worst ${of.slice(0, 5).map((p) => ((p.t1 - p.t0) / 1000).toFixed(1)).join(' / ')} ms`);
    for (const p of of.slice(0, Number(values.top))) {
      console.log(`-- ${((p.t1 - p.t0) / 1000).toFixed(1)} ms`);
      let run: { key: string; from: number; to: number; n: number } | undefined;
      const flush = () => run && console.log(`   +${((run.from - p.t0) / 1000).toFixed(1).padStart(6)} ms  ${((run.to - run.from) / 1000).toFixed(1).padStart(5)} ms ${String(run.n).padStart(4)}×  ${run.key}`);
      for (const g of gcs) if (g.t0 + g.us > p.t0 - 2000 && g.t0 < p.t1) console.log(`   GC ${g.kind} at +${((g.t0 - p.t0) / 1000).toFixed(1)} ms, ${(g.us / 1000).toFixed(1)} ms`);
      for (let i = 0; i < times.length; i++) {
        if (times[i]! < p.t0 - 2000 || times[i]! > p.t1) continue;
        const key = label(profile.samples[i]!);
        const end = times[i + 1] ?? times[i]!;
        if (run && run.key === key) {
          run.to = end;
          run.n++;
          continue;
        }
        flush();
        run = { key, from: times[i]!, to: end, n: 1 };
      }
      flush();
    }
  }
}
