// Scenario 2, the operation engine: SELF_MANAGED CreateStackInstances rollouts at zero
// simulated stack time, MaxConcurrentCount 20, over 50 × 20 = 1,000 targets (the cloud's
// per-call limits) and 500 × 20 = 10,000 targets (limits raised), PARALLEL and SEQUENTIAL.
// The time runs from sending the create call to the first GetStackGroupOperation answer that
// says SUCCEEDED. The baseline is a 1-target rollout on the same server: the fixed cost of any
// operation (accept, first engine turn, one target, finish, the poll that sees it). A last case
// repeats the PARALLEL 10,000 with a 20 KB template: what a rollout of a realistic template
// adds (every stack records its template; stacks share one stored body since migration 006).
// The realistic case (issue 17) deploys one no-op resource per stack: at zero stack time, the
// engine's own cost of a resource; then, on a second server at the default simulated stack time
// (`simulation.stackOperationMs`, 300 ms), whether the windows stay exact under load: the
// observed maximum of targets in flight in each region must equal the window.
import type { BenchContext } from '../lib/context.ts';
import { figure, type Figure } from '../lib/report.ts';
import { accounts, REGION, regionIds, ros, rpcClient, templateOfSize, waitForStatus, type RpcClient } from '../lib/rpc.ts';
import { startLocalRos } from '../lib/server.ts';
import { median } from '../lib/stats.ts';

const SCENARIO = 'Engine';
const LIMITS = { accountsPerCall: 500, regionsPerCall: 20, stackInstancesPerGroup: 200_000 };
const CASES: { accounts: number; regions: number; type: 'PARALLEL' | 'SEQUENTIAL'; repeats: number; templateKb?: number; oneResource?: boolean }[] = [
  { accounts: 50, regions: 20, type: 'PARALLEL', repeats: 3 },
  { accounts: 50, regions: 20, type: 'SEQUENTIAL', repeats: 3 },
  { accounts: 500, regions: 20, type: 'PARALLEL', repeats: 2 },
  { accounts: 500, regions: 20, type: 'SEQUENTIAL', repeats: 2 },
  { accounts: 500, regions: 20, type: 'PARALLEL', repeats: 2, templateKb: 20 },
  { accounts: 500, regions: 20, type: 'PARALLEL', repeats: 2, oneResource: true },
];
const TEN_THOUSAND_TARGET_MS = 1000;
const WINDOW = 20;
// A resource that the simulation creates without any property to resolve.
const ONE_RESOURCE = JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Resources: { Handle: { Type: 'ALIYUN::ROS::WaitConditionHandle' } } });
const PAGE_SIZE = 50;

interface Rollout {
  totalMs: number;
  // The CreateStackInstances call alone: validating and accepting every target.
  acceptMs: number;
}

export async function engineScenario(ctx: BenchContext): Promise<Figure[]> {
  const server = await startLocalRos({ config: { logLevel: 'warn', limits: LIMITS, simulation: { stackOperationMs: 0 } }, cpuProfDir: ctx.cpuProfDir });
  const client = rpcClient(server.url);
  try {
    const regions = await regionIds(client, 20);
    let groups = 0;
    const rollout = async (accountCount: number, regionCount: number, type: string, templateKb = 0, oneResource = false): Promise<Rollout> => {
      const name = `engine-${groups++}`;
      await ros(client).createGroup(name, oneResource ? ONE_RESOURCE : templateKb ? templateOfSize(templateKb) : undefined);
      return timeRollout(client, name, accounts(accountCount), regions.slice(0, regionCount), type);
    };

    ctx.log('engine: 1-target baseline');
    for (let i = 0; i < 2; i++) await rollout(1, 1, 'PARALLEL');
    const single: Rollout[] = [];
    for (let i = 0; i < 5; i++) single.push(await rollout(1, 1, 'PARALLEL'));
    const baseTotal = { name: '1-target rollout', value: median(single.map((r) => r.totalMs)) };
    const baseAccept = { name: '1-target create call', value: median(single.map((r) => r.acceptMs)) };

    const figures: Figure[] = [];
    for (const c of CASES) {
      const targets = c.accounts * c.regions;
      ctx.log(`engine: ${targets} targets, ${c.type}`);
      const runs: Rollout[] = [];
      for (let i = 0; i < c.repeats; i++) runs.push(await rollout(c.accounts, c.regions, c.type, c.templateKb, c.oneResource));
      const totalMs = median(runs.map((r) => r.totalMs));
      const template = c.templateKb ? `, ${c.templateKb} KB template` : c.oneResource ? ', 1 resource a stack' : '';
      const name = `${c.accounts} × ${c.regions} = ${targets.toLocaleString('en-US')} targets, ${c.type}${template}`;
      figures.push(
        figure(SCENARIO, `${name}: create call → SUCCEEDED`, totalMs, 'ms', {
          baseline: baseTotal,
          ...(targets === 10_000 && !c.templateKb ? { target: { text: `< ${TEN_THOUSAND_TARGET_MS} ms`, met: totalMs < TEN_THOUSAND_TARGET_MS } } : {}),
        }),
        figure(SCENARIO, `${name}: targets per second`, (targets * 1000) / totalMs, 'targets/s'),
        figure(SCENARIO, `${name}: the create call alone`, median(runs.map((r) => r.acceptMs)), 'ms', { baseline: baseAccept }),
      );
    }
    return [...figures, ...(await windowsUnderLoad(ctx))];
  } finally {
    client.close();
    await server.stop();
    server.cleanup();
  }
}

