// The longest event-loop tasks while a large stack deploys (issue 18), measured in the main
// thread's own CPU time: on a machine shared with other work, wall-clock latencies (the hostile
// scenario's probes) mostly measure the load, while the CPU a task holds the event loop for does
// not depend on it. The server runs in this process (localros/testing); a 1 ms timer notes every
// gap between its runs longer than 4 ms, with the wall time and the main thread's CPU time
// (/proc/thread-self/schedstat, Linux) it spanned. `--via stack` deploys a standalone stack with
// CreateStack (its template checked and planned in the request) instead of a stack group's
// CreateStackInstances; `--via validate-yaml` sends the same chain written as YAML to
// ValidateTemplate (parsing YAML costs ~1 ms of CPU per KiB). Used for bench/README.md:
//   npx tsx bench/long-tasks.ts [--resources 3000] [--top 10] [--via instances|stack|validate-yaml]
// With `node --cpu-prof --import tsx bench/long-tasks.ts`, bench/profile.ts tells what ran.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { RuntimeOptions } from '@darabonba/typescript';
import { stringify } from 'yaml';
import { $ROS, startLocalRos } from '../src/testing/index.ts';

const { values } = parseArgs({
  options: { resources: { type: 'string', default: '3000' }, top: { type: 'string', default: '10' }, via: { type: 'string', default: 'instances' } },
});
const VIAS = ['instances', 'stack', 'validate-yaml'];
if (!VIAS.includes(values.via)) throw new Error(`--via is one of ${VIAS.join(', ')}`);
const RESOURCES = Number(values.resources);
const REGION = 'cn-hangzhou';
const GAP_MS = 4;

// Nanoseconds the calling thread has run; NaN where /proc does not say.
function threadCpuNs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
  } catch {
    return Number.NaN;
  }
}

function chain(): object {
  const resources: Record<string, object> = {};
  for (let i = 0; i < RESOURCES; i++) resources[`Handle${i}`] = { Type: 'ALIYUN::ROS::WaitConditionHandle', ...(i > 0 ? { DependsOn: `Handle${i - 1}` } : {}) };
  return { ROSTemplateFormatVersion: '2015-09-01', Resources: resources };
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

async function deployInstance(): Promise<string> {
  const created = await client.createStackInstances(
    new $ROS.CreateStackInstancesRequest({ regionId: REGION, stackGroupName: 'large', accountIds: ['1000000000000001'], regionIds: [REGION] }),
  );
  for (;;) {
    await pause();
    const op = await client.getStackGroupOperation(new $ROS.GetStackGroupOperationRequest({ regionId: REGION, operationId: created.body!.operationId! }));
    if (op.body!.stackGroupOperation!.status !== 'RUNNING') return op.body!.stackGroupOperation!.status!;
  }
}

async function deployStack(templateBody: string): Promise<string> {
  const created = await client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: 'large', templateBody }));
  for (;;) {
    await pause();
    const stack = await client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId: created.body!.stackId! }));
    if (!stack.body!.status!.endsWith('_IN_PROGRESS')) return stack.body!.status!;
  }
}

async function validate(templateBody: string): Promise<string> {
  // Parsing a large YAML template takes seconds of CPU on a loaded machine, longer than the SDK's 3 s read timeout.
  const answer = await client.validateTemplateWithOptions(new $ROS.ValidateTemplateRequest({ regionId: REGION, templateBody }), new RuntimeOptions({ readTimeout: 120_000, connectTimeout: 120_000 }));
  return `${Object.keys(answer.body!).length} fields`;
}

const server = await startLocalRos({ config: { limits: { resourcesPerStack: RESOURCES }, simulation: { stackOperationMs: 0 } } });
const client = server.rosClient();
try {
  const templateBody = values.via === 'validate-yaml' ? stringify(chain()) : JSON.stringify(chain());
  if (values.via === 'instances') await client.createStackGroup(new $ROS.CreateStackGroupRequest({ regionId: REGION, stackGroupName: 'large', templateBody }));
  const gaps: { wallMs: number; cpuMs: number }[] = [];
  let lastWall = performance.now();
  let lastCpu = threadCpuNs();
  const timer = setInterval(() => {
    const wall = performance.now();
    const cpu = threadCpuNs();
    if (wall - lastWall > GAP_MS) gaps.push({ wallMs: wall - lastWall, cpuMs: (cpu - lastCpu) / 1e6 });
    lastWall = wall;
    lastCpu = cpu;
  }, 1);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const load = loadavg()[0];
  const started = performance.now();
  const status = values.via === 'instances' ? await deployInstance() : values.via === 'stack' ? await deployStack(templateBody) : await validate(templateBody);
  const tookMs = performance.now() - started;
  delay.disable();
  clearInterval(timer);
  gaps.sort((a, b) => b.cpuMs - a.cpuMs || b.wallMs - a.wallMs);
  const top = gaps.slice(0, Number(values.top));
  process.stdout.write(
    [
      `${RESOURCES}-resource stack: ${{ instances: 'CreateStackInstances', stack: 'CreateStack', 'validate-yaml': `ValidateTemplate (${templateBody.length} bytes of YAML)` }[values.via]} → ${status} in ${tookMs.toFixed(0)} ms (load average ${load.toFixed(1)} → ${loadavg()[0].toFixed(1)})`,
      `event-loop delay (monitorEventLoopDelay): max ${(delay.max / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms`,
      `${gaps.length} gaps > ${GAP_MS} ms; the longest by main-thread CPU, CPU ms (wall ms):`,
      `  ${top.map((g) => `${g.cpuMs.toFixed(1)} (${g.wallMs.toFixed(0)})`).join('  ')}`,
      '',
    ].join('\n'),
  );
} finally {
  await server.stop();
}
