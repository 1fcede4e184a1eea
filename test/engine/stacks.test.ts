// Standalone stacks' operations (src/engine/stack-operations.ts) on the fake clock: a stack
// stays *_IN_PROGRESS for exactly its simulated time, faults on the stack and on single
// resources, cancel, stack policy, timeouts, restart and reset.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { $ROS } from '../helpers/clients.ts';
import { waitFor } from '../helpers/control.ts';
import { REGION, sdkError } from '../helpers/ros.ts';
import { startEngine, type EngineHarness } from './harness.ts';

const STEP = 1_000;
// Vpc → VSwitch: two phases, each taking STEP of clock time.
const PAIR = JSON.stringify({
  ROSTemplateFormatVersion: '2015-09-01',
  Parameters: { Name: { Type: 'String', Default: 'web' } },
  Resources: {
    Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8', VpcName: { Ref: 'Name' } } },
    VSwitch: { Type: 'ALIYUN::ECS::VSwitch', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.1.0.0/16', ZoneId: 'cn-hangzhou-h' } },
  },
});

let h: EngineHarness;
before(async () => (h = await startEngine({ persistent: true, config: { simulation: { stackOperationMs: STEP } } })));
after(() => h.stop());

const client = () => h.api.client;
async function create(name: string, extra: Partial<$ROS.CreateStackRequest> = {}): Promise<string> {
  return (await client().createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: name, templateBody: PAIR, ...extra }))).body!.stackId!;
}
async function getStack(stackId: string) {
  return (await client().getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!;
}
const settled = (stackId: string) => waitFor(() => getStack(stackId), (s) => !s.status!.endsWith('_IN_PROGRESS'));
async function resources(stackId: string) {
  return (await client().listStackResources(new $ROS.ListStackResourcesRequest({ regionId: REGION, stackId }))).body!.resources!.map((r) => `${r.logicalResourceId}:${r.status}`);
}
async function events(stackId: string) {
  return (await client().listStackEvents(new $ROS.ListStackEventsRequest({ regionId: REGION, stackId, pageSize: 50 }))).body!.events!;
}
const rename = (stackId: string, name: string, extra: Partial<$ROS.UpdateStackRequest> = {}) =>
  client().updateStack(new $ROS.UpdateStackRequest({ regionId: REGION, stackId, parameters: [new $ROS.UpdateStackRequestParameters({ parameterKey: 'Name', parameterValue: name })], ...extra }));

// Waits until the stack's action sleeps on the clock, checks it is still in progress, and lets
// `ms` pass.
async function pass(stackId: string, ms: number, status: string): Promise<void> {
  await h.clock.waitSleeping(1);
  assert.equal((await getStack(stackId)).status, status);
  h.clock.advance(ms);
}

it('creates a stack in its simulated time: IN_PROGRESS until the clock has passed it, then COMPLETE with events', async () => {
  const stackId = await create('timed');
  await h.clock.waitSleeping(1);
  assert.equal(h.clock.nextWakeIn, STEP);
  h.clock.advance(STEP - 1);
  assert.equal((await getStack(stackId)).status, 'CREATE_IN_PROGRESS');
  h.clock.advance(1);
  const done = await settled(stackId);
  assert.equal(done.status, 'CREATE_COMPLETE');
  assert.deepEqual(await resources(stackId), ['Vpc:CREATE_COMPLETE', 'VSwitch:CREATE_COMPLETE']);
  const evs = await events(stackId);
  assert.ok(evs.length >= 4, 'an event per resource transition and for the stack');
  assert.ok(evs.every((e) => e.stackId === stackId && e.stackName === 'timed'));
});

it('adds a stack delay fault to the simulated time and fails on a stack fail fault, rolled back', async () => {
  const delay = await h.ctl.addFault({ match: { stackName: 'slow' }, effect: 'delay', delayMs: 5_000, times: 1 });
  const slow = await create('slow');
  await h.clock.waitSleeping(1);
  assert.equal(h.clock.nextWakeIn, STEP + 5_000);
  await pass(slow, STEP + 5_000, 'CREATE_IN_PROGRESS');
  assert.equal((await settled(slow)).status, 'CREATE_COMPLETE');
  assert.equal(await h.ctl.removeFault(delay), 404, 'the fault was used up');

  const fail = await h.ctl.addFault({ match: { stackName: 'broken', action: 'CREATE' }, effect: 'fail', message: 'quota exceeded' });
  const broken = await create('broken');
  await h.clock.waitSleeping(1);
  h.clock.advance(h.clock.nextWakeIn!);
  const done = await settled(broken);
  assert.equal(done.status, 'CREATE_ROLLBACK_COMPLETE');
  assert.match(done.statusReason!, /quota exceeded/);
  await h.ctl.removeFault(fail);

  // Without a message, the reason names the fault.
  const bare = await h.ctl.addFault({ match: { stackName: 'bare' }, effect: 'fail', times: 1 });
  const bareId = await create('bare', { disableRollback: true });
  await h.clock.waitSleeping(1);
  h.clock.advance(h.clock.nextWakeIn!);
  const failed = await settled(bareId);
  assert.equal(failed.status, 'CREATE_FAILED');
  assert.match(failed.statusReason!, new RegExp(`Injected failure \\(${bare}\\)`));
});

it('applies a fault that names no stack to every standalone stack it matches (here by region and action)', async () => {
  const delay = await h.ctl.addFault({ match: { regionId: REGION, action: 'CREATE' }, effect: 'delay', delayMs: 2_000, times: 1 });
  const stackId = await create('unnamed-fault');
  await h.clock.waitSleeping(1);
  assert.equal(h.clock.nextWakeIn, STEP + 2_000);
  await pass(stackId, STEP + 2_000, 'CREATE_IN_PROGRESS');
  assert.equal((await settled(stackId)).status, 'CREATE_COMPLETE');
  assert.equal(await h.ctl.removeFault(delay), 404, 'the fault was used up');
});

it('fails or delays single resources: a delayed resource takes longer, a failed one fails the stack', async () => {
  await h.ctl.addFault({ match: { stackName: 'res', logicalResourceId: 'VSwitch' }, effect: 'delay', delayMs: 3_000, times: 1 });
  const id = await create('res');
  await h.clock.waitSleeping(1);
  assert.equal(h.clock.nextWakeIn, STEP + 3_000);
  await pass(id, STEP + 3_000, 'CREATE_IN_PROGRESS');
  assert.equal((await settled(id)).status, 'CREATE_COMPLETE');

  await h.ctl.addFault({ match: { stackName: 'resfail', resourceType: 'ALIYUN::ECS::VSwitch' }, effect: 'fail', times: 1 });
  const bad = await create('resfail', { disableRollback: true });
  await h.clock.waitSleeping(1);
  h.clock.advance(h.clock.nextWakeIn!);
  const done = await settled(bad);
  assert.equal(done.status, 'CREATE_FAILED');
  assert.match(done.statusReason!, /resources\.VSwitch: Injected failure \(fault-/);
  assert.deepEqual(await resources(bad), ['Vpc:CREATE_COMPLETE', 'VSwitch:CREATE_FAILED']);
  // By logical id: that resource only.
  await h.ctl.addFault({ match: { stackName: 'resfail2', logicalResourceId: 'Vpc' }, effect: 'fail', message: 'no vpc', times: 1 });
  const bad2 = await create('resfail2', { disableRollback: true });
  await h.clock.waitSleeping(1);
  h.clock.advance(h.clock.nextWakeIn!);
  assert.equal((await settled(bad2)).statusReason, 'Resource CREATE failed: resources.Vpc: no vpc');
  assert.deepEqual(await resources(bad2), ['Vpc:CREATE_FAILED', 'VSwitch:INIT_COMPLETE']);
  // Resource faults never apply to deletes: the delete succeeds.
  await h.ctl.addFault({ match: { stackName: 'resfail', logicalResourceId: 'Vpc' }, effect: 'fail' });
  await client().deleteStack(new $ROS.DeleteStackRequest({ regionId: REGION, stackId: bad }));
  await h.clock.waitSleeping(1);
  h.clock.advance(h.clock.nextWakeIn!);
  await waitFor(async () => (await sdkError(getStack(bad)).catch(() => ({ code: 'exists' }))).code, (c) => c === 'StackNotFound');
});

it('cancels a held create: rolled back with "Stack CREATE cancelled", the hold no longer waits', async () => {
  const hold = await h.ctl.addFault({ match: { stackName: 'held' }, effect: 'hold' });
  const id = await create('held');
  const held = await h.ctl.waitHeld(hold, 1);
  assert.equal(held[0].stackId, id);
  await client().cancelStackOperation(new $ROS.CancelStackOperationRequest({ regionId: REGION, stackId: id }));
  const done = await settled(id);
  assert.equal(done.status, 'CREATE_ROLLBACK_COMPLETE');
  assert.equal(done.statusReason, 'Stack CREATE cancelled');
  assert.deepEqual(await resources(id), []);
  await h.ctl.removeFault(hold);
});

it('cancels an update while it runs on the clock: rolled back, the template unchanged', async () => {
  const id = await create('cancel-update');
  await pass(id, STEP, 'CREATE_IN_PROGRESS');
  await settled(id);
  await rename(id, 'other');
  await h.clock.waitSleeping(1);
  await client().cancelUpdateStack(new $ROS.CancelUpdateStackRequest({ regionId: REGION, stackId: id }));
  const done = await settled(id);
  assert.equal(done.status, 'ROLLBACK_COMPLETE');
  assert.equal(done.statusReason, 'Stack UPDATE cancelled');
  assert.equal(done.parameters!.find((p) => p.parameterKey === 'Name')!.parameterValue, 'web');
  // The cancelled run's sleep is still there; passing it changes nothing.
  h.clock.advance(h.clock.nextWakeIn!);
  assert.equal((await getStack(id)).status, 'ROLLBACK_COMPLETE');
});

it('denies an update the stack policy protects, names what it denies, and lets an allowed one through', async () => {
  const policy = { Statement: [{ Effect: 'Allow', Action: 'Update:*', Principal: '*', Resource: '*' }, { Effect: 'Deny', Action: 'Update:*', Principal: '*', Resource: 'LogicalResourceId/Vpc' }] };
  const id = await create('policy', { stackPolicyBody: JSON.stringify(policy) });
  await pass(id, STEP, 'CREATE_IN_PROGRESS');
  await settled(id);
  await rename(id, 'other');
  await h.clock.waitSleeping(1);
  h.clock.advance(h.clock.nextWakeIn!);
  const denied = await settled(id);
  assert.equal(denied.status, 'ROLLBACK_COMPLETE');
  assert.equal(denied.statusReason, 'Action denied by stack policy: Update:Modify on resources.Vpc');
  // Removing the protected resource is a delete it denies as such.
  const noVpc = JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Resources: { Other: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' } } } });
  await client().updateStack(new $ROS.UpdateStackRequest({ regionId: REGION, stackId: id, templateBody: noVpc }));
  await h.clock.waitSleeping(1);
  h.clock.advance(h.clock.nextWakeIn!);
  assert.match((await settled(id)).statusReason!, /Update:Delete on resources\.Vpc/);
  // A policy allowing everything during this update: it goes through, and the stack keeps it.
  await rename(id, 'other', { stackPolicyDuringUpdateBody: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'Update:*', Principal: '*', Resource: '*' }] }) });
  await h.clock.waitSleeping(1);
  h.clock.advance(h.clock.nextWakeIn!);
  const updated = await settled(id);
  assert.equal(updated.status, 'UPDATE_COMPLETE');
  assert.equal(updated.parameters!.find((p) => p.parameterKey === 'Name')!.parameterValue, 'other');
});

