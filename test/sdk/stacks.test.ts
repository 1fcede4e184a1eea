// Stacks behind stack instances (issue 4): a realistic template rolled out to several accounts
// and regions, read back through the stack APIs with each execution account's own key; updates,
// failures, rollback and deletes. Timing is made deterministic with holds, never with sleeps.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { $ROS, rosClient, type Credentials, type RosClient } from '../helpers/clients.ts';
import { control } from '../helpers/control.ts';
import { byTarget, REGION, ros, sdkError } from '../helpers/ros.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';

const ADMIN = '1000000000000001';
const DEV: Credentials = { accessKeyId: 'LTAI5tDevAccountKey', accessKeySecret: 'dev-secret' };
const PROD: Credentials = { accessKeyId: 'LTAI5tProdAccountKey', accessKeySecret: 'prod-secret' };
const DEV_ID = '2000000000000002';
const PROD_ID = '3000000000000003';
const CONFIG = {
  simulation: { stackOperationMs: 0 },
  accounts: [
    { accountId: ADMIN, accessKeys: [{ accessKeyId: 'LTAI5tLocalRosDefaultKey', accessKeySecret: 'localros-default-secret-do-not-use-in-cloud' }] },
    { accountId: DEV_ID, accessKeys: [DEV] },
    { accountId: PROD_ID, accessKeys: [PROD] },
  ],
};

// VPC, vSwitch, security group and an ECS instance; a mapping picks the CIDRs, a condition adds
// a bucket in prod, outputs use GetAtt, Join and Sub.
const WEB = {
  ROSTemplateFormatVersion: '2015-09-01',
  Description: 'A network and a web server',
  Parameters: {
    Env: { Type: 'String', AllowedValues: ['dev', 'prod'], Default: 'dev' },
    InstanceType: { Type: 'String', Default: 'ecs.g6.large' },
    DbPassword: { Type: 'String', NoEcho: true, Default: 'Secret-Pass-1' },
  },
  Mappings: { Cidr: { dev: { Vpc: '192.168.0.0/16', VSwitch: '192.168.1.0/24' }, prod: { Vpc: '10.0.0.0/8', VSwitch: '10.1.0.0/16' } } },
  Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
  Resources: {
    Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: { 'Fn::FindInMap': ['Cidr', { Ref: 'Env' }, 'Vpc'] }, VpcName: { 'Fn::Sub': '${ALIYUN::StackName}-vpc' } } },
    VSwitch: {
      Type: 'ALIYUN::ECS::VSwitch',
      Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: { 'Fn::FindInMap': ['Cidr', { Ref: 'Env' }, 'VSwitch'] }, ZoneId: { 'Fn::Select': ['0', { 'Fn::GetAZs': { Ref: 'ALIYUN::Region' } }] } },
    },
    SecurityGroup: { Type: 'ALIYUN::ECS::SecurityGroup', Properties: { VpcId: { Ref: 'Vpc' } } },
    Server: {
      Type: 'ALIYUN::ECS::Instance',
      Properties: { VSwitchId: { Ref: 'VSwitch' }, SecurityGroupId: { Ref: 'SecurityGroup' }, InstanceType: { Ref: 'InstanceType' }, ImageId: 'centos_7' },
    },
    Logs: { Type: 'ALIYUN::OSS::Bucket', Condition: 'IsProd', DeletionPolicy: 'Retain', Properties: { BucketName: { 'Fn::Sub': '${ALIYUN::StackName}-logs' } } },
  },
  Outputs: {
    VpcId: { Value: { 'Fn::GetAtt': ['Vpc', 'VpcId'] }, Description: 'The VPC' },
    VpcCidr: { Value: { 'Fn::GetAtt': ['Vpc', 'CidrBlock'] } },
    Endpoint: { Value: { 'Fn::Join': [':', [{ 'Fn::GetAtt': ['Server', 'PrivateIp'] }, '80']] } },
    Summary: { Value: { 'Fn::Sub': '${Env} server ${Server} in ${VSwitch.ZoneId}' } },
    LogsDomain: { Condition: 'IsProd', Value: { 'Fn::GetAtt': ['Logs', 'DomainName'] } },
  },
};

let server: ServerProcess;
let admin: ReturnType<typeof ros>;
let ctl: ReturnType<typeof control>;
const clients: Record<string, RosClient> = {};

