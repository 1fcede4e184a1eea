// Drift detection of a stack group (src/engine/drift.ts) at its edges, with the server in the
// test's process: what a stopping detection shows, and what a target that fails leaves.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { $ROS } from '../helpers/clients.ts';
import { REGION } from '../helpers/ros.ts';
import { startEngine, type EngineHarness } from './harness.ts';

const TEMPLATE = JSON.stringify({
  ROSTemplateFormatVersion: '2015-09-01',
  Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' } } },
});

let h: EngineHarness;
before(async () => (h = await startEngine()));
after(() => h.stop());

async function deployed(group: string, accounts: string[]): Promise<void> {
  await h.api.createGroup(group, { templateBody: TEMPLATE });
  await h.api.waitStatus(await h.api.createInstances(group, accounts, ['cn-beijing']), ['SUCCEEDED']);
}
async function detect(group: string, preferences: Record<string, number> = {}): Promise<string> {
  const res = await h.api.client.detectStackGroupDrift(new $ROS.DetectStackGroupDriftRequest({ regionId: REGION, stackGroupName: group, operationPreferences: preferences }));
  return res.body!.operationId!;
}
// A change made outside ROS to one resource of a stack.
async function drift(stackId: string, logicalResourceId: string): Promise<void> {
  const res = await fetch(`${h.url}/_localros/stacks/${stackId}/resources/${logicalResourceId}/drift`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ drift: 'MODIFIED' }),
  });
  assert.equal(res.status, 204);
}

const counts = (d: $ROS.GetStackGroupOperationResponseBodyStackGroupOperationStackGroupDriftDetectionDetail) =>
  `${d.driftDetectionStatus} ${d.stackGroupDriftStatus} in progress ${d.inProgressStackInstancesCount}, cancelled ${d.cancelledStackInstancesCount}, in sync ${d.inSyncStackInstancesCount}`;
const groupDetail = async (group: string) =>
  (await h.api.client.getStackGroup(new $ROS.GetStackGroupRequest({ regionId: REGION, stackGroupName: group }))).body!.stackGroup!.stackGroupDriftDetectionDetail;

it('counts a stopping detection in progress until its held target ends, and records no finding for the group', async () => {
  await deployed('drift-stopping', ['1001', '1002']);
  const hold = await h.ctl.addFault({ match: { stackGroupName: 'drift-stopping' }, effect: 'hold' });
  const op = await detect('drift-stopping');
  await h.ctl.waitHeld(hold, 1);
  // One target held, one waiting for the window: nothing checked yet.
  assert.equal(counts((await h.api.operation(op)).stackGroupDriftDetectionDetail!), 'IN_PROGRESS NOT_CHECKED in progress 2, cancelled 0, in sync 0');
  await h.api.stop(op);
  const stopping = await h.api.operation(op);
  assert.equal(stopping.status, 'STOPPING');
  assert.equal(counts(stopping.stackGroupDriftDetectionDetail!), 'IN_PROGRESS NOT_CHECKED in progress 1, cancelled 1, in sync 0');
  await h.ctl.removeFault(hold);
  const stopped = await h.api.waitStatus(op, ['STOPPED']);
  assert.equal(counts(stopped.stackGroupDriftDetectionDetail!), 'STOPPED IN_SYNC in progress 0, cancelled 1, in sync 1');
  // Only a detection that succeeds is the group's.
  assert.equal(await groupDetail('drift-stopping'), undefined);
});

it('keeps the earlier finding of an instance whose target fails in a later detection', async () => {
  await deployed('drift-kept', ['1001']);
  const { stackId } = await h.api.instance('drift-kept', '1001', 'cn-beijing');
  await drift(stackId!, 'Vpc');
  await h.api.waitStatus(await detect('drift-kept'), ['SUCCEEDED']);
  const found = await h.api.instance('drift-kept', '1001', 'cn-beijing');
  assert.equal(found.stackDriftStatus, 'DRIFTED');
  assert.ok(found.driftDetectionTime);

  const fault = await h.ctl.addFault({ match: { stackGroupName: 'drift-kept' }, effect: 'fail', message: 'check refused' });
  // A second later, so that a new finding would show a new time.
  h.clock.advance(1_000);
  const failed = await h.api.waitStatus(await detect('drift-kept', { FailureToleranceCount: 1 }), ['SUCCEEDED', 'FAILED']);
  await h.ctl.removeFault(fault);
  assert.equal(failed.stackGroupDriftDetectionDetail!.failedStackInstancesCount, 1);
  const kept = await h.api.instance('drift-kept', '1001', 'cn-beijing');
  assert.equal(kept.stackDriftStatus, 'DRIFTED');
  assert.equal(kept.driftDetectionTime, found.driftDetectionTime);
});
