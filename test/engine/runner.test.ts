// The operation runner on the fake clock (test/engine/harness.ts): every target action takes
// `stackOperationMs` of clock time, so what runs at once is what sleeps at once, and the test
// moves time forward window by window. Windows, region order, tolerance, stop and restart.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startEngine, type EngineHarness } from './harness.ts';

const STEP = 1_000;
let h: EngineHarness;
before(async () => (h = await startEngine({ config: { simulation: { stackOperationMs: STEP } } })));
after(() => h.stop());

let groups = 0;
async function group(): Promise<string> {
  const name = `runner-${++groups}`;
  await h.api.createGroup(name);
  return name;
}
const statuses = async (op: string) => (await h.api.results(op)).map((r) => `${r.accountId}/${r.regionId}:${r.status}`);
const running = async (op: string) => (await h.api.results(op)).filter((r) => r.status === 'RUNNING').map((r) => `${r.accountId}/${r.regionId}`);

// Lets the clock pass one action's time once `count` actions are under way.
async function tick(count: number): Promise<void> {
  await h.clock.waitSleeping(count);
  assert.equal(h.clock.sleeping, count, `exactly ${count} target action(s) under way`);
  h.clock.advance(STEP);
}

it('runs a window of MaxConcurrentCount targets at a time, in account order, region after region', async () => {
  const g = await group();
  const op = await h.api.createInstances(g, ['1001', '1002', '1003'], ['cn-beijing', 'cn-shanghai'], { operationPreferences: { MaxConcurrentCount: 2 } });
  await h.clock.waitSleeping(2);
  assert.deepEqual(await running(op), ['1001/cn-beijing', '1002/cn-beijing']);
  await tick(2);
  await h.clock.waitSleeping(1);
  assert.deepEqual(await running(op), ['1003/cn-beijing']);
  // cn-shanghai waits although the window has room: its region comes after.
  await tick(1);
  await h.clock.waitSleeping(2);
  assert.deepEqual(await running(op), ['1001/cn-shanghai', '1002/cn-shanghai']);
  await tick(2);
  await tick(1);
  const done = await h.api.waitStatus(op, ['SUCCEEDED', 'FAILED']);
  assert.equal(done.status, 'SUCCEEDED');
  assert.equal(h.clock.sleeping, 0);
});

it('sizes the window by MaxConcurrentPercentage of each region, rounded down, at least 1', async () => {
  const g = await group();
  // 60% of 4 is 2.4: two at a time (ceil would be three).
  const op = await h.api.createInstances(g, ['1001', '1002', '1003', '1004'], ['cn-beijing'], { operationPreferences: { MaxConcurrentPercentage: 60 } });
  await tick(2);
  await tick(2);
  assert.equal((await h.api.waitStatus(op, ['SUCCEEDED'])).status, 'SUCCEEDED');
  // 10% of 4 is 0.4: never below one.
  const op2 = await h.api.updateInstances(g, ['1001', '1002', '1003', '1004'], ['cn-beijing'], { operationPreferences: { MaxConcurrentPercentage: 10 } });
  for (let i = 0; i < 4; i++) await tick(1);
  assert.equal((await h.api.waitStatus(op2, ['SUCCEEDED'])).status, 'SUCCEEDED');
});

it('runs PARALLEL regions side by side, each with its own window', async () => {
  const g = await group();
  const op = await h.api.createInstances(g, ['1001', '1002', '1003'], ['cn-beijing', 'cn-shanghai', 'cn-hangzhou'], {
    operationPreferences: { MaxConcurrentCount: 2, RegionConcurrencyType: 'PARALLEL' },
  });
  await h.clock.waitSleeping(6);
  assert.deepEqual((await running(op)).sort(), ['1001/cn-beijing', '1001/cn-hangzhou', '1001/cn-shanghai', '1002/cn-beijing', '1002/cn-hangzhou', '1002/cn-shanghai']);
  await tick(6);
  await tick(3);
  assert.equal((await h.api.waitStatus(op, ['SUCCEEDED'])).status, 'SUCCEEDED');
});

it('stops: targets in flight finish, none starts after the stop, the rest are cancelled', async () => {
  const g = await group();
  const op = await h.api.createInstances(g, ['1001', '1002', '1003'], ['cn-beijing', 'cn-shanghai'], { operationPreferences: { MaxConcurrentCount: 2 } });
  await h.clock.waitSleeping(2);
  await h.api.stop(op);
  assert.equal((await h.api.operation(op)).status, 'STOPPING');
  h.clock.advance(STEP);
  const done = await h.api.waitStatus(op, ['STOPPED', 'SUCCEEDED', 'FAILED']);
  assert.equal(done.status, 'STOPPED');
  assert.ok(done.endTime);
  assert.equal(h.clock.sleeping, 0, 'nothing started after the stop');
  assert.deepEqual(await statuses(op), [
    '1001/cn-beijing:SUCCEEDED',
    '1002/cn-beijing:SUCCEEDED',
    '1003/cn-beijing:CANCELLED',
    '1001/cn-shanghai:CANCELLED',
    '1002/cn-shanghai:CANCELLED',
    '1003/cn-shanghai:CANCELLED',
  ]);
  const reasons = (await h.api.results(op)).filter((r) => r.status === 'CANCELLED').map((r) => r.statusReason);
  assert.deepEqual([...new Set(reasons)], ['User initiated stop']);
});

it('stops after a failure within the tolerance: STOPPED, each result as its target ended', async () => {
  const g = await group();
  const fail = await h.ctl.addFault({ match: { stackGroupName: g }, effect: 'fail', message: 'no' });
  const op = await h.api.createInstances(g, ['1001', '1002'], ['cn-beijing'], { operationPreferences: { FailureToleranceCount: 1 } });
  await tick(1);
  // 1001 failed within the tolerance, 1002 is under way; stop with it in flight, then finish it.
  await h.clock.waitSleeping(1);
  await h.api.stop(op);
  h.clock.advance(STEP);
  const done = await h.api.waitStatus(op, ['STOPPED', 'FAILED', 'SUCCEEDED']);
  assert.equal(done.status, 'STOPPED');
  assert.deepEqual(await statuses(op), ['1001/cn-beijing:FAILED', '1002/cn-beijing:FAILED']);
  await h.ctl.removeFault(fail);
});

it('times an action out on the clock: TimeoutInMinutes of clock time fails the target', async () => {
  const g = await group();
  const delay = await h.ctl.addFault({ match: { stackGroupName: g }, effect: 'delay', delayMs: 120_000 });
  const op = await h.api.createInstances(g, ['1001'], ['cn-beijing'], { timeoutInMinutes: 1 });
  await h.clock.waitSleeping(1);
  h.clock.advance(60_000);
  const done = await h.api.waitStatus(op, ['SUCCEEDED', 'FAILED']);
  assert.equal(done.status, 'FAILED');
  const [result] = await h.api.results(op);
  assert.match(result.statusReason ?? '', /time/i);
  await h.ctl.removeFault(delay);
});