it('times a stack out on the clock: TimeoutInMinutes of clock time fails it', async () => {
  await h.ctl.addFault({ match: { stackName: 'late' }, effect: 'delay', delayMs: 20 * 60_000, times: 1 });
  const id = await create('late', { timeoutInMinutes: 10, disableRollback: true });
  await h.clock.waitSleeping(1);
  // It ends at its timeout, not once the delay has passed.
  assert.equal(h.clock.nextWakeIn, 10 * 60_000);
  h.clock.advance(10 * 60_000);
  const done = await settled(id);
  assert.equal(done.status, 'CREATE_FAILED');
  assert.match(done.statusReason!, /time/i);
});

it('runs an operation in flight again after a restart, from the state before it', async () => {
  const hold = await h.ctl.addFault({ match: { stackName: 'restarted' }, effect: 'hold', times: 1 });
  const id = await create('restarted');
  await h.ctl.waitHeld(hold, 1);
  h = await h.restart();
  assert.equal((await getStack(id)).status, 'CREATE_IN_PROGRESS');
  // The hold was used by the first run; the new one runs on the clock.
  await pass(id, STEP, 'CREATE_IN_PROGRESS');
  assert.equal((await settled(id)).status, 'CREATE_COMPLETE');
  assert.deepEqual(await resources(id), ['Vpc:CREATE_COMPLETE', 'VSwitch:CREATE_COMPLETE']);
});

