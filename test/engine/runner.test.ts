// The operation runner on the fake clock (test/engine/harness.ts): every target action takes
// `stackOperationMs` of clock time, so what runs at once is what sleeps at once, and the test
// moves time forward window by window. Windows, region order, tolerance, stop and restart.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { $ROS, OTHER_CREDENTIALS, TWO_ACCOUNTS } from '../helpers/clients.ts';
import { createRosClient } from '../../src/testing/ros-client.ts';
import { REGION, sdkError } from '../helpers/ros.ts';
import { startEngine, type EngineHarness } from './harness.ts';

// The member account of TWO_ACCOUNTS: its stacks are the targets' stacks, readable by it only.
const MEMBER = TWO_ACCOUNTS[1].accountId;
const WITH_OUTPUT = JSON.stringify({
  ROSTemplateFormatVersion: '2015-09-01',
  Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' } } },
  Outputs: { VpcId: { Value: { 'Fn::GetAtt': ['Vpc', 'VpcId'] } } },
});

const STEP = 1_000;
let h: EngineHarness;
before(async () => (h = await startEngine({ config: { simulation: { stackOperationMs: STEP }, accounts: TWO_ACCOUNTS } })));
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

it("gives each target a stack in its account: IN_PROGRESS while its action runs or is held, COMPLETE after", async () => {
  const member = createRosClient({ endpoint: h.url.slice('http://'.length), credentials: OTHER_CREDENTIALS, regionId: REGION, timeoutMs: 60_000 });
  const stackOf = async (g: string, regionId: string) => {
    const { stackId } = await h.api.instance(g, MEMBER, regionId);
    assert.ok(stackId, `${MEMBER}/${regionId} has a stack`);
    return (await member.getStack(new $ROS.GetStackRequest({ regionId, stackId }))).body!;
  };
  const g = `runner-${++groups}`;
  await h.api.createGroup(g, { templateBody: WITH_OUTPUT });
  // On the clock: the stack is in progress for the action's time.
  const op = await h.api.createInstances(g, [MEMBER], ['cn-beijing']);
  await h.clock.waitSleeping(1);
  assert.equal((await stackOf(g, 'cn-beijing')).status, 'CREATE_IN_PROGRESS');
  h.clock.advance(STEP);
  await h.api.waitStatus(op, ['SUCCEEDED']);
  const done = await stackOf(g, 'cn-beijing');
  assert.equal(done.status, 'CREATE_COMPLETE');
  assert.match(done.outputs!.find((o) => o.OutputKey === 'VpcId')?.OutputValue as string, /^vpc-/);
  // Held: in progress while held, before its time starts.
  const hold = await h.ctl.addFault({ match: { stackGroupName: g }, effect: 'hold' });
  const op2 = await h.api.createInstances(g, [MEMBER], ['cn-shanghai']);
  await h.ctl.waitHeld(hold, 1);
  assert.equal(h.clock.sleeping, 0);
  assert.equal((await stackOf(g, 'cn-shanghai')).status, 'CREATE_IN_PROGRESS');
  // A second operation of the group is refused while this one runs, naming the group.
  const busy = await sdkError(h.api.createInstances(g, [MEMBER], ['cn-hangzhou']));
  assert.equal(busy.code, 'StackGroupOperationInProgress');
  assert.equal(busy.data?.Message, `Another Operation on StackGroup (${g}) is in progress.`);
  await h.ctl.removeFault(hold);
  await tick(1);
  await h.api.waitStatus(op2, ['SUCCEEDED']);
  assert.equal((await stackOf(g, 'cn-shanghai')).status, 'CREATE_COMPLETE');
});
