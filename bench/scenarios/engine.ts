// Scenario 2, the operation engine: SELF_MANAGED CreateStackInstances rollouts at zero
// simulated stack time, MaxConcurrentCount 20, over 50 × 20 = 1,000 targets (the cloud's
// per-call limits) and 500 × 20 = 10,000 targets (limits raised), PARALLEL and SEQUENTIAL.
// The time runs from sending the create call to the first GetStackGroupOperation answer that
// says SUCCEEDED. The baseline is a 1-target rollout on the same server: the fixed cost of any
// operation (accept, first engine turn, one target, finish, the poll that sees it). A last case
// repeats the PARALLEL 10,000 with a 20 KB template: what a rollout of a realistic template
// adds (every stack records its template; stacks share one stored body since migration 006).
import type { BenchContext } from '../lib/context.ts';
import { figure, type Figure } from '../lib/report.ts';
import { accounts, regionIds, ros, rpcClient, templateOfSize, waitForStatus, type RpcClient } from '../lib/rpc.ts';
import { startLocalRos } from '../lib/server.ts';
import { median } from '../lib/stats.ts';

const SCENARIO = 'Engine';
const LIMITS = { accountsPerCall: 500, regionsPerCall: 20, stackInstancesPerGroup: 200_000 };
const CASES: { accounts: number; regions: number; type: 'PARALLEL' | 'SEQUENTIAL'; repeats: number; templateKb?: number }[] = [
  { accounts: 50, regions: 20, type: 'PARALLEL', repeats: 3 },
  { accounts: 50, regions: 20, type: 'SEQUENTIAL', repeats: 3 },
  { accounts: 500, regions: 20, type: 'PARALLEL', repeats: 2 },
  { accounts: 500, regions: 20, type: 'SEQUENTIAL', repeats: 2 },
  { accounts: 500, regions: 20, type: 'PARALLEL', repeats: 2, templateKb: 20 },
];
const TEN_THOUSAND_TARGET_MS = 1000;

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
    const rollout = async (accountCount: number, regionCount: number, type: string, templateKb = 0): Promise<Rollout> => {
      const name = `engine-${groups++}`;
      await ros(client).createGroup(name, templateKb ? templateOfSize(templateKb) : undefined);
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
      for (let i = 0; i < c.repeats; i++) runs.push(await rollout(c.accounts, c.regions, c.type, c.templateKb));
      const totalMs = median(runs.map((r) => r.totalMs));
      const name = `${c.accounts} × ${c.regions} = ${targets.toLocaleString('en-US')} targets, ${c.type}${c.templateKb ? `, ${c.templateKb} KB template` : ''}`;
      figures.push(
        figure(SCENARIO, `${name}: create call → SUCCEEDED`, totalMs, 'ms', {
          baseline: baseTotal,
          ...(targets === 10_000 && !c.templateKb ? { target: { text: `< ${TEN_THOUSAND_TARGET_MS} ms`, met: totalMs < TEN_THOUSAND_TARGET_MS } } : {}),
        }),
        figure(SCENARIO, `${name}: targets per second`, (targets * 1000) / totalMs, 'targets/s'),
        figure(SCENARIO, `${name}: the create call alone`, median(runs.map((r) => r.acceptMs)), 'ms', { baseline: baseAccept }),
      );
    }
    return figures;
  } finally {
    client.close();
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
