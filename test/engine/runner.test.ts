// The operation runner on the fake clock (test/engine/harness.ts): every target action takes
// `stackOperationMs` of clock time, so what runs at once is what sleeps at once, and the test
// moves time forward window by window. Windows, region order, tolerance, stop and restart.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { $ROS, OTHER_CREDENTIALS, TWO_ACCOUNTS } from '../helpers/clients.ts';
import { createRosClient } from '../../src/client/ros-client.ts';
import { REGION, sdkError } from '../helpers/ros.ts';
import { waitFor } from '../helpers/control.ts';
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
// A resource directory of the default account, for the QUEUED operations of auto-deployment.
const DIRECTORY = [{ accountId: TWO_ACCOUNTS[0].accountId, accountIds: [], folders: [{ folderId: 'fd-q', accountIds: ['5001'] }] }];
before(async () => (h = await startEngine({ persistent: true, config: { simulation: { stackOperationMs: STEP }, accounts: TWO_ACCOUNTS, resourceDirectories: DIRECTORY } })));
after(() => h.stop());

let groups = 0;
async function group(): Promise<string> {
  const name = `runner-${++groups}`;
  await h.api.createGroup(name);
  return name;
}
const statuses = async (op: string) => (await h.api.results(op)).map((r) => `${r.accountId}/${r.regionId}:${r.status}`);
const running = async (op: string) => (await h.api.results(op)).filter((r) => r.status === 'RUNNING').map((r) => `${r.accountId}/${r.regionId}`);

const waitForStatuses = (op: string, done: (rows: string[]) => boolean) => waitFor(() => statuses(op), done);

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
  // Targets ending in the same turn are all written.
  assert.ok((await h.api.results(op)).every((r) => r.status === 'SUCCEEDED'));
  assert.deepEqual(new Set((await h.api.instances(g)).map((i) => `${i.status}:${i.stackId ? 'stack' : 'none'}`)), new Set(['CURRENT:stack']));
  // Times are the engine's clock, as ROS writes them (UTC, seconds, no zone).
  assert.equal(done.endTime, new Date(h.clock.now()).toISOString().slice(0, 19));
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
  // Stopping again while it stops changes nothing.
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
  // Their instances stay OUTDATED with the reason, also once the stop is written down (at the
  // latest before the group's next operation).
  const next = await h.api.createInstances(g, ['1004'], ['cn-beijing']);
  await tick(1);
  await h.api.waitStatus(next, ['SUCCEEDED']);
  const cancelled = (await h.api.instances(g)).filter((i) => i.statusReason === 'User initiated stop');
  assert.deepEqual(cancelled.map((i) => `${i.accountId}/${i.regionId}:${i.status}`).sort(), ['1001/cn-shanghai:OUTDATED', '1002/cn-shanghai:OUTDATED', '1003/cn-beijing:OUTDATED', '1003/cn-shanghai:OUTDATED']);
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

it('leaves a deleted instance\'s stack to its account with RetainStacks, no longer managed by the group', async () => {
  const member = createRosClient({ endpoint: h.url.slice('http://'.length), credentials: OTHER_CREDENTIALS, regionId: REGION, timeoutMs: 60_000 });
  const deleteStack = (stackId: string) => member.deleteStack(new $ROS.DeleteStackRequest({ regionId: 'cn-beijing', stackId }));
  const g = await group();
  const create = await h.api.createInstances(g, [MEMBER], ['cn-beijing']);
  await tick(1);
  await h.api.waitStatus(create, ['SUCCEEDED']);
  const { stackId } = await h.api.instance(g, MEMBER, 'cn-beijing');
  const managed = await sdkError(deleteStack(stackId!));
  assert.equal(managed.code, 'NotSupported');
  assert.match(managed.message, new RegExp(`belongs to stack group ${g}`));
  const retain = await h.api.deleteInstances(g, [MEMBER], ['cn-beijing'], true);
  await tick(1);
  await h.api.waitStatus(retain, ['SUCCEEDED']);
  assert.deepEqual(await h.api.instances(g), []);
  // A plain stack of its account now: the account deletes it itself.
  await deleteStack(stackId!);
  await tick(1);
  await waitFor(() => sdkError(member.getStack(new $ROS.GetStackRequest({ regionId: 'cn-beijing', stackId }))).then((e) => e.code), (c) => c === 'StackNotFound');
});

