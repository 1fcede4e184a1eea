// Stack drift (issue 12) through the SDK, V3 and V1: DetectStackDrift, DetectStackResourceDrift,
// GetStackDriftDetectionStatus, ListStackResourceDrifts and the drift columns of
// ListStackResources / GetStack, over changes made outside ROS through the control plane.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { $ROS, rosClient, type RosClient } from '../helpers/clients.ts';
import { control } from '../helpers/control.ts';
import { REGION, ros, sdkError } from '../helpers/ros.ts';
import { startLocalRos, type LocalRos } from 'localros/testing';

const ADMIN = '1000000000000001';
const TEMPLATE = JSON.stringify({
  ROSTemplateFormatVersion: '2015-09-01',
  Parameters: { Cidr: { Type: 'String', Default: '192.168.0.0/16' } },
  Resources: {
    Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: { Ref: 'Cidr' }, VpcName: 'web', Tags: [{ Key: 'a', Value: '1' }] } },
    VSwitch: { Type: 'ALIYUN::ECS::VSwitch', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '192.168.1.0/24', ZoneId: 'cn-hangzhou-h' } },
    Sg: { Type: 'ALIYUN::ECS::SecurityGroup', Properties: { VpcId: { Ref: 'Vpc' } } },
  },
});

let server: LocalRos;
let api: ReturnType<typeof ros>;
let v1: RosClient;
let ctl: ReturnType<typeof control>;
let stackId: string;

before(async () => {
  server = await startLocalRos({ config: { simulation: { stackOperationMs: 0 } } });
  api = ros(rosClient(server.endpoint));
  v1 = rosClient(server.endpoint, { v1: true });
  ctl = control(server.url);
  await api.createGroup('sd', { templateBody: TEMPLATE });
  await api.waitStatus(await api.createInstances('sd', [ADMIN], [REGION]), ['SUCCEEDED']);
  stackId = (await api.instances('sd'))[0].stackId!;
});
after(() => server.stop());

