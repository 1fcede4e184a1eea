// Change sets computed in the background (src/engine/change-set-creation.ts) on the fake clock:
// CREATE_PENDING for half of the simulated time, CREATE_IN_PROGRESS for the other half, then
// CREATE_COMPLETE with their changes or CREATE_FAILED with the reason; a restart computes the
// pending ones again and a reset forgets them.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { $ROS } from '../helpers/clients.ts';
import { waitFor } from '../helpers/control.ts';
import { REGION } from '../helpers/ros.ts';
import { startEngine, type EngineHarness } from './harness.ts';

const STEP = 1_000;
const VPC = JSON.stringify({
  ROSTemplateFormatVersion: '2015-09-01',
  Parameters: { Name: { Type: 'String', Default: 'web' } },
  Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8', VpcName: { Ref: 'Name' } } } },
});

let h: EngineHarness;
before(async () => (h = await startEngine({ persistent: true, config: { simulation: { stackOperationMs: STEP } } })));
after(() => h.stop());

async function createChangeSet(stackName: string, templateBody = VPC): Promise<string> {
  const request = new $ROS.CreateChangeSetRequest({ regionId: REGION, changeSetName: 'cs', changeSetType: 'CREATE', stackName, templateBody });
  return (await h.api.client.createChangeSet(request)).body!.changeSetId!;
}
const changeSet = async (changeSetId: string) => (await h.api.client.getChangeSet(new $ROS.GetChangeSetRequest({ regionId: REGION, changeSetId }))).body!;
const statusOf = async (changeSetId: string) => (await changeSet(changeSetId)).status;

it('computes a change set in two phases of half the simulated time each', async () => {
  const id = await createChangeSet('phases');
  await h.clock.waitSleeping(1);
  assert.equal(h.clock.nextWakeIn, STEP / 2);
  assert.equal(await statusOf(id), 'CREATE_PENDING');
  h.clock.advance(STEP / 2);
  await waitFor(() => statusOf(id), (s) => s === 'CREATE_IN_PROGRESS');
  await h.clock.waitSleeping(1);
  assert.equal(h.clock.nextWakeIn, STEP / 2);
  h.clock.advance(STEP / 2);
  await waitFor(() => statusOf(id), (s) => s === 'CREATE_COMPLETE');
  const done = await changeSet(id);
  assert.equal(done.executionStatus, 'AVAILABLE');
  assert.equal(done.changes!.length, 1);
  assert.match(JSON.stringify(done.changes), /"LogicalResourceId":"Vpc"/);
});

it('fails a change set whose template the engine refuses, with the reason', async () => {
  const id = await createChangeSet('refused', JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { VpcName: { Ref: 'Missing' } } } } }));
  await h.clock.waitSleeping(1);
  h.clock.advance(STEP / 2);
  await h.clock.waitSleeping(1);
  h.clock.advance(STEP / 2);
  const failed = await waitFor(() => changeSet(id), (c) => c.status === 'CREATE_FAILED');
  assert.match(failed.statusReason ?? '', /Missing/);
  assert.deepEqual(failed.changes ?? [], [], 'a failed change set lists no changes');
});

it('computes a pending change set again after a restart, and forgets one on a reset', async () => {
  const id = await createChangeSet('restarted');
  await h.clock.waitSleeping(1);
  h = await h.restart();
  assert.equal(await statusOf(id), 'CREATE_PENDING');
  await h.clock.waitSleeping(1);
  h.clock.advance(STEP / 2);
  await h.clock.waitSleeping(1);
  h.clock.advance(STEP / 2);
  await waitFor(() => statusOf(id), (s) => s === 'CREATE_COMPLETE');

  await createChangeSet('reset');
  await h.clock.waitSleeping(1);
  await h.ctl.reset();
  // The computation in flight wakes up after the reset and writes nothing.
  h.clock.advance(STEP / 2);
  const again = await createChangeSet('reset');
  await h.clock.waitSleeping(1);
  h.clock.advance(STEP / 2);
  await h.clock.waitSleeping(1);
  h.clock.advance(STEP / 2);
  await waitFor(() => statusOf(again), (s) => s === 'CREATE_COMPLETE');
  const listed = (await h.api.client.listChangeSets(new $ROS.ListChangeSetsRequest({ regionId: REGION, stackId: (await changeSet(again)).stackId! }))).body!.changeSets!;
  assert.deepEqual(listed.map((c) => c.changeSetId), [again]);
});

it('computes an UPDATE change set against its stack: the changed resource and the values it shows', async () => {
  // Runs the clock on until `done` holds.
  const until = <T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> =>
    waitFor(async () => {
      if (h.clock.sleeping) h.clock.advance(h.clock.nextWakeIn!);
      return read();
    }, done);
  const stackId = (await h.api.client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: 'updated', templateBody: VPC }))).body!.stackId!;
  const getStack = () => h.api.client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId })).then((r) => r.body!);
  await until(getStack, (s) => s.status === 'CREATE_COMPLETE');
  const request = new $ROS.CreateChangeSetRequest({
    regionId: REGION,
    changeSetName: 'rename',
    changeSetType: 'UPDATE',
    stackId,
    templateBody: VPC,
    parameters: [new $ROS.CreateChangeSetRequestParameters({ parameterKey: 'Name', parameterValue: 'api' })],
  });
  const id = (await h.api.client.createChangeSet(request)).body!.changeSetId!;
  const done = await until(() => changeSet(id), (c) => c.status === 'CREATE_COMPLETE');
  assert.deepEqual(
    done.parameters!.filter((p) => p.parameterKey === 'Name').map((p) => p.parameterValue),
    ['api'],
  );
  assert.equal(done.changes!.length, 1);
  assert.match(JSON.stringify(done.changes), /"Action":"Modify"/);
});