it('forgets runs in flight on a reset: their late outcome writes nothing', async () => {
  await create('dropped');
  await h.clock.waitSleeping(1);
  await h.ctl.reset();
  h.clock.advance(h.clock.nextWakeIn!);
  const id = await create('dropped');
  await pass(id, STEP, 'CREATE_IN_PROGRESS');
  assert.equal((await settled(id)).status, 'CREATE_COMPLETE');
  const listed = (await client().listStacks(new $ROS.ListStacksRequest({ regionId: REGION }))).body!.stacks!;
  assert.deepEqual(listed.map((s) => s.stackName), ['dropped']);
});

it('marks an executed change set EXECUTE_COMPLETE, or EXECUTE_FAILED when its stack action fails', async () => {
  // Runs the clock on until `done` holds: change sets are computed, then executed, on it.
  const until = async <T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> =>
    waitFor(async () => {
      if (h.clock.sleeping) h.clock.advance(h.clock.nextWakeIn!);
      return read();
    }, done);
  const changeSet = (changeSetId: string) => client().getChangeSet(new $ROS.GetChangeSetRequest({ regionId: REGION, changeSetId })).then((r) => r.body!);
  const run = async (stackName: string) => {
    const made = (await client().createChangeSet(new $ROS.CreateChangeSetRequest({ regionId: REGION, changeSetName: 'cs', changeSetType: 'CREATE', stackName, templateBody: PAIR }))).body!;
    await until(() => changeSet(made.changeSetId!), (cs) => cs.executionStatus === 'AVAILABLE');
    await client().executeChangeSet(new $ROS.ExecuteChangeSetRequest({ regionId: REGION, changeSetId: made.changeSetId! }));
    return (await until(() => changeSet(made.changeSetId!), (cs) => cs.executionStatus !== 'EXECUTE_IN_PROGRESS' && cs.executionStatus !== 'AVAILABLE')).executionStatus;
  };
  assert.equal(await run('cs-ok'), 'EXECUTE_COMPLETE');
  await h.ctl.addFault({ match: { stackName: 'cs-broken' }, effect: 'fail', message: 'no', times: 1 });
  assert.equal(await run('cs-broken'), 'EXECUTE_FAILED');
});