before(async () => {
  server = await startServer({ config: CONFIG });
  admin = ros(rosClient(server.endpoint));
  ctl = control(server.url);
  clients[ADMIN] = admin.client;
  clients[DEV_ID] = rosClient(server.endpoint, { credentials: DEV });
  clients[PROD_ID] = rosClient(server.endpoint, { credentials: PROD });
});
after(() => server.stop());

// The stack APIs, as the account the stack lives in calls them.
function stacksOf(accountId: string) {
  const client = clients[accountId]!;
  return {
    async get(stackId: string, regionId: string) {
      return (await client.getStack(new $ROS.GetStackRequest({ regionId, stackId }))).body!;
    },
    async list(regionId: string, extra: Partial<$ROS.ListStacksRequest> = {}) {
      return (await client.listStacks(new $ROS.ListStacksRequest({ regionId, pageSize: 50, ...extra }))).body!;
    },
    async resources(stackId: string, regionId: string) {
      return (await client.listStackResources(new $ROS.ListStackResourcesRequest({ regionId, stackId }))).body!.resources!;
    },
    // Oldest first.
    async events(stackId: string, regionId: string, extra: Partial<$ROS.ListStackEventsRequest> = {}) {
      const body = (await client.listStackEvents(new $ROS.ListStackEventsRequest({ regionId, stackId, pageSize: 50, ...extra }))).body!;
      return body.events!.reverse();
    },
  };
}

const dev = () => stacksOf(DEV_ID);
const prod = () => stacksOf(PROD_ID);
const outputs = (items: Record<string, unknown>[] | undefined) => Object.fromEntries((items ?? []).map((o) => [o.OutputKey, o.OutputValue]));
const parameterValues = (items: { parameterKey?: string; parameterValue?: string }[] | undefined) =>
  Object.fromEntries((items ?? []).map((p) => [p.parameterKey, p.parameterValue]));

async function createGroup(name: string, template: object = WEB, extra: Partial<$ROS.CreateStackGroupRequest> = {}) {
  await admin.createGroup(name, { templateBody: JSON.stringify(template), ...extra });
}

async function instanceStack(group: string, accountId: string, regionId: string): Promise<string> {
  const id = (await admin.instance(group, accountId, regionId)).stackId;
  assert.ok(id, `${accountId}/${regionId} has a stack`);
  return id;
}

