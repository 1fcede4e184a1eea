// DetectStackGroupDrift and ImportStacksToStackGroup (issue 5) through the SDK; drift is caused
// through the control plane, as a change made outside ROS.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { $ROS, rosClient } from '../helpers/clients.ts';
import { control } from '../helpers/control.ts';
import { byTarget, REGION, ros, sdkError } from '../helpers/ros.ts';
import { startLocalRos, type LocalRos } from 'localros/testing';

const TEMPLATE = JSON.stringify({
  ROSTemplateFormatVersion: '2015-09-01',
  Resources: {
    Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' } },
    Sg: { Type: 'ALIYUN::ECS::SecurityGroup', Properties: { VpcId: { Ref: 'Vpc' } } },
  },
});

let server: LocalRos;
let api: ReturnType<typeof ros>;
let ctl: ReturnType<typeof control>;

before(async () => {
  server = await startLocalRos({ config: { simulation: { stackOperationMs: 0 } } });
  api = ros(rosClient(server.endpoint));
  ctl = control(server.url);
});
after(() => server.stop());

async function drift(stackId: string, logicalResourceId: string, value: 'MODIFIED' | 'DELETED' | null): Promise<number> {
  const res = await fetch(`${server.url}/_localros/stacks/${stackId}/resources/${logicalResourceId}/drift`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ drift: value }),
  });
  return res.status;
}

async function detect(group: string, preferences: Record<string, number> = {}): Promise<string> {
  const res = await api.client.detectStackGroupDrift(new $ROS.DetectStackGroupDriftRequest({ regionId: REGION, stackGroupName: group, operationPreferences: preferences }));
  return res.body!.operationId!;
}

async function deployed(group: string, accounts: string[]): Promise<Record<string, string>> {
  await api.createGroup(group, { templateBody: TEMPLATE });
  await api.waitStatus(await api.createInstances(group, accounts, ['cn-beijing']), ['SUCCEEDED']);
  return byTarget(await api.instances(group), (i) => i.stackId) as Record<string, string>;
}

describe('DetectStackGroupDrift', () => {
  it('finds drift on exactly the stacks changed outside ROS', async () => {
    const stackIds = await deployed('drift', ['1001', '1002', '1003']);
    assert.equal(await drift(stackIds['1002/cn-beijing'], 'Sg', 'MODIFIED'), 204);
    const before = await api.instance('drift', '1001', 'cn-beijing');
    assert.equal(before.stackDriftStatus, undefined);

    const op = await detect('drift', { MaxConcurrentCount: 2 });
    const done = await api.waitStatus(op, ['SUCCEEDED', 'FAILED']);
    assert.equal(done.action, 'DETECT_DRIFT');
    assert.equal(done.status, 'SUCCEEDED');
    const detail = done.stackGroupDriftDetectionDetail!;
    assert.equal(detail.driftDetectionStatus, 'COMPLETED');
    assert.equal(detail.stackGroupDriftStatus, 'DRIFTED');
    assert.equal(detail.totalStackInstancesCount, 3);
    assert.equal(detail.driftedStackInstancesCount, 1);
    assert.equal(detail.inSyncStackInstancesCount, 2);
    assert.equal(detail.failedStackInstancesCount, 0);

    const instances = byTarget(await api.instances('drift'), (i) => `${i.status}:${i.stackDriftStatus}:${i.driftDetectionTime ? 'time' : ''}`);
    assert.deepEqual(instances, { '1001/cn-beijing': 'CURRENT:IN_SYNC:time', '1002/cn-beijing': 'CURRENT:DRIFTED:time', '1003/cn-beijing': 'CURRENT:IN_SYNC:time' });
    const group = (await api.client.getStackGroup(new $ROS.GetStackGroupRequest({ regionId: REGION, stackGroupName: 'drift' }))).body!.stackGroup!;
    assert.equal(group.stackGroupDriftDetectionDetail?.stackGroupDriftStatus, 'DRIFTED');
    const listed = (await api.client.listStackGroups(new $ROS.ListStackGroupsRequest({ regionId: REGION }))).body!.stackGroups!.find((g) => g.stackGroupName === 'drift');
    assert.equal(listed?.stackGroupDriftStatus, 'DRIFTED');

    // Back in sync: a new detection says so.
    await drift(stackIds['1002/cn-beijing'], 'Sg', null);
    await api.waitStatus(await detect('drift'), ['SUCCEEDED']);
    assert.equal((await api.instance('drift', '1002', 'cn-beijing')).stackDriftStatus, 'IN_SYNC');
  });

  it('shows IN_PROGRESS on the operation, never on the group, and can be stopped', async () => {
    await deployed('drift-stop', ['1001', '1002', '1003']);
    const hold = await ctl.addFault({ match: { stackGroupName: 'drift-stop' }, effect: 'hold', times: 1 });
    const op = await detect('drift-stop');
    await ctl.waitHeld(hold, 1);
    const running = await api.operation(op);
    assert.equal(running.stackGroupDriftDetectionDetail!.driftDetectionStatus, 'IN_PROGRESS');
    // Until it ends, the detection's time is the operation's start.
    assert.equal(running.stackGroupDriftDetectionDetail!.driftDetectionTime, running.createTime);
    const group = (await api.client.getStackGroup(new $ROS.GetStackGroupRequest({ regionId: REGION, stackGroupName: 'drift-stop' }))).body!.stackGroup!;
    assert.equal(group.stackGroupDriftDetectionDetail, undefined);
    await api.stop(op);
    await ctl.removeFault(hold);
    const stopped = await api.waitStatus(op, ['STOPPED']);
    assert.equal(stopped.stackGroupDriftDetectionDetail!.driftDetectionStatus, 'STOPPED');
    assert.equal(stopped.stackGroupDriftDetectionDetail!.cancelledStackInstancesCount, 2);
    assert.equal((await api.instance('drift-stop', '1003', 'cn-beijing')).status, 'CURRENT');
  });

  it('counts failures over the whole operation, not per region; an instance without a stack fails', async () => {
    await api.createGroup('drift-fail', { templateBody: TEMPLATE });
    // Stopping a rollout leaves three instances without a stack.
    const hold = await ctl.addFault({ match: { stackGroupName: 'drift-fail' }, effect: 'hold', times: 1 });
    const create = await api.createInstances('drift-fail', ['1001', '1002'], ['cn-beijing', 'cn-shanghai']);
    await ctl.waitHeld(hold, 1);
    await api.stop(create);
    await ctl.removeFault(hold);
    await api.waitStatus(create, ['STOPPED']);
    // One failure per region is within a per-region tolerance of 1, but two in all are not.
    const op = await detect('drift-fail', { FailureToleranceCount: 1, MaxConcurrentCount: 1 });
    const done = await api.waitStatus(op, ['SUCCEEDED', 'FAILED']);
    assert.equal(done.status, 'FAILED');
    assert.deepEqual(byTarget(await api.results(op), (r) => r.status), {
      '1001/cn-beijing': 'SUCCEEDED',
      '1002/cn-beijing': 'FAILED',
      '1001/cn-shanghai': 'FAILED',
      '1002/cn-shanghai': 'CANCELLED',
    });
    const detail = done.stackGroupDriftDetectionDetail!;
    assert.equal(detail.driftDetectionStatus, 'FAILED');
    assert.equal(detail.failedStackInstancesCount, 2);
    assert.equal(detail.cancelledStackInstancesCount, 1);
    assert.equal(detail.inSyncStackInstancesCount, 1);
    assert.equal((await api.results(op)).find((r) => r.accountId === '1002' && r.regionId === 'cn-beijing')!.statusReason, 'The stack instance has no stack to check for drift');
    // Failures within the tolerance: the operation succeeds, the detection is a partial success.
    const partial = await api.waitStatus(await detect('drift-fail', { FailureToleranceCount: 3, MaxConcurrentCount: 1 }), ['SUCCEEDED', 'FAILED']);
    assert.equal(partial.status, 'SUCCEEDED');
    const partialDetail = partial.stackGroupDriftDetectionDetail!;
    assert.equal(partialDetail.driftDetectionStatus, 'PARTIAL_SUCCESS');
    assert.equal(partialDetail.failedStackInstancesCount, 3);
    assert.equal(partialDetail.driftDetectionTime, partial.endTime);
    assert.notEqual(partial.createTime, undefined);
  });
});

