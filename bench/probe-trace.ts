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
import { get } from 'node:http';
import { parseArgs } from 'node:util';
import { accounts, REGION, ros, rpcClient, waitForStatus } from './lib/rpc.ts';
import { nowUs, profiledServer } from './lib/cpu-trace.ts';
import { startLocalRos } from './lib/server.ts';

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

function healthProbe(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    get(`${url}/health`, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    }).on('error', reject);
  });
}

const trace = profiledServer('prof', Number(values['interval-us']));
const server = await startLocalRos({
  config: { logLevel: 'warn', limits: { resourcesPerStack: RESOURCES }, simulation: { stackOperationMs: 0 } },
  cpuProfDir: trace.dir,
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

const { samples, times, gcs, label: labelOf } = trace.read();
// The innermost frame of localros's own code on a sample's stack, with the leaf when it is a
// VM state or a library.
const label = (id: number) => labelOf(id, 'innermost');

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
      const key = label(samples[i]!);
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
        const key = label(samples[i]!);
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