it('fails a target whose parameters the template refuses: the instance keeps its stack, OUTDATED with the reason', async () => {
  const g = `runner-${++groups}`;
  await h.api.createGroup(g, { templateBody: JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Parameters: { Env: { Type: 'String', Default: 'dev', AllowedValues: ['dev', 'prod'] } } }) });
  const refused = [new $ROS.CreateStackInstancesRequestParameterOverrides({ parameterKey: 'Env', parameterValue: 'staging' })];
  const reason = `Parameter 'Env' is invalid: "staging" is not an allowed value [dev, prod].`;
  // A create refused outright: no stack at all.
  const create = await h.api.createInstances(g, ['1001'], ['cn-beijing'], { parameterOverrides: refused });
  assert.equal((await h.api.waitStatus(create, ['SUCCEEDED', 'FAILED'])).status, 'FAILED');
  let inst = await h.api.instance(g, '1001', 'cn-beijing');
  assert.deepEqual([inst.status, inst.statusReason, inst.stackId], ['OUTDATED', reason, undefined]);
  // A refused update of a deployed instance leaves it its stack.
  const ok = await h.api.createInstances(g, ['1002'], ['cn-beijing']);
  await tick(1);
  await h.api.waitStatus(ok, ['SUCCEEDED']);
  const { stackId } = await h.api.instance(g, '1002', 'cn-beijing');
  assert.ok(stackId);
  const update = await h.api.updateInstances(g, ['1002'], ['cn-beijing'], {
    parameterOverrides: [new $ROS.UpdateStackInstancesRequestParameterOverrides({ parameterKey: 'Env', parameterValue: 'staging' })],
  });
  assert.equal((await h.api.waitStatus(update, ['SUCCEEDED', 'FAILED'])).status, 'FAILED');
  inst = await h.api.instance(g, '1002', 'cn-beijing');
  assert.deepEqual([inst.status, inst.statusReason, inst.stackId], ['OUTDATED', reason, stackId]);
});

