// The rollout tool tested with Vitest against localros; the same library as under node:test.
//
//   npx vitest run --config examples/vitest/vitest.config.ts
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalRos, type LocalRos } from 'localros/testing';
import { startRollout, type RolloutPlan } from '../rollout-tool/rollout.ts';

const ACCOUNTS = ['1000000000000001', '1000000000000002', '1000000000000003'];
const plan = (overrides: Partial<RolloutPlan> = {}): RolloutPlan => ({
  stackGroupName: 'api',
  templateBody: JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01' }),
  accountIds: ACCOUNTS,
  regionIds: ['cn-beijing'],
  ...overrides,
});

describe('rollout tool (vitest)', () => {
  let ros: LocalRos;
  beforeAll(async () => {
    ros = await startLocalRos({ config: { simulation: { stackOperationMs: 0 } } });
  });
  afterAll(() => ros.stop());
  beforeEach(() => ros.reset());

  const start = (p: RolloutPlan) => startRollout(ros.rosClient(), p, { regionId: ros.regionId, pollIntervalMs: 10 });

  it('deploys every account', async () => {
    const result = await (await start(plan())).wait();
    expect(result.status).toBe('SUCCEEDED');
    expect(result.targets.map((t) => t.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  });

  it('stops mid-rollout', async () => {
    const hold = await ros.faults.hold({ stackGroupName: 'api' }, { times: 1 });
    const rollout = await start(plan({ maxConcurrentCount: 1 }));
    const [held] = await hold.waitHeld(1);
    expect(held).toMatchObject({ operationId: rollout.operationId, accountId: ACCOUNTS[0], regionId: 'cn-beijing' });

    await rollout.stop();
    await hold.release();

    const result = await rollout.wait();
    expect(result.status).toBe('STOPPED');
    expect(result.targets).toEqual([
      { accountId: ACCOUNTS[0], regionId: 'cn-beijing', status: 'SUCCEEDED' },
      { accountId: ACCOUNTS[1], regionId: 'cn-beijing', status: 'CANCELLED', reason: 'User initiated stop' },
      { accountId: ACCOUNTS[2], regionId: 'cn-beijing', status: 'CANCELLED', reason: 'User initiated stop' },
    ]);
  });

  it('slows a region down with a delay fault without changing the outcome', async () => {
    // Timing belongs in the benchmark: what a test can check is that the delay applied to the
    // rollout's action (a one-shot fault is used up) and that the outcome is unchanged.
    const delay = await ros.faults.delay({ regionId: 'cn-beijing', action: 'CREATE' }, 20, { times: 1 });
    const result = await (await start(plan({ accountIds: [ACCOUNTS[0]] }))).wait();
    expect(result.status).toBe('SUCCEEDED');
    expect((await ros.faults.list()).map((f) => f.id)).not.toContain(delay.id);
  });
});
