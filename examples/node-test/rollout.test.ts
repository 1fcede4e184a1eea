// The rollout tool tested with node:test against localros: one in-process server for the
// file, reset between tests, faults to make failures and a stop mid-rollout deterministic.
//
//   node --conditions=localros-source --import tsx --test examples/node-test/rollout.test.ts
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startLocalRos, type LocalRos } from 'localros/testing';
import { startRollout, type RolloutPlan } from '../rollout-tool/rollout.ts';

const ACCOUNTS = ['1000000000000001', '1000000000000002', '1000000000000003'];
const plan = (overrides: Partial<RolloutPlan> = {}): RolloutPlan => ({
  stackGroupName: 'web',
  templateBody: JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01' }),
  accountIds: ACCOUNTS,
  regionIds: ['cn-beijing', 'cn-shanghai'],
  ...overrides,
});

describe('rollout tool', () => {
  let ros: LocalRos;
  // Stack actions take no time: the tests wait on outcomes, never on the simulation.
  before(async () => (ros = await startLocalRos({ config: { simulation: { stackOperationMs: 0 } } })));
  after(() => ros.stop());
  beforeEach(() => ros.reset());

  const start = (p: RolloutPlan) => startRollout(ros.rosClient(), p, { regionId: ros.regionId, pollIntervalMs: 10 });

  it('deploys every account in every region', async () => {
    const result = await (await start(plan())).wait();
    assert.equal(result.status, 'SUCCEEDED');
    assert.equal(result.targets.length, 6);
    assert.ok(result.targets.every((t) => t.status === 'SUCCEEDED'));
  });

  it('reports the failed targets when a region exceeds its failure tolerance', async () => {
    await ros.faults.fail({ regionId: 'cn-shanghai' }, 'quota exceeded');
    const result = await (await start(plan({ maxConcurrentCount: 1, failureToleranceCount: 1 }))).wait();
    assert.equal(result.status, 'FAILED');
    const shanghai = result.targets.filter((t) => t.regionId === 'cn-shanghai' && t.status === 'FAILED');
    assert.equal(shanghai.length, 2, 'the second failure exceeds a tolerance of 1 and stops the region');
    assert.ok(shanghai.every((t) => t.reason === 'quota exceeded'));
    assert.ok(result.targets.filter((t) => t.regionId === 'cn-beijing').every((t) => t.status === 'SUCCEEDED'));
  });

  it('stops mid-rollout: targets in flight finish, the rest are cancelled', async () => {
    // Hold the first two stack actions, so the rollout is caught with exactly two in flight.
    const hold = await ros.faults.hold({ stackGroupName: 'web' }, { times: 2 });
    const rollout = await start(plan({ regionIds: ['cn-beijing'], maxConcurrentCount: 2 }));
    await hold.waitHeld(2);

    await rollout.stop();
    assert.equal(await rollout.status(), 'STOPPING');
    await hold.release();

    const result = await rollout.wait();
    assert.equal(result.status, 'STOPPED');
    assert.deepEqual(
      result.targets.map((t) => [t.accountId, t.status, t.reason]),
      [
        [ACCOUNTS[0], 'SUCCEEDED', undefined],
        [ACCOUNTS[1], 'SUCCEEDED', undefined],
        [ACCOUNTS[2], 'CANCELLED', 'User initiated stop'],
      ],
    );
  });

  it('treats stopping a finished rollout as done', async () => {
    const rollout = await start(plan({ regionIds: ['cn-beijing'] }));
    await rollout.wait();
    await rollout.stop();
    assert.equal(await rollout.status(), 'SUCCEEDED');
  });
});
