// Control-plane faults shared by two replicas on one PostgreSQL database
// (src/engine/fault-registry.ts with a cluster bus), both servers in the test's process so that
// `npm run mutate` can run it for every mutant of the registry; test/sdk/cluster-bus.test.ts
// covers the same behaviour with server processes. Each test has its own database; skipped (one
// line) only where no PostgreSQL is reachable, which CI rules out (.ci/run).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { $ROS } from '../helpers/clients.ts';
import { waitFor } from '../helpers/control.ts';
import { REGION } from '../helpers/ros.ts';
import { createTestDatabase, dropTestDatabase, postgresReachable } from '../helpers/pg-store.ts';
import { FakeClock, startEngine, type EngineHarness } from './harness.ts';

const reachable = await postgresReachable();
if (!reachable && process.env.LOCALROS_REQUIRE_POSTGRES) throw new Error('LOCALROS_REQUIRE_POSTGRES is set but no PostgreSQL is reachable (LOCALROS_TEST_PG_URL)');
if (!reachable) console.log('# fault replicas: skipped, no PostgreSQL reachable (LOCALROS_TEST_PG_URL)');

// The targets of an operation are shared between the live replicas (engine/target-sharing.ts):
// of four targets run at once, each replica may run some.
const FOUR_REGIONS = ['cn-beijing', 'cn-shanghai', 'cn-hangzhou', 'cn-shenzhen'];
const AT_ONCE = { operationPreferences: { MaxConcurrentCount: 4, RegionConcurrencyType: 'PARALLEL' } };

describe('faults of two in-process replicas on PostgreSQL', { skip: !reachable }, () => {
  let database: string;
  // The replicas' clocks start together: heartbeats are compared on the engine's clock.
  let t0: number;
  const replicas: EngineHarness[] = [];
  const replica = async () => {
    const started = await startEngine({ clock: new FakeClock(t0), config: { database } });
    replicas.push(started);
    return started;
  };
  const outcomes = async (h: EngineHarness, op: string) => {
    await h.api.waitStatus(op, ['SUCCEEDED', 'FAILED'], 30_000);
    return (await h.api.results(op)).map((r) => (r.status === 'FAILED' ? r.statusReason : r.status));
  };
  // A target A holds before B starts is A's.
  const heldOnA = async (group: string) => {
    const a = await replica();
    const hold = await a.ctl.addFault({ match: { stackGroupName: group }, effect: 'hold' });
    await a.api.createGroup(group);
    const op = await a.api.createInstances(group, ['5200'], ['cn-beijing']);
    await a.ctl.waitHeld(hold, 1);
    return { a, b: await replica(), hold, op };
  };

  beforeEach(async () => {
    database = await createTestDatabase();
    t0 = Date.now();
  });
  afterEach(async () => {
    await Promise.all(replicas.splice(0).map((h) => h.stop()));
    await dropTestDatabase(database);
  });

  it('fails every target, on either replica, with a fault added on the other', async () => {
    const [a, b] = [await replica(), await replica()];
    const fault = await b.ctl.addFault({ match: { stackGroupName: 'faulted' }, effect: 'fail', message: 'added on B' });
    assert.deepEqual((await a.ctl.faults()).map((f) => f.id), [fault]);
    await a.api.createGroup('faulted');
    const op = await a.api.createInstances('faulted', ['5100'], FOUR_REGIONS, AT_ONCE);
    assert.deepEqual(await outcomes(a, op), ['added on B', 'added on B', 'added on B', 'added on B']);
  });

  it('lists on B the target a hold holds on A, and releases it when B deletes the hold', async () => {
    const { b, hold, op } = await heldOnA('held');
    const held = await b.ctl.waitHeld(hold, 1);
    assert.deepEqual(held.map((t) => `${t.operationId} ${t.accountId}/${t.regionId}`), [`${op} 5200/cn-beijing`]);
    assert.equal(await b.ctl.removeFault(hold), 204);
    assert.deepEqual(await outcomes(b, op), ['SUCCEEDED']);
    assert.deepEqual(await b.ctl.faults(), []);
    assert.equal(await b.ctl.removeFault(hold), 404);
  });

  it("applies a fault added on B to the stack actions A runs, and keeps A's holds when the faults change", async () => {
    const { a, b, hold, op } = await heldOnA('kept');
    await b.ctl.addFault({ match: { stackName: 'from-b' }, effect: 'fail', message: 'added on B' });
    // A standalone stack's action runs on the replica that accepted it.
    const client = a.api.client;
    const stackId = (await client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: 'from-b', templateBody: '{"ROSTemplateFormatVersion":"2015-09-01"}' }))).body!.stackId!;
    const stack = await waitFor(async () => (await client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!, (s) => !s.status!.endsWith('_IN_PROGRESS'));
    assert.match(stack.statusReason ?? '', /added on B/, stack.status);
    // A read the faults again without letting go of what its hold holds.
    assert.equal((await a.api.operation(op)).status, 'RUNNING');
    assert.deepEqual((await a.api.results(op)).map((r) => r.status), ['RUNNING']);
    await a.ctl.removeFault(hold);
    assert.deepEqual(await outcomes(a, op), ['SUCCEEDED']);
  });

  it('uses a counted fault up across the replicas, and forgets it on both once used up', async () => {
    const [a, b] = [await replica(), await replica()];
    const fault = await a.ctl.addFault({ match: { stackGroupName: 'counted' }, effect: 'fail', message: 'counted', times: 2 });
    await b.api.createGroup('counted');
    const op = await b.api.createInstances('counted', ['5300'], FOUR_REGIONS, AT_ONCE);
    assert.deepEqual((await outcomes(b, op)).sort(), ['SUCCEEDED', 'SUCCEEDED', 'counted', 'counted']);
    for (const h of [a, b]) assert.equal((await h.ctl.faults()).find((f) => f.id === fault), undefined);
  });

  it('releases what A holds and forgets its faults on a reset on B', async () => {
    const { a, b, hold, op } = await heldOnA('reset');
    await b.ctl.waitHeld(hold, 1);
    await b.ctl.reset();
    assert.deepEqual(await a.ctl.faults(), []);
    // Were the hold still known on A, the targets A runs would be held again there.
    await a.api.createGroup('reset');
    const again = await a.api.createInstances('reset', ['5200'], FOUR_REGIONS, AT_ONCE);
    assert.notEqual(again, op);
    assert.deepEqual(await outcomes(a, again), ['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  });
});
