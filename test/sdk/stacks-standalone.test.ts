// Standalone stacks (issue 12): CreateStack & co. through the official SDK (V3, and V1 where the
// signature matters), asynchronous statuses caught with control-plane holds, resource faults and
// rollback, the Terraform provider's call sequence, protection and policies.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { $ROS, rosClient, type RosClient } from '../helpers/clients.ts';
import { control, waitFor } from '../helpers/control.ts';
import { v1Request } from '../helpers/raw-client.ts';
import { REGION, ros, sdkError } from '../helpers/ros.ts';
import { startLocalRos, type LocalRos } from 'localros/testing';

const CONFIG = { simulation: { stackOperationMs: 0 } };

// Three resources in a chain: Vpc → VSwitch → Server.
const CHAIN = {
  ROSTemplateFormatVersion: '2015-09-01',
  Description: 'A chain of three',
  Parameters: { Name: { Type: 'String', Default: 'web' }, Secret: { Type: 'String', NoEcho: true, Default: 'pw' } },
  Resources: {
    Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8', VpcName: { Ref: 'Name' } } },
    VSwitch: { Type: 'ALIYUN::ECS::VSwitch', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.1.0.0/16', ZoneId: 'cn-hangzhou-h' } },
    Server: { Type: 'ALIYUN::ECS::Instance', Properties: { VSwitchId: { Ref: 'VSwitch' }, InstanceType: 'ecs.g6.large', ImageId: 'centos_7' } },
  },
  Outputs: { VpcId: { Value: { 'Fn::GetAtt': ['Vpc', 'VpcId'] } } },
};
const CHAIN_BODY = JSON.stringify(CHAIN);

let server: LocalRos;
let client: RosClient;
let ctl: ReturnType<typeof control>;

before(async () => {
  server = await startLocalRos({ config: CONFIG });
  client = rosClient(server.endpoint);
  ctl = control(server.url);
});
after(() => server.stop());

function create(name: string, extra: Partial<$ROS.CreateStackRequest> = {}, c: RosClient = client) {
  return c.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: name, templateBody: CHAIN_BODY, ...extra }));
}
async function getStack(stackId: string) {
  return (await client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!;
}
// Polls GetStack until the status leaves *_IN_PROGRESS, as every ROS client does.
function settled(stackId: string) {
  return waitFor(() => getStack(stackId), (s) => !s.status!.endsWith('_IN_PROGRESS'));
}
async function resources(stackId: string) {
  return (await client.listStackResources(new $ROS.ListStackResourcesRequest({ regionId: REGION, stackId }))).body!.resources!;
}
async function events(stackId: string, extra: Partial<$ROS.ListStackEventsRequest> = {}) {
  return (await client.listStackEvents(new $ROS.ListStackEventsRequest({ regionId: REGION, stackId, pageSize: 50, ...extra }))).body!;
}

describe('CreateStack', () => {
  it('answers at once, shows CREATE_IN_PROGRESS while held, then CREATE_COMPLETE with every documented field', async () => {
    const hold = await ctl.addFault({ match: { stackName: 'held' }, effect: 'hold' });
    const stackId = (await create('held', { parameters: [new $ROS.CreateStackRequestParameters({ parameterKey: 'Name', parameterValue: 'shop' })], notificationURLs: ['http://127.0.0.1:1/hook'], ramRoleName: 'role-a', resourceGroupId: 'rg-1', timeoutInMinutes: 30 })).body!.stackId!;
    await ctl.waitHeld(hold, 1);
    const running = await getStack(stackId);
    assert.equal(running.status, 'CREATE_IN_PROGRESS');
    assert.equal(running.statusReason, 'Stack CREATE started');
    await ctl.removeFault(hold);
    const done = await settled(stackId);
    assert.equal(done.status, 'CREATE_COMPLETE');
    assert.equal(done.statusReason, 'Stack successfully created');
    assert.equal(done.stackName, 'held');
    assert.equal(done.description, 'A chain of three');
    assert.equal(done.timeoutInMinutes, 30);
    assert.equal(done.disableRollback, false);
    assert.equal(done.deletionProtection, 'Disabled');
    assert.deepEqual(done.notificationURLs, ['http://127.0.0.1:1/hook']);
    assert.equal(done.ramRoleName, 'role-a');
    assert.equal(done.resourceGroupId, 'rg-1');
    const params = Object.fromEntries(done.parameters!.map((x) => [x.parameterKey, x.parameterValue]));
    assert.equal(params.Name, 'shop');
    assert.equal(params.Secret, '******');
    assert.match(String((done.outputs![0] as Record<string, unknown>).OutputValue), /^vpc-/);
    const list = await resources(stackId);
    assert.deepEqual(list.map((r) => [r.logicalResourceId, r.status]), [['Vpc', 'CREATE_COMPLETE'], ['VSwitch', 'CREATE_COMPLETE'], ['Server', 'CREATE_COMPLETE']]);
    const ev = await events(stackId, { logicalResourceId: ['held'] });
    assert.deepEqual(ev.events!.map((e) => e.status), ['CREATE_COMPLETE', 'CREATE_IN_PROGRESS']);
    const one = (await client.getStackResource(new $ROS.GetStackResourceRequest({ regionId: REGION, stackId, logicalResourceId: 'Vpc', showResourceAttributes: true }))).body!;
    assert.equal(one.resourceType, 'ALIYUN::ECS::VPC');
    assert.ok((one.resourceAttributes as { Key: string }[]).some((a) => a.Key === 'VpcId'));
  });

  it('refuses a taken name, a bad template and bad values synchronously, creating nothing', async () => {
    await create('taken');
    assert.equal((await sdkError(create('taken'))).code, 'StackExists');
    assert.equal((await sdkError(create('bad', { templateBody: '{"ROSTemplateFormatVersion":"2015-09-01","Resources":{"X":{"Type":"AWS::Nope"}}}' }))).code, 'InvalidTemplate');
    assert.equal((await sdkError(create('bad', { parameters: [new $ROS.CreateStackRequestParameters({ parameterKey: 'Nope', parameterValue: '1' })] }))).code, 'UnknownUserParameter');
    const e = await sdkError(client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: 'bad' })));
    assert.equal(e.code, 'MissingParameter');
    const listed = await client.listStacks(new $ROS.ListStacksRequest({ regionId: REGION, stackName: ['bad'] }));
    assert.equal(listed.body!.totalCount, 0);
  });

  it('is idempotent with ClientToken', async () => {
    const a = await create('token', { clientToken: 'tok-1' });
    const b = await create('token', { clientToken: 'tok-1' });
    assert.equal(a.body!.stackId, b.body!.stackId);
    assert.equal((await sdkError(create('token-other', { clientToken: 'tok-1' }))).code, 'InvalidIdempotenceParameter');
  });

  it('fails the third resource with a resource fault and rolls back, or keeps what was made with DisableRollback', async () => {
    await ctl.addFault({ match: { stackName: 'third', logicalResourceId: 'Server' }, effect: 'fail', message: 'InvalidInstanceType: sold out' });
    const rolled = await settled((await create('third')).body!.stackId!);
    assert.equal(rolled.status, 'CREATE_ROLLBACK_COMPLETE');
    assert.equal(rolled.statusReason, 'Resource CREATE failed: resources.Server: InvalidInstanceType: sold out');
    assert.deepEqual(await resources(rolled.stackId!), []);

    await ctl.addFault({ match: { stackName: 'kept', resourceType: 'ALIYUN::ECS::Instance' }, effect: 'fail', times: 1 });
    const kept = await settled((await create('kept', { disableRollback: true })).body!.stackId!);
    assert.equal(kept.status, 'CREATE_FAILED');
    assert.deepEqual((await resources(kept.stackId!)).map((r) => r.status), ['CREATE_COMPLETE', 'CREATE_COMPLETE', 'CREATE_FAILED']);
    // ContinueCreateStack creates what is missing; the fault was used up.
    await client.continueCreateStack(new $ROS.ContinueCreateStackRequest({ regionId: REGION, stackId: kept.stackId }));
    const continued = await settled(kept.stackId!);
    assert.equal(continued.status, 'CREATE_COMPLETE');
    assert.deepEqual((await resources(kept.stackId!)).map((r) => r.status), ['CREATE_COMPLETE', 'CREATE_COMPLETE', 'CREATE_COMPLETE']);
    const again = await sdkError(client.continueCreateStack(new $ROS.ContinueCreateStackRequest({ regionId: REGION, stackId: kept.stackId })));
    assert.equal(again.code, 'InvalidParameter');
  });
});

