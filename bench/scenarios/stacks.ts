// Scenario "stacks", standalone stacks (issue 12): CreateStack of a 50-resource template at zero
// simulated stack time, from sending the call to the first GetStack answer saying
// CREATE_COMPLETE; then 100 such stacks created in parallel (all calls sent at once, each stack
// polled until complete). The baseline is a 1-resource stack on the same server: the fixed cost
// of any stack operation (accept, one background run, one write, the poll that sees it).
import type { BenchContext } from '../lib/context.ts';
import { figure, type Figure } from '../lib/report.ts';
import { REGION, rpcClient, type RpcClient } from '../lib/rpc.ts';
import { startLocalRos } from '../lib/server.ts';
import { median } from '../lib/stats.ts';

const SCENARIO = 'Stacks';
const PARALLEL = 100;

// `count` VPCs, each of the others depending on the one before it in groups of ten, so the plan
// has five levels of ten: dependency order and attribute references are exercised.
function templateOf(count: number): string {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const properties: Record<string, unknown> = { CidrBlock: '10.0.0.0/8', VpcName: `vpc-${i}` };
    if (i >= 10) properties.Description = { 'Fn::GetAtt': [`Vpc${i - 10}`, 'VpcId'] };
    resources[`Vpc${i}`] = { Type: 'ALIYUN::ECS::VPC', Properties: properties };
  }
  return JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Resources: resources, Outputs: { Last: { Value: { Ref: `Vpc${count - 1}` } } } });
}

const pause = (elapsed: number) => Math.min(10, elapsed * 0.02);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Sends CreateStack and polls GetStack; answers the time to the first CREATE_COMPLETE answer.
async function timeCreate(client: RpcClient, name: string, body: string): Promise<number> {
  const t0 = performance.now();
  const { StackId } = await client.call('CreateStack', { RegionId: REGION, StackName: name, TemplateBody: body });
  for (;;) {
    const { Status } = await client.call('GetStack', { RegionId: REGION, StackId });
    const at = performance.now();
    if (Status === 'CREATE_COMPLETE') return at - t0;
    if (!String(Status).endsWith('_IN_PROGRESS')) throw new Error(`stack ${name} ended ${Status}`);
    await sleep(pause(at - t0));
  }
}

export async function stacksScenario(ctx: BenchContext): Promise<Figure[]> {
  const server = await startLocalRos({ config: { logLevel: 'warn', simulation: { stackOperationMs: 0 } }, cpuProfDir: ctx.cpuProfDir });
  const client = rpcClient(server.url);
  try {
    const one = templateOf(1);
    const fifty = templateOf(50);
    let n = 0;
    ctx.log('stacks: 1-resource baseline');
    for (let i = 0; i < 2; i++) await timeCreate(client, `warm-${n++}`, one);
    const single: number[] = [];
    for (let i = 0; i < 5; i++) single.push(await timeCreate(client, `one-${n++}`, one));
    const baseline = { name: '1-resource stack', value: median(single) };

    ctx.log('stacks: 50 resources');
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) runs.push(await timeCreate(client, `fifty-${n++}`, fifty));

    ctx.log(`stacks: ${PARALLEL} × 50 resources in parallel`);
    // One connection per stack, as 100 independent clients would.
    const clients = Array.from({ length: PARALLEL }, () => rpcClient(server.url));
    const t0 = performance.now();
    try {
      await Promise.all(clients.map((c, i) => timeCreate(c, `parallel-${i}`, fifty)));
    } finally {
      for (const c of clients) c.close();
    }
    const parallelMs = performance.now() - t0;
    return [
      figure(SCENARIO, 'CreateStack, 50 resources: call → CREATE_COMPLETE', median(runs), 'ms', { baseline }),
      figure(SCENARIO, `${PARALLEL} stacks of 50 resources in parallel: first call → last CREATE_COMPLETE`, parallelMs, 'ms', { baseline }),
      figure(SCENARIO, `${PARALLEL} stacks of 50 resources in parallel: stacks per second`, (PARALLEL * 1000) / parallelMs, 'stacks/s'),
    ];
  } finally {
    client.close();
    await server.stop();
    server.cleanup();
  }
}