describe('a template rolled out as stacks', () => {
  const g = 'web';
  let devStack: string;
  let prodStack: string;

  before(async () => {
    await createGroup(g);
    await admin.waitStatus(await admin.createInstances(g, [DEV_ID], ['cn-beijing', 'cn-shanghai']), ['SUCCEEDED']);
    const override = [new $ROS.CreateStackInstancesRequestParameterOverrides({ parameterKey: 'Env', parameterValue: 'prod' })];
    await admin.waitStatus(await admin.createInstances(g, [PROD_ID], ['cn-beijing'], { parameterOverrides: override }), ['SUCCEEDED']);
    devStack = await instanceStack(g, DEV_ID, 'cn-beijing');
    prodStack = await instanceStack(g, PROD_ID, 'cn-beijing');
  });

  it('gives each instance a stack in its account and region', async () => {
    const list = await dev().list('cn-beijing');
    assert.equal(list.totalCount, 1);
    const [stack] = list.stacks!;
    assert.equal(stack.stackId, devStack);
    assert.match(stack.stackName!, /^StackGroup-web-[0-9a-f]{8}$/);
    assert.equal(stack.status, 'CREATE_COMPLETE');
    assert.equal(stack.regionId, 'cn-beijing');
    assert.equal((await dev().list('cn-shanghai')).totalCount, 1);
    assert.equal((await prod().list('cn-shanghai')).totalCount, 0);
  });

  it('reads a stack back with its parameters (defaults < group < overrides, NoEcho masked) and outputs', async () => {
    const stack = await dev().get(devStack, 'cn-beijing');
    assert.equal(stack.status, 'CREATE_COMPLETE');
    assert.equal(stack.statusReason, 'Stack successfully created');
    assert.equal(stack.templateDescription, 'A network and a web server');
    assert.equal(stack.disableRollback, false);
    assert.equal(stack.timeoutInMinutes, 60);
    assert.deepEqual(parameterValues(stack.parameters), {
      'ALIYUN::AccountId': DEV_ID,
      'ALIYUN::NoValue': 'None',
      'ALIYUN::Region': 'cn-beijing',
      'ALIYUN::StackId': devStack,
      'ALIYUN::StackName': stack.stackName,
      DbPassword: '******',
      Env: 'dev',
      InstanceType: 'ecs.g6.large',
    });
    const out = outputs(stack.outputs);
    assert.deepEqual(Object.keys(out), ['VpcId', 'VpcCidr', 'Endpoint', 'Summary']);
    assert.equal(out.VpcCidr, '192.168.0.0/16');
    assert.match(String(out.Endpoint), /^172\.16\.\d+\.\d+:80$/);
    assert.match(String(out.Summary), /^dev server i-[a-z0-9]+ in cn-beijing-[a-z]$/);
    assert.equal(parameterValues((await prod().get(prodStack, 'cn-beijing')).parameters).Env, 'prod');
    const none = (await clients[DEV_ID]!.getStack(new $ROS.GetStackRequest({ regionId: 'cn-beijing', stackId: devStack, outputOption: 'Disabled' }))).body!;
    assert.equal(none.outputs, undefined);
  });

  it('lists resources in creation order with deterministic physical ids that the outputs use', async () => {
    const resources = await dev().resources(devStack, 'cn-beijing');
    assert.deepEqual(
      resources.map((r) => [r.logicalResourceId, r.resourceType, r.status]),
      [
        ['Vpc', 'ALIYUN::ECS::VPC', 'CREATE_COMPLETE'],
        ['VSwitch', 'ALIYUN::ECS::VSwitch', 'CREATE_COMPLETE'],
        ['SecurityGroup', 'ALIYUN::ECS::SecurityGroup', 'CREATE_COMPLETE'],
        ['Server', 'ALIYUN::ECS::Instance', 'CREATE_COMPLETE'],
      ],
    );
    const ids = resources.map((r) => r.physicalResourceId!);
    assert.match(ids[0]!, /^vpc-/);
    assert.match(ids[1]!, /^vsw-/);
    assert.match(ids[2]!, /^sg-/);
    assert.match(ids[3]!, /^i-/);
    assert.equal(outputs((await dev().get(devStack, 'cn-beijing')).outputs).VpcId, ids[0]);
    // The condition holds in prod: the bucket exists there, and its output.
    const prodResources = await prod().resources(prodStack, 'cn-beijing');
    assert.deepEqual(prodResources.map((r) => r.logicalResourceId), ['Vpc', 'Logs', 'VSwitch', 'SecurityGroup', 'Server']);
    assert.notEqual(prodResources[0]!.physicalResourceId, ids[0]);
    const prodOut = outputs((await prod().get(prodStack, 'cn-beijing')).outputs);
    assert.equal(prodOut.VpcCidr, '10.0.0.0/8');
    assert.match(String(prodOut.LogsDomain), /\.oss-cn-beijing\.aliyuncs\.com$/);
  });

  it('records an event per resource transition, dependencies first', async () => {
    const events = await dev().events(devStack, 'cn-beijing');
    const trail = events.map((e) => `${e.logicalResourceId} ${e.status}`);
    const name = (await dev().get(devStack, 'cn-beijing')).stackName;
    assert.equal(trail[0], `${name} CREATE_IN_PROGRESS`);
    assert.equal(trail.at(-1), `${name} CREATE_COMPLETE`);
    assert.equal(events[0]!.statusReason, 'Stack CREATE started');
    assert.equal(events[0]!.resourceType, 'ALIYUN::ROS::Stack');
    for (const id of ['Vpc', 'VSwitch', 'SecurityGroup', 'Server']) {
      assert.ok(trail.indexOf(`${id} CREATE_IN_PROGRESS`) < trail.indexOf(`${id} CREATE_COMPLETE`), id);
    }
    assert.ok(trail.indexOf('Vpc CREATE_COMPLETE') < trail.indexOf('VSwitch CREATE_IN_PROGRESS'));
    assert.ok(trail.indexOf('VSwitch CREATE_COMPLETE') < trail.indexOf('Server CREATE_IN_PROGRESS'));
    assert.equal(new Set(events.map((e) => e.eventId)).size, events.length);
    const vpc = await dev().events(devStack, 'cn-beijing', { logicalResourceId: ['Vpc'] });
    assert.deepEqual(vpc.map((e) => [e.status, e.statusReason]), [['CREATE_IN_PROGRESS', 'state changed'], ['CREATE_COMPLETE', 'state changed']]);
    const done = await dev().events(devStack, 'cn-beijing', { status: ['CREATE_COMPLETE'], resourceType: ['ALIYUN::ECS::VPC', 'ALIYUN::ECS::Instance'] });
    assert.deepEqual(done.map((e) => e.logicalResourceId), ['Vpc', 'Server']);
  });

  it('shows the outputs on GetStackInstance with OutputOption=Enabled', async () => {
    const instance = (
      await admin.client.getStackInstance(
        new $ROS.GetStackInstanceRequest({ regionId: REGION, stackGroupName: g, stackInstanceAccountId: DEV_ID, stackInstanceRegionId: 'cn-beijing', outputOption: 'Enabled' }),
      )
    ).body!.stackInstance!;
    assert.equal(outputs(instance.outputs).VpcCidr, '192.168.0.0/16');
    assert.equal((await admin.instance(g, DEV_ID, 'cn-beijing')).outputs, undefined);
  });

  it('answers StackNotFound to any other account, the administrator included', async () => {
    for (const accountId of [ADMIN, PROD_ID]) {
      const err = await sdkError(stacksOf(accountId).get(devStack, 'cn-beijing'));
      assert.equal(err.code, 'StackNotFound');
      assert.equal(err.statusCode, 404);
      assert.equal(err.data!.Message, `The Stack (${devStack}) could not be found.`);
      assert.equal((await sdkError(stacksOf(accountId).resources(devStack, 'cn-beijing'))).code, 'StackNotFound');
      assert.equal((await sdkError(stacksOf(accountId).events(devStack, 'cn-beijing'))).code, 'StackNotFound');
    }
    assert.equal((await sdkError(dev().get(devStack, 'cn-shanghai'))).code, 'StackNotFound');
    assert.equal((await admin.client.listStacks(new $ROS.ListStacksRequest({ regionId: 'cn-beijing' }))).body!.totalCount, 0);
  });

  it('updates only what changed', async () => {
    const before = await dev().resources(devStack, 'cn-beijing');
    const template = structuredClone(WEB) as typeof WEB & { Resources: Record<string, unknown> };
    template.Resources.Role = { Type: 'ALIYUN::RAM::Role', Properties: { RoleName: 'web-app', AssumeRolePolicyDocument: { Version: '1', Statement: [] } } };
    const res = await admin.client.updateStackGroup(
      new $ROS.UpdateStackGroupRequest({
        regionId: REGION,
        stackGroupName: g,
        templateBody: JSON.stringify(template),
        parameters: [new $ROS.UpdateStackGroupRequestParameters({ parameterKey: 'InstanceType', parameterValue: 'ecs.g6.xlarge' })],
      }),
    );
    await admin.waitStatus(res.body!.operationId!, ['SUCCEEDED']);
    const stack = await dev().get(devStack, 'cn-beijing');
    assert.equal(stack.status, 'UPDATE_COMPLETE');
    assert.equal(parameterValues(stack.parameters).InstanceType, 'ecs.g6.xlarge');
    const events = await dev().events(devStack, 'cn-beijing');
    const update = events.slice(events.findIndex((e) => e.status === 'UPDATE_IN_PROGRESS')).map((e) => `${e.logicalResourceId} ${e.status}`);
    assert.deepEqual(update, [
      `${stack.stackName} UPDATE_IN_PROGRESS`,
      'Role CREATE_IN_PROGRESS',
      'Role CREATE_COMPLETE',
      'Server UPDATE_IN_PROGRESS',
      'Server UPDATE_COMPLETE',
      `${stack.stackName} UPDATE_COMPLETE`,
    ]);
    const after = await dev().resources(devStack, 'cn-beijing');
    assert.deepEqual(after.slice(0, 4).map((r) => r.physicalResourceId), before.map((r) => r.physicalResourceId));
    assert.deepEqual(after.map((r) => `${r.logicalResourceId} ${r.status}`), ['Vpc CREATE_COMPLETE', 'VSwitch CREATE_COMPLETE', 'SecurityGroup CREATE_COMPLETE', 'Server UPDATE_COMPLETE', 'Role CREATE_COMPLETE']);
  });
});