describe('one operation at a time', () => {
  it('refuses UpdateStack and DeleteStack with ActionInProgress while one runs, and CancelUpdateStack rolls an update back', async () => {
    const stackId = (await create('busy')).body!.stackId!;
    await settled(stackId);
    const hold = await ctl.addFault({ match: { stackName: 'busy', action: 'UPDATE' }, effect: 'hold' });
    const changed = JSON.stringify({ ...CHAIN, Resources: { ...CHAIN.Resources, Vpc: { ...CHAIN.Resources.Vpc, Properties: { CidrBlock: '172.16.0.0/12' } } } });
    await client.updateStack(new $ROS.UpdateStackRequest({ regionId: REGION, stackId, templateBody: changed }));
    await ctl.waitHeld(hold, 1);
    assert.equal((await getStack(stackId)).status, 'UPDATE_IN_PROGRESS');
    const busy = await sdkError(client.updateStack(new $ROS.UpdateStackRequest({ regionId: REGION, stackId, templateBody: CHAIN_BODY })));
    assert.equal(busy.code, 'ActionInProgress');
    assert.equal(busy.statusCode, 409);
    assert.equal(busy.data?.Message, 'Stack busy already has an action (UPDATE) in progress.');
    assert.equal((await sdkError(client.deleteStack(new $ROS.DeleteStackRequest({ regionId: REGION, stackId })))).code, 'ActionInProgress');
    await client.cancelUpdateStack(new $ROS.CancelUpdateStackRequest({ regionId: REGION, stackId }));
    const done = await settled(stackId);
    assert.equal(done.status, 'ROLLBACK_COMPLETE');
    assert.equal(done.statusReason, 'Stack UPDATE cancelled');
    const vpc = (await client.getTemplate(new $ROS.GetTemplateRequest({ regionId: REGION, stackId }))).body!.templateBody!;
    assert.equal(vpc, CHAIN_BODY);
    await ctl.removeFault(hold);
    const notRunning = await sdkError(client.cancelUpdateStack(new $ROS.CancelUpdateStackRequest({ regionId: REGION, stackId })));
    assert.equal(notRunning.code, 'InvalidParameter');
  });

  it('CancelStackOperation cancels a create held in progress', async () => {
    const hold = await ctl.addFault({ match: { stackName: 'cancel-create' }, effect: 'hold' });
    const stackId = (await create('cancel-create')).body!.stackId!;
    await ctl.waitHeld(hold, 1);
    await client.cancelStackOperation(new $ROS.CancelStackOperationRequest({ regionId: REGION, stackId }));
    const done = await settled(stackId);
    assert.equal(done.status, 'CREATE_ROLLBACK_COMPLETE');
    assert.equal(done.statusReason, 'Stack CREATE cancelled');
    await ctl.removeFault(hold);
  });
});