// 500 × 20 targets, PARALLEL, window 20, one resource a stack, at the default stack time. While
// it runs, one region after the other is read whole (its 10 pages of results, last page first)
// and its RUNNING results counted. Results are numbered region by region and, within a region,
// start in seq order, so a sweep read backwards can only under-count: every target it counts was
// still running when the highest one counted was read. The observed maximum per region is
// therefore never above what truly ran at once; it must equal the window.
async function windowsUnderLoad(ctx: BenchContext): Promise<Figure[]> {
  ctx.log('engine: 10000 targets, 1 resource a stack, default stack time: windows');
  const server = await startLocalRos({ config: { logLevel: 'warn', limits: LIMITS }, cpuProfDir: ctx.cpuProfDir });
  const client = rpcClient(server.url);
  const poller = rpcClient(server.url);
  try {
    const regions = await regionIds(client, 20);
    const perRegion = 500;
    await ros(client).createGroup('engine-windows', ONE_RESOURCE);
    const t0 = performance.now();
    const operationId = await ros(client).createInstances('engine-windows', accounts(perRegion), regions, {
      MaxConcurrentCount: WINDOW,
      RegionConcurrencyType: 'PARALLEL',
    });
    let finished = false;
    const done = waitForStatus(client, operationId, ['SUCCEEDED', 'FAILED', 'STOPPED']).finally(() => (finished = true));
    // Per region, the largest count seen; undefined while no sweep of it has ended.
    const peaks: (number | undefined)[] = regions.map(() => undefined);
    const pages = perRegion / PAGE_SIZE;
    let sweeps = 0;
    for (; !finished; sweeps++) {
      const region = sweeps % regions.length;
      let running = 0;
      for (let page = pages; page >= 1; page--) {
        const body = await poller.call('ListStackGroupOperationResults', {
          RegionId: REGION,
          OperationId: operationId,
          PageNumber: region * pages + page,
          PageSize: PAGE_SIZE,
        });
        running += (body.StackGroupOperationResults as { Status: string }[]).filter((r) => r.Status === 'RUNNING').length;
      }
      if (!finished) peaks[region] = Math.max(peaks[region] ?? 0, running);
    }
    const observed = peaks.filter((p): p is number => p !== undefined);
    const end = await done;
    if (end.status !== 'SUCCEEDED') throw new Error(`rollout ${operationId} ended ${end.status}`);
    // 25 waves of the default 300 ms in each region, side by side.
    const idealMs = (perRegion / WINDOW) * 300;
    const name = `500 × 20 = 10,000 targets, PARALLEL, 1 resource a stack, default stack time (300 ms)`;
    const exact = (n: number) => ({ text: `= ${WINDOW} (the window)`, met: n === WINDOW });
    const largest = Math.max(...observed);
    const smallest = Math.min(...observed);
    return [
      figure(SCENARIO, `${name}: create call → SUCCEEDED`, end.at - t0, 'ms', { baseline: { name: '25 waves × 300 ms', value: idealMs } }),
      figure(SCENARIO, `${name}: regions swept while it ran (${sweeps} sweeps)`, observed.length, 'count'),
      figure(SCENARIO, `${name}: observed maximum in flight, largest over the regions swept`, largest, 'count', { target: exact(largest) }),
      figure(SCENARIO, `${name}: observed maximum in flight, smallest over the regions swept`, smallest, 'count', { target: exact(smallest) }),
    ];
  } finally {
    client.close();
    poller.close();
    await server.stop();
    server.cleanup();
  }
}

async function timeRollout(client: RpcClient, group: string, accountIds: string[], regionIdList: string[], type: string): Promise<Rollout> {
  const t0 = performance.now();
  const operationId = await ros(client).createInstances(group, accountIds, regionIdList, { MaxConcurrentCount: 20, RegionConcurrencyType: type });
  const accepted = performance.now();
  const done = await waitForStatus(client, operationId, ['SUCCEEDED', 'FAILED', 'STOPPED']);
  if (done.status !== 'SUCCEEDED') throw new Error(`rollout ${operationId} ended ${done.status}`);
  return { totalMs: done.at - t0, acceptMs: accepted - t0 };
}