describe('failures', () => {
  const failing = structuredClone(WEB);
  (failing.Resources.Server as Record<string, unknown>).Metadata = { 'LocalRos::Fail': 'InvalidInstanceType: the type is sold out' };
  const REASON = 'Resource CREATE failed: resources.Server: InvalidInstanceType: the type is sold out';

  it('rolls a failed create back and shows the stack’s reason in the results', async () => {
    const g = 'fail-rollback';
    await createGroup(g, failing);
    const op = await admin.createInstances(g, [DEV_ID], ['cn-hangzhou']);
    assert.equal((await admin.waitStatus(op, ['SUCCEEDED', 'FAILED'])).status, 'FAILED');
    assert.deepEqual(byTarget(await admin.results(op), (r) => `${r.status}:${r.statusReason}`), { [`${DEV_ID}/cn-hangzhou`]: `FAILED:${REASON}` });
    const instance = await admin.instance(g, DEV_ID, 'cn-hangzhou');
    assert.equal(instance.status, 'OUTDATED');
    assert.equal(instance.statusReason, REASON);
    const stack = await dev().get(instance.stackId!, 'cn-hangzhou');
    assert.equal(stack.status, 'CREATE_ROLLBACK_COMPLETE');
    assert.equal(stack.statusReason, REASON);
    assert.deepEqual(await dev().resources(instance.stackId!, 'cn-hangzhou'), []);
    const trail = (await dev().events(instance.stackId!, 'cn-hangzhou')).map((e) => `${e.logicalResourceId} ${e.status}`);
    assert.ok(trail.includes('Server CREATE_FAILED'));
    assert.ok(trail.indexOf(`${stack.stackName} CREATE_ROLLBACK_IN_PROGRESS`) < trail.indexOf('Vpc DELETE_COMPLETE'));
    assert.equal(trail.at(-1), `${stack.stackName} CREATE_ROLLBACK_COMPLETE`);
  });

  it('keeps the failed stack’s resources with DisableRollback', async () => {
    const g = 'fail-keep';
    await createGroup(g, failing);
    const op = await admin.createInstances(g, [DEV_ID], ['cn-hangzhou'], { disableRollback: true });
    await admin.waitStatus(op, ['FAILED']);
    const stackId = await instanceStack(g, DEV_ID, 'cn-hangzhou');
    const stack = await dev().get(stackId, 'cn-hangzhou');
    assert.equal(stack.status, 'CREATE_FAILED');
    assert.equal(stack.disableRollback, true);
    const resources = await dev().resources(stackId, 'cn-hangzhou');
    assert.deepEqual(
      resources.map((r) => `${r.logicalResourceId} ${r.status}`),
      ['Vpc CREATE_COMPLETE', 'VSwitch CREATE_COMPLETE', 'SecurityGroup CREATE_COMPLETE', 'Server CREATE_FAILED'],
    );
    assert.equal(resources[3]!.statusReason, 'InvalidInstanceType: the type is sold out');
    assert.equal(resources[3]!.physicalResourceId, undefined);
  });

  it('rolls a failed update back to the previous template and values', async () => {
    const g = 'fail-update';
    await createGroup(g);
    await admin.waitStatus(await admin.createInstances(g, [DEV_ID], ['cn-hangzhou']), ['SUCCEEDED']);
    const stackId = await instanceStack(g, DEV_ID, 'cn-hangzhou');
    const before = await dev().resources(stackId, 'cn-hangzhou');
    const template = structuredClone(WEB) as typeof WEB & { Resources: Record<string, unknown> };
    template.Resources.Role = {
      Type: 'ALIYUN::RAM::Role',
      DependsOn: 'Server',
      Metadata: { 'LocalRos::Fail': 'NoPermission' },
      Properties: { RoleName: 'web-app', AssumeRolePolicyDocument: { Version: '1', Statement: [] } },
    };
    const res = await admin.client.updateStackGroup(
      new $ROS.UpdateStackGroupRequest({
        regionId: REGION,
        stackGroupName: g,
        templateBody: JSON.stringify(template),
        parameters: [new $ROS.UpdateStackGroupRequestParameters({ parameterKey: 'InstanceType', parameterValue: 'ecs.g6.xlarge' })],
      }),
    );
    await admin.waitStatus(res.body!.operationId!, ['FAILED']);
    const stack = await dev().get(stackId, 'cn-hangzhou');
    assert.equal(stack.status, 'ROLLBACK_COMPLETE');
    assert.equal(stack.statusReason, 'Resource CREATE failed: resources.Role: NoPermission');
    assert.equal(parameterValues(stack.parameters).InstanceType, 'ecs.g6.large');
    const after = await dev().resources(stackId, 'cn-hangzhou');
    assert.deepEqual(after.map((r) => [r.logicalResourceId, r.physicalResourceId]), before.map((r) => [r.logicalResourceId, r.physicalResourceId]));
    const template2 = (await dev().get(stackId, 'cn-hangzhou')).templateDescription;
    assert.equal(template2, WEB.Description);
  });

  it('keeps a control-plane failure’s message as the stack’s reason', async () => {
    const g = 'fail-fault';
    await createGroup(g);
    await ctl.addFault({ match: { stackGroupName: g }, effect: 'fail', message: 'ExecutionRole cannot be assumed' });
    const op = await admin.createInstances(g, [DEV_ID], ['cn-hangzhou']);
    await admin.waitStatus(op, ['FAILED']);
    assert.equal((await admin.results(op))[0]!.statusReason, 'ExecutionRole cannot be assumed');
    const stack = await dev().get(await instanceStack(g, DEV_ID, 'cn-hangzhou'), 'cn-hangzhou');
    assert.equal(stack.status, 'CREATE_ROLLBACK_COMPLETE');
    assert.equal(stack.statusReason, 'ExecutionRole cannot be assumed');
  });

  it('rejects an override the template refuses without creating a stack', async () => {
    const g = 'fail-override';
    await createGroup(g);
    const override = [new $ROS.CreateStackInstancesRequestParameterOverrides({ parameterKey: 'Env', parameterValue: 'staging' })];
    const op = await admin.createInstances(g, [DEV_ID], ['cn-hangzhou'], { parameterOverrides: override });
    await admin.waitStatus(op, ['FAILED']);
    const instance = await admin.instance(g, DEV_ID, 'cn-hangzhou');
    assert.equal(instance.statusReason, `Parameter 'Env' is invalid: "staging" is not an allowed value [dev, prod].`);
    assert.equal(instance.stackId, undefined);
    assert.equal((await dev().list('cn-hangzhou')).stacks!.some((s) => s.stackName!.startsWith(`StackGroup-${g}-`)), false);
  });
});