it('queues auto-deployments behind a running operation: a queued one stops at once, the oldest starts when the group is free', async () => {
  const g = `runner-${++groups}`;
  await h.api.createGroup(g, { permissionModel: 'SERVICE_MANAGED', autoDeployment: new $ROS.CreateStackGroupRequestAutoDeployment({ enabled: true, retainStacksOnAccountRemoval: false }) });
  const deploy = (
    await h.api.client.createStackInstances(
      new $ROS.CreateStackInstancesRequest({ regionId: REGION, stackGroupName: g, deploymentTargets: new $ROS.CreateStackInstancesRequestDeploymentTargets({ rdFolderIds: ['fd-q'] }), regionIds: ['cn-beijing'] }),
    )
  ).body!.operationId!;
  await tick(1);
  await h.api.waitStatus(deploy, ['SUCCEEDED']);
  const move = async (account: string) => {
    const res = await fetch(`${h.url}/_localros/resource-directory/${TWO_ACCOUNTS[0].accountId}/accounts/${account}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ folderId: 'fd-q' }) });
    return ((await res.json()) as { operationIds: string[] }).operationIds;
  };
  const update = (await h.api.client.updateStackGroup(new $ROS.UpdateStackGroupRequest({ regionId: REGION, stackGroupName: g }))).body!.operationId!;
  await h.clock.waitSleeping(1);
  const [first] = await move('5002');
  const [second] = await move('5003');
  assert.deepEqual([(await h.api.operation(first)).status, (await h.api.operation(second)).status], ['QUEUED', 'QUEUED']);
  assert.equal(h.clock.sleeping, 1, 'nothing of a queued operation runs');
  // Stopping a queued operation ends it at once, every target cancelled.
  await h.api.stop(second);
  const stopped = await h.api.operation(second);
  assert.equal(stopped.status, 'STOPPED');
  assert.ok(stopped.endTime);
  assert.deepEqual((await h.api.results(second)).map((r) => `${r.accountId}:${r.status}:${r.statusReason}`), ['5003:CANCELLED:User initiated stop']);
  // The update ends; the oldest queued operation starts then, and only then.
  h.clock.advance(STEP);
  await h.api.waitStatus(update, ['SUCCEEDED']);
  await h.clock.waitSleeping(1);
  assert.equal((await h.api.operation(first)).status, 'RUNNING');
  h.clock.advance(STEP);
  assert.equal((await h.api.waitStatus(first, ['SUCCEEDED', 'FAILED'])).status, 'SUCCEEDED');
  assert.equal((await h.api.instance(g, '5002', 'cn-beijing')).status, 'CURRENT');
  assert.equal((await h.api.operation(second)).status, 'STOPPED');
  assert.equal(h.clock.sleeping, 0);
});

it('runs drift detection as an UPDATE-matched target action that checks the stack and changes nothing', async () => {
  const g = await group();
  const op = await h.api.createInstances(g, ['1001', '1002'], ['cn-beijing'], { operationPreferences: { MaxConcurrentCount: 2 } });
  await tick(2);
  await h.api.waitStatus(op, ['SUCCEEDED']);
  // An UPDATE fault applies to drift detection's targets.
  const fail = await h.ctl.addFault({ match: { stackGroupName: g, accountId: '1002', action: 'UPDATE' }, effect: 'fail', message: 'cannot check' });
  const detect = (
    await h.api.client.detectStackGroupDrift(new $ROS.DetectStackGroupDriftRequest({ regionId: REGION, stackGroupName: g, operationPreferences: { FailureToleranceCount: 1, MaxConcurrentCount: 2 } }))
  ).body!.operationId!;
  await tick(2);
  const done = await h.api.waitStatus(detect, ['SUCCEEDED', 'FAILED']);
  assert.equal(done.status, 'SUCCEEDED');
  assert.deepEqual((await h.api.results(detect)).map((r) => `${r.accountId}:${r.status}:${r.statusReason ?? ''}`), ['1001:SUCCEEDED:', '1002:FAILED:cannot check']);
  assert.equal((await h.api.instance(g, '1001', 'cn-beijing')).stackDriftStatus, 'IN_SYNC');
  assert.equal((await h.api.instance(g, '1002', 'cn-beijing')).status, 'CURRENT');
  await h.ctl.removeFault(fail);
  // Past the tolerance the rest is cancelled: a check that never ran leaves its instance as it was.
  const first = await h.ctl.addFault({ match: { stackGroupName: g, accountId: '1001', action: 'UPDATE' }, effect: 'fail', message: 'cannot check' });
  const strict = (
    await h.api.client.detectStackGroupDrift(new $ROS.DetectStackGroupDriftRequest({ regionId: REGION, stackGroupName: g, operationPreferences: { FailureToleranceCount: 0, MaxConcurrentCount: 1 } }))
  ).body!.operationId!;
  await tick(1);
  assert.equal((await h.api.waitStatus(strict, ['SUCCEEDED', 'FAILED'])).status, 'FAILED');
  assert.deepEqual(await statuses(strict), ['1001/cn-beijing:FAILED', '1002/cn-beijing:CANCELLED']);
  const cancelled = await h.api.instance(g, '1002', 'cn-beijing');
  assert.deepEqual([cancelled.status, cancelled.statusReason], ['CURRENT', undefined]);
  await h.ctl.removeFault(first);
});

it('adds a delay fault, and only a delay fault, to the action time on the clock', async () => {
  const g = await group();
  const fail = await h.ctl.addFault({ match: { stackGroupName: g, accountId: '1001' }, effect: 'fail', delayMs: 60_000 });
  const delay = await h.ctl.addFault({ match: { stackGroupName: g, accountId: '1002' }, effect: 'delay', delayMs: 5_000 });
  const op = await h.api.createInstances(g, ['1001', '1002'], ['cn-beijing'], { operationPreferences: { FailureToleranceCount: 1 } });
  await h.clock.waitSleeping(1);
  assert.equal(h.clock.nextWakeIn, STEP, 'a fail fault adds no time');
  h.clock.advance(STEP);
  await h.clock.waitSleeping(1);
  assert.equal(h.clock.nextWakeIn, STEP + 5_000);
  h.clock.advance(STEP + 5_000);
  assert.equal((await h.api.waitStatus(op, ['SUCCEEDED', 'FAILED'])).status, 'SUCCEEDED');
  await h.ctl.removeFault(fail);
  await h.ctl.removeFault(delay);
});

it('resumes after a restart: the target in flight runs again, finished ones count as they ended', async () => {
  const g = await group();
  const op = await h.api.createInstances(g, ['1001', '1002', '1003'], ['cn-beijing']);
  await tick(1);
  await h.clock.waitSleeping(1);
  h = await h.restart();
  // 1001 succeeded before the restart: it is not a failure, with a tolerance of 0.
  await tick(1);
  await tick(1);
  assert.equal((await h.api.waitStatus(op, ['SUCCEEDED', 'FAILED'])).status, 'SUCCEEDED');
  assert.deepEqual(await statuses(op), ['1001/cn-beijing:SUCCEEDED', '1002/cn-beijing:SUCCEEDED', '1003/cn-beijing:SUCCEEDED']);
});

it('resumes an operation whose tolerance was exceeded in one region as failed', async () => {
  const g = await group();
  await h.ctl.addFault({ match: { stackGroupName: g, accountId: '1001', regionId: 'cn-beijing' }, effect: 'fail', message: 'broken' });
  await h.ctl.addFault({ match: { stackGroupName: g, accountId: '1002', regionId: 'cn-beijing' }, effect: 'delay', delayMs: 5_000 });
  const op = await h.api.createInstances(g, ['1001', '1002'], ['cn-beijing', 'cn-shanghai'], { operationPreferences: { MaxConcurrentCount: 2 } });
  await h.clock.waitSleeping(2);
  h.clock.advance(STEP);
  // 1001 failed, cn-shanghai is cancelled; 1002 is still under way when the server stops.
  await h.api.waitStatus(op, ['RUNNING']);
  await waitForStatuses(op, (rows) => rows.includes('1001/cn-beijing:FAILED'));
  h = await h.restart();
  await h.clock.waitSleeping(1);
  h.clock.advance(STEP + 5_000);
  assert.equal((await h.api.waitStatus(op, ['SUCCEEDED', 'FAILED'])).status, 'FAILED');
  assert.deepEqual(await statuses(op), ['1001/cn-beijing:FAILED', '1002/cn-beijing:SUCCEEDED', '1001/cn-shanghai:CANCELLED', '1002/cn-shanghai:CANCELLED']);
});

it('leaves the instances of a failed delete\'s cancelled targets as they were', async () => {
  const g = await group();
  const create = await h.api.createInstances(g, ['1001', '1002'], ['cn-beijing'], { operationPreferences: { MaxConcurrentCount: 2 } });
  await tick(2);
  await h.api.waitStatus(create, ['SUCCEEDED']);
  const fail = await h.ctl.addFault({ match: { stackGroupName: g, accountId: '1001', action: 'DELETE' }, effect: 'fail', message: 'delete broke' });
  const del = await h.api.deleteInstances(g, ['1001', '1002'], ['cn-beijing'], false);
  await tick(1);
  assert.equal((await h.api.waitStatus(del, ['SUCCEEDED', 'FAILED'])).status, 'FAILED');
  assert.deepEqual(await statuses(del), ['1001/cn-beijing:FAILED', '1002/cn-beijing:CANCELLED']);
  const inst = await h.api.instance(g, '1002', 'cn-beijing');
  assert.deepEqual([inst.status, inst.statusReason], ['CURRENT', undefined]);
  await h.ctl.removeFault(fail);
});

it('forgets operations in flight on a reset: their late outcomes start nothing', async () => {
  const g = await group();
  await h.api.createInstances(g, ['1001', '1002'], ['cn-beijing']);
  await h.clock.waitSleeping(1);
  await h.ctl.reset();
  h.clock.advance(STEP);
  // A new operation runs alone: one target action at a time, nothing else on the clock.
  const g2 = await group();
  const op = await h.api.createInstances(g2, ['1001', '1002'], ['cn-beijing']);
  await tick(1);
  await tick(1);
  assert.equal((await h.api.waitStatus(op, ['SUCCEEDED', 'FAILED'])).status, 'SUCCEEDED');
  assert.equal(h.clock.sleeping, 0);
});