describe('the Terraform provider (alicloud_ros_stack)', () => {
  it('creates, polls, updates, polls, deletes and polls until StackNotFound', async () => {
    const stackId = (await create('terraform', { timeoutInMinutes: 60 })).body!.stackId!;
    assert.equal((await settled(stackId)).status, 'CREATE_COMPLETE');
    const physical = (await resources(stackId)).map((r) => r.physicalResourceId);
    await client.updateStack(new $ROS.UpdateStackRequest({ regionId: REGION, stackId, parameters: [new $ROS.UpdateStackRequestParameters({ parameterKey: 'Name', parameterValue: 'renamed' })], usePreviousParameters: true }));
    const updated = await settled(stackId);
    assert.equal(updated.status, 'UPDATE_COMPLETE');
    assert.equal(updated.parameters!.find((x) => x.parameterKey === 'Name')!.parameterValue, 'renamed');
    // Only the VPC changed; every resource keeps its physical id.
    assert.deepEqual((await resources(stackId)).map((r) => r.physicalResourceId), physical);
    await client.deleteStack(new $ROS.DeleteStackRequest({ regionId: REGION, stackId }));
    const gone = await waitFor(() => sdkError(getStack(stackId)).catch(() => undefined), (e) => e?.code === 'StackNotFound');
    assert.equal(gone!.statusCode, 404);
  });
});