async function drift(logicalId: string, body: Record<string, unknown>): Promise<number> {
  const res = await fetch(`${server.url}/_localros/stacks/${stackId}/resources/${logicalId}/drift`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.status;
}

async function detect(client: RosClient, logicalResourceId?: string[]): Promise<$ROS.GetStackDriftDetectionStatusResponseBody> {
  const id = (await client.detectStackDrift(new $ROS.DetectStackDriftRequest({ regionId: REGION, stackId, logicalResourceId }))).body!.driftDetectionId!;
  return (await client.getStackDriftDetectionStatus(new $ROS.GetStackDriftDetectionStatusRequest({ regionId: REGION, driftDetectionId: id }))).body!;
}

async function resources(): Promise<Record<string, string>> {
  const list = (await api.client.listStackResources(new $ROS.ListStackResourcesRequest({ regionId: REGION, stackId }))).body!.resources!;
  return Object.fromEntries(list.map((r) => [r.logicalResourceId, `${r.resourceDriftStatus}${r.driftDetectionTime ? '@' : ''}`]));
}

async function drifts(statuses?: string[]) {
  return (await api.client.listStackResourceDrifts(new $ROS.ListStackResourceDriftsRequest({ regionId: REGION, stackId, resourceDriftStatus: statuses }))).body!;
}

describe('Stack drift', () => {
  it('finds drift on exactly the resources changed outside ROS, with the properties expected and found', async () => {
    assert.deepEqual(await resources(), { Vpc: 'NOT_CHECKED', VSwitch: 'NOT_CHECKED', Sg: 'NOT_CHECKED' });
    assert.equal(await drift('Vpc', { drift: 'MODIFIED', properties: { CidrBlock: '10.0.0.0/8', VpcName: null, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] } }), 204);
    assert.equal(await drift('Sg', { drift: 'DELETED' }), 204);

    const status = await detect(api.client);
    assert.equal(status.driftDetectionStatus, 'DETECTION_COMPLETE');
    assert.equal(status.driftDetectionStatusReason, 'Detect stack drift successfully');
    assert.equal(status.stackDriftStatus, 'DRIFTED');
    assert.equal(status.driftedStackResourceCount, 2);
    assert.equal(status.stackId, stackId);
    assert.ok(status.driftDetectionTime);

    assert.deepEqual(await resources(), { Vpc: 'MODIFIED@', VSwitch: 'IN_SYNC@', Sg: 'DELETED@' });
    const stack = (await api.client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!;
    assert.equal(stack.stackDriftStatus, 'DRIFTED');
    assert.equal(stack.driftDetectionTime, status.driftDetectionTime);

    const all = await drifts();
    assert.deepEqual(all.resourceDrifts!.map((d) => `${d.logicalResourceId}:${d.resourceDriftStatus}`), ['Vpc:MODIFIED', 'VSwitch:IN_SYNC', 'Sg:DELETED']);
    const [vpc] = (await drifts(['MODIFIED'])).resourceDrifts!;
    assert.deepEqual(JSON.parse(vpc.expectedProperties!), { CidrBlock: '192.168.0.0/16', VpcName: 'web', Tags: [{ Key: 'a', Value: '1' }] });
    assert.deepEqual(JSON.parse(vpc.actualProperties!), { CidrBlock: '10.0.0.0/8', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] });
    assert.deepEqual(
      vpc.propertyDifferences!.map((d) => `${d.propertyPath} ${d.differenceType} ${d.expectedValue ?? '-'} -> ${d.actualValue ?? '-'}`),
      ['/CidrBlock NOT_EQUAL 192.168.0.0/16 -> 10.0.0.0/8', '/VpcName REMOVE web -> -', '/Tags/1 ADD - -> {"Key":"b","Value":"2"}'],
    );
    assert.equal(vpc.physicalResourceId?.startsWith('vpc-'), true);
    const [sg] = (await drifts(['DELETED'])).resourceDrifts!;
    assert.equal(sg.actualProperties, undefined);
    assert.deepEqual(sg.propertyDifferences, []);
  });

  it('checks one resource with DetectStackResourceDrift (V1), and only the resources named with DetectStackDrift', async () => {
    const one = (await v1.detectStackResourceDrift(new $ROS.DetectStackResourceDriftRequest({ regionId: REGION, stackId, logicalResourceId: 'Vpc' }))).body!;
    assert.equal(one.resourceDriftStatus, 'MODIFIED');
    assert.equal(one.resourceType, 'ALIYUN::ECS::VPC');
    assert.equal(one.propertyDifferences!.length, 3);
    assert.equal(JSON.parse(one.expectedProperties!).CidrBlock, '192.168.0.0/16');

    // Back in sync: the Vpc alone is checked again, and the stack follows what was checked.
    assert.equal(await drift('Vpc', { drift: null }), 204);
    const status = await detect(v1, ['Vpc']);
    assert.equal(status.stackDriftStatus, 'IN_SYNC');
    assert.equal(status.driftedStackResourceCount, 0);
    assert.deepEqual(await resources(), { Vpc: 'IN_SYNC@', VSwitch: 'IN_SYNC@', Sg: 'DELETED@' });
    const vpc = (await drifts(['IN_SYNC'])).resourceDrifts!.find((d) => d.logicalResourceId === 'Vpc')!;
    assert.deepEqual(vpc.propertyDifferences, []);
    assert.equal(vpc.actualProperties, vpc.expectedProperties);
  });

  it('pages ListStackResourceDrifts with MaxResults and NextToken', async () => {
    const first = (await api.client.listStackResourceDrifts(new $ROS.ListStackResourceDriftsRequest({ regionId: REGION, stackId, maxResults: 2 }))).body!;
    assert.equal(first.resourceDrifts!.length, 2);
    const second = (await api.client.listStackResourceDrifts(new $ROS.ListStackResourceDriftsRequest({ regionId: REGION, stackId, maxResults: 2, nextToken: first.nextToken }))).body!;
    assert.deepEqual(second.resourceDrifts!.map((d) => d.logicalResourceId), ['Sg']);
    assert.equal(second.nextToken, undefined);
  });

  it('fails a detection while an operation runs on the stack', async () => {
    const fault = await ctl.addFault({ match: { stackGroupName: 'sd', action: 'UPDATE' }, effect: 'hold' });
    const op = await api.updateInstances('sd', [ADMIN], [REGION]);
    await ctl.waitHeld(fault, 1);
    const status = await detect(api.client);
    assert.equal(status.driftDetectionStatus, 'DETECTION_FAILED');
    assert.match(status.driftDetectionStatusReason!, /UPDATE_IN_PROGRESS/);
    await ctl.removeFault(fault);
    await api.waitStatus(op, ['SUCCEEDED']);
  });

  it('records each resource of a group stack when DetectStackGroupDrift runs', async () => {
    await drift('VSwitch', { drift: 'MODIFIED', properties: { ZoneId: 'cn-hangzhou-i' } });
    const op = (await api.client.detectStackGroupDrift(new $ROS.DetectStackGroupDriftRequest({ regionId: REGION, stackGroupName: 'sd' }))).body!.operationId!;
    await api.waitStatus(op, ['SUCCEEDED']);
    const checked = await resources();
    assert.equal(checked.VSwitch, 'MODIFIED@');
    const [vswitch] = (await drifts(['MODIFIED'])).resourceDrifts!;
    assert.deepEqual(vswitch.propertyDifferences!.map((d) => `${d.propertyPath}=${d.actualValue}`), ['/ZoneId=cn-hangzhou-i']);
  });

  it('answers the documented errors', async () => {
    const cases: [string, () => Promise<unknown>, string][] = [
      ['unknown stack', () => api.client.detectStackDrift(new $ROS.DetectStackDriftRequest({ regionId: REGION, stackId: 'nope' })), 'StackNotFound'],
      ['unknown resource', () => api.client.detectStackResourceDrift(new $ROS.DetectStackResourceDriftRequest({ regionId: REGION, stackId, logicalResourceId: 'Nope' })), 'StackResourceNotFound'],
      ['unknown resource in a list', () => api.client.detectStackDrift(new $ROS.DetectStackDriftRequest({ regionId: REGION, stackId, logicalResourceId: ['Vpc', 'Nope'] })), 'StackResourceNotFound'],
      ['unknown detection', () => api.client.getStackDriftDetectionStatus(new $ROS.GetStackDriftDetectionStatusRequest({ regionId: REGION, driftDetectionId: 'nope' })), 'StackDriftDetectionNotFound'],
      ['missing stack id', () => api.client.listStackResourceDrifts(new $ROS.ListStackResourceDriftsRequest({ regionId: REGION })), 'MissingParameter'],
      ['wrong region', () => api.client.listStackResourceDrifts(new $ROS.ListStackResourceDriftsRequest({ regionId: 'cn-beijing', stackId })), 'StackNotFound'],
    ];
    for (const [what, call, code] of cases) assert.equal((await sdkError(call())).code, code, what);
  });
});
