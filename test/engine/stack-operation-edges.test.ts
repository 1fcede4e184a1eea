// Standalone stacks' operations (src/engine/stack-operations.ts) on the fake clock, beyond
// test/engine/stacks.test.ts: a continued create is a CREATE to the control plane's faults, an
// update keeps its DisableRollback and TimeoutInMinutes, a resource's own delay adds to a delay
// fault's, wait condition handles point at localros, and wait conditions that do not wait.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { $ROS } from '../helpers/clients.ts';
import { waitFor } from '../helpers/control.ts';
import { REGION } from '../helpers/ros.ts';
import { startEngine, type EngineHarness } from './harness.ts';

const STEP = 1_000;
const PAIR = JSON.stringify({
  ROSTemplateFormatVersion: '2015-09-01',
  Resources: {
    Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' } },
    VSwitch: { Type: 'ALIYUN::ECS::VSwitch', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.1.0.0/16', ZoneId: 'cn-hangzhou-h' } },
  },
});
const WAITING = JSON.stringify({
  ROSTemplateFormatVersion: '2015-09-01',
  Resources: {
    Handle: { Type: 'ALIYUN::ROS::WaitConditionHandle' },
    Wait: { Type: 'ALIYUN::ROS::WaitCondition', Properties: { Handle: { Ref: 'Handle' }, Timeout: 600 } },
  },
});

let h: EngineHarness;
before(async () => (h = await startEngine({ config: { simulation: { stackOperationMs: STEP } } })));
after(() => h.stop());

const getStack = async (stackId: string, engine = h) => (await engine.api.client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!;
const settled = (stackId: string, engine = h) => waitFor(() => getStack(stackId, engine), (s) => !s.status!.endsWith('_IN_PROGRESS'));
async function create(name: string, templateBody = PAIR, extra: Partial<$ROS.CreateStackRequest> = {}, engine = h): Promise<string> {
  return (await engine.api.client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: name, templateBody, ...extra }))).body!.stackId!;
}
// Lets every action of the stack's operation end on the clock until it settles.
const run = (stackId: string) =>
  waitFor(
    async () => {
      if (h.clock.nextWakeIn !== undefined) h.clock.advance(h.clock.nextWakeIn);
      return getStack(stackId);
    },
    (s) => !s.status!.endsWith('_IN_PROGRESS'),
  );

it('applies a CREATE fault to ContinueCreateStack too', async () => {
  await h.ctl.addFault({ match: { stackName: 'continued', action: 'CREATE' }, effect: 'fail', message: 'still broken', times: 2 });
  const stackId = await create('continued', PAIR, { disableRollback: true });
  assert.equal((await run(stackId)).status, 'CREATE_FAILED');
  await h.api.client.continueCreateStack(new $ROS.ContinueCreateStackRequest({ regionId: REGION, stackId }));
  const again = await run(stackId);
  assert.equal(again.status, 'CREATE_FAILED');
  assert.match(again.statusReason ?? '', /still broken/);
  // The fault is used up: the next continue completes.
  await h.api.client.continueCreateStack(new $ROS.ContinueCreateStackRequest({ regionId: REGION, stackId }));
  assert.equal((await run(stackId)).status, 'CREATE_COMPLETE');
});

it('keeps what an update sets: its DisableRollback and TimeoutInMinutes', async () => {
  const stackId = await create('reconfigured', PAIR, { timeoutInMinutes: 60 });
  assert.equal((await run(stackId)).status, 'CREATE_COMPLETE');
  const changed = JSON.stringify({ ...JSON.parse(PAIR), Description: 'changed' });
  await h.api.client.updateStack(new $ROS.UpdateStackRequest({ regionId: REGION, stackId, templateBody: changed, disableRollback: true, timeoutInMinutes: 30 }));
  const done = await run(stackId);
  assert.equal(done.status, 'UPDATE_COMPLETE', done.statusReason);
  assert.equal(done.disableRollback, true);
  assert.equal(done.timeoutInMinutes, 30);
  assert.equal(done.description, 'changed');
});

it("adds a resource delay fault to the resource's own LocalRos::DelayMs", async () => {
  const slow = JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Metadata: { 'LocalRos::DelayMs': 2_000 }, Properties: { CidrBlock: '10.0.0.0/8' } } } });
  await h.ctl.addFault({ match: { stackName: 'delayed', logicalResourceId: 'Vpc' }, effect: 'delay', delayMs: 3_000, times: 1 });
  const stackId = await create('delayed', slow);
  await h.clock.waitSleeping(1);
  assert.equal(h.clock.nextWakeIn, STEP + 2_000 + 3_000);
  assert.equal((await run(stackId)).status, 'CREATE_COMPLETE');
});