describe('protection', () => {
  it('SetDeletionProtection makes DeleteStack refuse, and can be lifted', async () => {
    const stackId = (await create('protected', { deletionProtection: 'Enabled' })).body!.stackId!;
    await settled(stackId);
    const refused = await sdkError(client.deleteStack(new $ROS.DeleteStackRequest({ regionId: REGION, stackId })));
    assert.equal(refused.code, 'InvalidOperation.DeletionProtection');
    assert.equal((await getStack(stackId)).status, 'CREATE_COMPLETE');
    await client.setDeletionProtection(new $ROS.SetDeletionProtectionRequest({ regionId: REGION, stackId, deletionProtection: 'Disabled' }));
    assert.equal((await getStack(stackId)).deletionProtection, 'Disabled');
    await client.deleteStack(new $ROS.DeleteStackRequest({ regionId: REGION, stackId }));
  });

  it('a stack policy denies updating a protected resource; StackPolicyDuringUpdateBody lets one update through', async () => {
    const policy = { Statement: [{ Effect: 'Allow', Action: 'Update:*', Principal: '*', Resource: '*' }, { Effect: 'Deny', Action: 'Update:*', Principal: '*', Resource: 'LogicalResourceId/Vpc' }] };
    const stackId = (await create('policy', { stackPolicyBody: JSON.stringify(policy) })).body!.stackId!;
    await settled(stackId);
    assert.deepEqual((await client.getStackPolicy(new $ROS.GetStackPolicyRequest({ regionId: REGION, stackId }))).body!.stackPolicyBody, policy);
    const rename = (name: string, extra: Partial<$ROS.UpdateStackRequest> = {}) =>
      client.updateStack(new $ROS.UpdateStackRequest({ regionId: REGION, stackId, parameters: [new $ROS.UpdateStackRequestParameters({ parameterKey: 'Name', parameterValue: name })], ...extra }));
    await rename('other');
    const denied = await settled(stackId);
    assert.equal(denied.status, 'ROLLBACK_COMPLETE');
    assert.equal(denied.statusReason, 'Action denied by stack policy: Update:Modify on resources.Vpc');
    await rename('other', { stackPolicyDuringUpdateBody: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'Update:*', Principal: '*', Resource: '*' }] }) });
    assert.equal((await settled(stackId)).status, 'UPDATE_COMPLETE');
    await client.setStackPolicy(new $ROS.SetStackPolicyRequest({ regionId: REGION, stackId, stackPolicyBody: '{"Statement":[{"Effect":"Allow","Action":"Update:*","Resource":"*"}]}' }));
    await rename('third');
    assert.equal((await settled(stackId)).status, 'UPDATE_COMPLETE');
    const bad = await sdkError(client.setStackPolicy(new $ROS.SetStackPolicyRequest({ regionId: REGION, stackId, stackPolicyBody: 'not json' })));
    assert.equal(bad.code, 'InvalidParameter');
  });
});

describe('one model with stack-group stacks', () => {
  it('lists both, and refuses UpdateStack / DeleteStack on a stack of a stack instance', async () => {
    const admin = ros(client);
    await admin.createGroup('mixed');
    const op = await admin.createInstances('mixed', ['1000000000000001'], [REGION]);
    await admin.waitStatus(op, ['SUCCEEDED']);
    const instanceStack = (await admin.instance('mixed', '1000000000000001', REGION)).stackId!;
    const listed = (await client.listStacks(new $ROS.ListStacksRequest({ regionId: REGION, pageSize: 50 }))).body!.stacks!;
    assert.ok(listed.some((s) => s.stackId === instanceStack));
    assert.ok(listed.some((s) => s.stackName === 'terraform') === false);
    const refused = await sdkError(client.deleteStack(new $ROS.DeleteStackRequest({ regionId: REGION, stackId: instanceStack })));
    assert.equal(refused.code, 'NotSupported');
    assert.match(refused.data!.Message!, /stack group mixed/);
  });
});

describe('V1 and XML', () => {
  it('creates and reads a stack signed with V1, answering XML', async () => {
    const v1 = rosClient(server.endpoint, { v1: true });
    const stackId = (await create('v1-stack', {}, v1)).body!.stackId!;
    await settled(stackId);
    const res = await v1Request(server.url, { action: 'GetStack', params: { RegionId: REGION, StackId: stackId }, format: 'XML' });
    assert.equal(res.status, 200);
    assert.match(res.text, /<Status>CREATE_COMPLETE<\/Status>/);
    assert.match(res.text, /<StackName>v1-stack<\/StackName>/);
    const preview = (await v1.previewStack(new $ROS.PreviewStackRequest({ regionId: REGION, stackName: 'p', templateBody: CHAIN_BODY }))).body!.stack!;
    assert.deepEqual(preview.resources!.map((r) => [r.logicalResourceId, r.action]), [['Vpc', 'Add'], ['VSwitch', 'Add'], ['Server', 'Add']]);
  });
});