describe('stacks while their action runs, and deletes', () => {
  it('shows the stack CREATE_IN_PROGRESS while its target is held', async () => {
    const g = 'in-progress';
    await createGroup(g);
    const hold = await ctl.addFault({ match: { stackGroupName: g }, effect: 'hold' });
    const op = await admin.createInstances(g, [DEV_ID], ['cn-qingdao']);
    await ctl.waitHeld(hold, 1);
    const stackId = await instanceStack(g, DEV_ID, 'cn-qingdao');
    const running = await dev().get(stackId, 'cn-qingdao');
    assert.equal(running.status, 'CREATE_IN_PROGRESS');
    assert.equal(running.statusReason, 'Stack CREATE started');
    assert.deepEqual(await dev().resources(stackId, 'cn-qingdao'), []);
    await ctl.removeFault(hold);
    await admin.waitStatus(op, ['SUCCEEDED']);
    assert.equal((await dev().get(stackId, 'cn-qingdao')).status, 'CREATE_COMPLETE');
    assert.equal((await dev().resources(stackId, 'cn-qingdao')).length, 4);
  });

  it('removing a Retain resource from the template keeps it out of the stack without deleting it', async () => {
    const g = 'retain';
    await createGroup(g, WEB, { parameters: [new $ROS.CreateStackGroupRequestParameters({ parameterKey: 'Env', parameterValue: 'prod' })] });
    await admin.waitStatus(await admin.createInstances(g, [PROD_ID], ['cn-qingdao']), ['SUCCEEDED']);
    const stackId = await instanceStack(g, PROD_ID, 'cn-qingdao');
    const res = await admin.client.updateStackGroup(
      new $ROS.UpdateStackGroupRequest({
        regionId: REGION,
        stackGroupName: g,
        parameters: [new $ROS.UpdateStackGroupRequestParameters({ parameterKey: 'Env', parameterValue: 'dev' })],
      }),
    );
    await admin.waitStatus(res.body!.operationId!, ['SUCCEEDED']);
    const events = await prod().events(stackId, 'cn-qingdao', { logicalResourceId: ['Logs'] });
    assert.deepEqual(events.map((e) => e.status), ['CREATE_IN_PROGRESS', 'CREATE_COMPLETE', 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE']);
    assert.match(events[3]!.statusReason!, /DeletionPolicy is Retain/);
    assert.equal((await prod().resources(stackId, 'cn-qingdao')).some((r) => r.logicalResourceId === 'Logs'), false);
  });

  it('deletes stacks with their instances, or keeps them with RetainStacks', async () => {
    const g = 'deletes';
    await createGroup(g);
    await admin.waitStatus(await admin.createInstances(g, [DEV_ID], ['cn-qingdao', 'cn-zhangjiakou']), ['SUCCEEDED']);
    const deleted = await instanceStack(g, DEV_ID, 'cn-qingdao');
    const kept = await instanceStack(g, DEV_ID, 'cn-zhangjiakou');
    await admin.waitStatus(await admin.deleteInstances(g, [DEV_ID], ['cn-qingdao'], false), ['SUCCEEDED']);
    await admin.waitStatus(await admin.deleteInstances(g, [DEV_ID], ['cn-zhangjiakou'], true), ['SUCCEEDED']);
    assert.equal((await sdkError(dev().get(deleted, 'cn-qingdao'))).code, 'StackNotFound');
    assert.equal((await dev().list('cn-qingdao')).stacks!.some((s) => s.stackId === deleted), false);
    const retained = await dev().get(kept, 'cn-zhangjiakou');
    assert.equal(retained.status, 'CREATE_COMPLETE');
    assert.equal((await dev().resources(kept, 'cn-zhangjiakou')).length, 4);
  });
});

describe('drift on the stack', () => {
  it('GetStack shows the last detection of its stack: DRIFTED with its time, NOT_CHECKED before', async () => {
    const g = 'web-drift';
    await createGroup(g);
    await admin.waitStatus(await admin.createInstances(g, [DEV_ID], ['cn-beijing']), ['SUCCEEDED']);
    const stackId = await instanceStack(g, DEV_ID, 'cn-beijing');
    assert.equal((await dev().get(stackId, 'cn-beijing')).stackDriftStatus, 'NOT_CHECKED');
    const changed = await fetch(`${server.url}/_localros/stacks/${stackId}/resources/Vpc/drift`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ drift: 'MODIFIED' }),
    });
    assert.equal(changed.status, 204);
    const detection = await admin.client.detectStackGroupDrift(new $ROS.DetectStackGroupDriftRequest({ regionId: REGION, stackGroupName: g }));
    await admin.waitStatus(detection.body!.operationId!, ['SUCCEEDED']);
    const stack = await dev().get(stackId, 'cn-beijing');
    assert.equal(stack.stackDriftStatus, 'DRIFTED');
    assert.match(String(stack.driftDetectionTime), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  });
});