describe('ImportStacksToStackGroup', () => {
  it('makes existing stacks instances of a group', async () => {
    const stackIds = await deployed('import-source', ['1001', '1002']);
    await api.waitStatus(await api.deleteInstances('import-source', ['1001', '1002'], ['cn-beijing'], true), ['SUCCEEDED']);
    await api.createGroup('import-target', { templateBody: TEMPLATE });
    const arns = ['1001', '1002'].map((a) => `acs:ros:cn-beijing:${a}:stack/${stackIds[`${a}/cn-beijing`]}`);
    const res = await api.client.importStacksToStackGroup(new $ROS.ImportStacksToStackGroupRequest({ regionId: REGION, stackGroupName: 'import-target', stackArns: arns }));
    const op = await api.waitStatus(res.body!.operationId!, ['SUCCEEDED', 'FAILED']);
    assert.equal(op.status, 'SUCCEEDED');
    const instances = byTarget(await api.instances('import-target'), (i) => `${i.status}:${i.stackId}`);
    assert.deepEqual(instances, {
      '1001/cn-beijing': `CURRENT:${stackIds['1001/cn-beijing']}`,
      '1002/cn-beijing': `CURRENT:${stackIds['1002/cn-beijing']}`,
    });
    // An imported stack belongs to its new group and cannot be imported twice.
    await api.createGroup('import-again', { templateBody: TEMPLATE });
    const again = await sdkError(api.client.importStacksToStackGroup(new $ROS.ImportStacksToStackGroupRequest({ regionId: REGION, stackGroupName: 'import-again', stackArns: [arns[0]] })));
    assert.equal(again.code, 'InvalidParameter');
    assert.match(again.data!.Message!, /already belongs to a stack group/);
  });

  it('answers StackNotFound for an unknown stack and InvalidParameter for a malformed ARN', async () => {
    await api.createGroup('import-errors', { templateBody: TEMPLATE });
    const call = (arn: string) =>
      sdkError(api.client.importStacksToStackGroup(new $ROS.ImportStacksToStackGroupRequest({ regionId: REGION, stackGroupName: 'import-errors', stackArns: [arn] })));
    const missing = await call('acs:ros:cn-beijing:1001:stack/00000000-0000-0000-0000-000000000000');
    assert.equal(missing.code, 'StackNotFound');
    assert.equal(missing.statusCode, 404);
    const malformed = await call('arn:aws:cloudformation:stack/x');
    assert.equal(malformed.code, 'InvalidParameter');
    assert.equal(malformed.statusCode, 400);
  });
});