it("gives a lone WaitConditionHandle the URL of localros's API", async () => {
  const handleOnly = JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Resources: { Handle: { Type: 'ALIYUN::ROS::WaitConditionHandle' } } });
  const stackId = await create('handle-only', handleOnly);
  assert.equal((await run(stackId)).status, 'CREATE_COMPLETE');
  const handle = (await h.api.client.getStackResource(new $ROS.GetStackResourceRequest({ regionId: REGION, stackId, logicalResourceId: 'Handle', showResourceAttributes: true }))).body!;
  const url = (handle.resourceAttributes as { Key: string; Value: unknown }[]).find((a) => a.Key === 'URL')!.Value as string;
  assert.ok(url.startsWith(`${h.url}/waitcondition?`), url);
});

it('completes wait conditions at once when configured not to wait for signals', async () => {
  const own = await startEngine({ config: { simulation: { stackOperationMs: 0, waitConditionSignals: false } } });
  try {
    const stackId = await create('no-wait', WAITING, {}, own);
    const done = await settled(stackId, own);
    assert.equal(done.status, 'CREATE_COMPLETE', done.statusReason);
  } finally {
    await own.stop();
  }
});

it('lets an update create a resource the stack policy protects from updates: a creation is no update', async () => {
  const policy = { Statement: [{ Effect: 'Allow', Action: 'Update:*', Principal: '*', Resource: '*' }, { Effect: 'Deny', Action: 'Update:*', Principal: '*', Resource: 'LogicalResourceId/Extra' }] };
  const stackId = await create('policy-create', PAIR, { stackPolicyBody: JSON.stringify(policy) });
  assert.equal((await run(stackId)).status, 'CREATE_COMPLETE');
  const grown = JSON.parse(PAIR) as { Resources: Record<string, unknown> };
  grown.Resources.Extra = { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '192.168.0.0/16' } };
  await h.api.client.updateStack(new $ROS.UpdateStackRequest({ regionId: REGION, stackId, templateBody: JSON.stringify(grown) }));
  const done = await run(stackId);
  assert.equal(done.status, 'UPDATE_COMPLETE', done.statusReason);
});

it('creates a stack of more resources than one write holds: every resource and event once', async () => {
  const resources = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`Vpc${i}`, { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' } }]));
  const stackId = await create('large', JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Resources: resources }));
  assert.equal((await run(stackId)).status, 'CREATE_COMPLETE');
  const listed = (await h.api.client.listStackResources(new $ROS.ListStackResourcesRequest({ regionId: REGION, stackId }))).body!.resources!;
  assert.equal(listed.length, 120);
  assert.ok(listed.every((r) => r.status === 'CREATE_COMPLETE'));
  const events = (await h.api.client.listStackEvents(new $ROS.ListStackEventsRequest({ regionId: REGION, stackId, pageSize: 50 }))).body!;
  assert.equal(events.totalCount, 2 * 120 + 2);
});

it('adds no time for the delayMs of a fault that fails rather than delays, on the stack or on a resource', async () => {
  await h.ctl.addFault({ match: { stackName: 'fail-not-slow' }, effect: 'fail', message: 'no', delayMs: 5_000, times: 1 });
  const stackId = await create('fail-not-slow', PAIR, { disableRollback: true });
  await h.clock.waitSleeping(1);
  assert.equal(h.clock.nextWakeIn, STEP);
  assert.equal((await run(stackId)).status, 'CREATE_FAILED');

  // A failing resource takes as long with the fault's delayMs as without.
  const failingResource = async (name: string, delay: { delayMs?: number }) => {
    await h.ctl.addFault({ match: { stackName: name, logicalResourceId: 'Vpc' }, effect: 'fail', message: 'no', ...delay, times: 1 });
    const id = await create(name, PAIR, { disableRollback: true });
    await h.clock.waitSleeping(1);
    const takes = h.clock.nextWakeIn;
    assert.equal((await run(id)).status, 'CREATE_FAILED');
    return takes;
  };
  assert.equal(await failingResource('resource-fail-delayed', { delayMs: 5_000 }), await failingResource('resource-fail-plain', {}));
});