describe('the template a stack holds', () => {
  const templateOf = async (stackId: string) =>
    (await clients[DEV_ID]!.getTemplate(new $ROS.GetTemplateRequest({ regionId: 'cn-beijing', stackId }))).body!.templateBody;

  it('GetTemplate answers each stack its own template, and the new one after an update', async () => {
    const first = JSON.stringify({ ...WEB, Description: 'first template' });
    const second = JSON.stringify({ ...WEB, Description: 'second template' });
    await admin.createGroup('tpl-a', { templateBody: first });
    await admin.createGroup('tpl-b', { templateBody: second });
    for (const g of ['tpl-a', 'tpl-b']) await admin.waitStatus(await admin.createInstances(g, [DEV_ID], ['cn-beijing']), ['SUCCEEDED']);
    const a = await instanceStack('tpl-a', DEV_ID, 'cn-beijing');
    const b = await instanceStack('tpl-b', DEV_ID, 'cn-beijing');
    assert.equal(await templateOf(a), first);
    assert.equal(await templateOf(b), second);

    const update = await admin.client.updateStackGroup(new $ROS.UpdateStackGroupRequest({ regionId: REGION, stackGroupName: 'tpl-a', templateBody: second }));
    await admin.waitStatus(update.body!.operationId!, ['SUCCEEDED']);
    assert.equal(await templateOf(a), second);
    assert.equal(await templateOf(b), second);
  });
});
