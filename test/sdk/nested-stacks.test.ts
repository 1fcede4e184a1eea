// Nested stacks (issue 12): ALIYUN::ROS::Stack creates a real child stack from TemplateBody or
// TemplateURL, its outputs read by the parent, hidden from ListStacks unless ShowNestedStack;
// updates and deletes cascade; a failing child fails its resource and the parent rolls back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { $ROS, rosClient, type RosClient } from '../helpers/clients.ts';
import { waitFor } from '../helpers/control.ts';
import { REGION, ros, sdkError } from '../helpers/ros.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';
import { serveHttp, type HttpFixture } from '../helpers/http-fixture.ts';

const CHILD = {
  ROSTemplateFormatVersion: '2015-09-01',
  Parameters: { Cidr: { Type: 'String' } },
  Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: { Ref: 'Cidr' } } } },
  Outputs: { VpcId: { Value: { Ref: 'Vpc' } }, Cidr: { Value: { Ref: 'Cidr' } } },
};

function parent(child: Record<string, unknown>, cidr = '10.0.0.0/8') {
  return JSON.stringify({
    ROSTemplateFormatVersion: '2015-09-01',
    Resources: { Net: { Type: 'ALIYUN::ROS::Stack', Properties: { ...child, Parameters: { Cidr: cidr } } } },
    Outputs: { ChildVpc: { Value: { 'Fn::GetAtt': ['Net', 'Outputs.VpcId'] } }, ChildCidr: { Value: { 'Fn::GetAtt': ['Net', 'Outputs.Cidr'] } } },
  });
}

let server: ServerProcess;
let client: RosClient;
let templates: HttpFixture;
let templatesUrl = '';

before(async () => {
  server = await startServer({ config: { simulation: { stackOperationMs: 0 } } });
  client = rosClient(server.endpoint);
  templates = await serveHttp((req, res) => {
    if (req.url === '/child.json') res.end(JSON.stringify(CHILD));
    else res.writeHead(404).end();
  });
  templatesUrl = templates.url;
});
after(async () => {
  await server.stop();
  await templates.close();
});

async function getStack(stackId: string) {
  return (await client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!;
}
const settled = (stackId: string) => waitFor(() => getStack(stackId), (s) => !s.status!.endsWith('_IN_PROGRESS'));
async function create(name: string, templateBody: string) {
  const id = (await client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: name, templateBody }))).body!.stackId!;
  return settled(id);
}
async function resources(stackId: string) {
  return (await client.listStackResources(new $ROS.ListStackResourcesRequest({ regionId: REGION, stackId }))).body!.resources!;
}
const outputs = (s: $ROS.GetStackResponseBody) => Object.fromEntries((s.outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));

describe('nested stacks', () => {
  it('creates a real child stack from an inline TemplateBody, whose outputs the parent reads', async () => {
    const top = await create('nest-inline', parent({ TemplateBody: CHILD }));
    assert.equal(top.status, 'CREATE_COMPLETE', top.statusReason);
    const [net] = await resources(top.stackId!);
    assert.equal(net!.resourceType, 'ALIYUN::ROS::Stack');
    const child = await getStack(net!.physicalResourceId!);
    assert.equal(child.status, 'CREATE_COMPLETE');
    assert.equal(child.parentStackId, top.stackId);
    assert.equal(child.rootStackId, top.stackId);
    assert.match(child.stackName!, /^nest-inline-Net-/);
    assert.deepEqual(child.parameters!.find((p) => p.parameterKey === 'Cidr')?.parameterValue, '10.0.0.0/8');
    assert.equal(outputs(top).ChildVpc, outputs(child).VpcId);
    assert.match(String(outputs(top).ChildVpc), /^vpc-/);
    const [vpc] = await resources(child.stackId!);
    assert.equal(vpc!.status, 'CREATE_COMPLETE');
    // Hidden from ListStacks unless asked for.
    const list = async (extra: Partial<$ROS.ListStacksRequest>) =>
      (await client.listStacks(new $ROS.ListStacksRequest({ regionId: REGION, pageSize: 50, ...extra }))).body!.stacks!.map((s) => s.stackId);
    assert.ok(!(await list({})).includes(child.stackId));
    assert.ok((await list({ showNestedStack: true })).includes(child.stackId));
    assert.deepEqual(await list({ parentStackId: top.stackId }), [child.stackId]);
  });

  it('reads the child template from TemplateURL', async () => {
    const top = await create('nest-url', parent({ TemplateURL: `${templatesUrl}/child.json` }, '192.168.0.0/16'));
    assert.equal(top.status, 'CREATE_COMPLETE', top.statusReason);
    assert.equal(outputs(top).ChildCidr, '192.168.0.0/16');
  });

  it('fails the resource when the TemplateURL cannot be read, and rolls back', async () => {
    const top = await create('nest-url-404', parent({ TemplateURL: `${templatesUrl}/nope.json` }));
    assert.equal(top.status, 'CREATE_ROLLBACK_COMPLETE');
    assert.match(top.statusReason!, /resources\.Net: The TemplateURL could not be read/);
  });

  it('fails the resource with the child\'s own validation of its parameters', async () => {
    const top = await create('nest-bad-param', JSON.stringify({
      ROSTemplateFormatVersion: '2015-09-01',
      Resources: { Net: { Type: 'ALIYUN::ROS::Stack', Properties: { TemplateBody: CHILD, Parameters: { Nope: 'x' } } } },
    }));
    assert.equal(top.status, 'CREATE_ROLLBACK_COMPLETE');
    assert.match(top.statusReason!, /resources\.Net: .*Nope/);
  });

  it('a failing child fails its resource; the parent rolls back and deletes the child', async () => {
    const failing = { ...CHILD, Resources: { ...CHILD.Resources, Bad: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' }, Metadata: { 'LocalRos::Fail': 'boom' }, DependsOn: 'Vpc' } } };
    const top = await create('nest-fail', parent({ TemplateBody: failing }));
    assert.equal(top.status, 'CREATE_ROLLBACK_COMPLETE');
    assert.match(top.statusReason!, /resources\.Net: Resource CREATE failed: resources\.Bad: boom/);
    const children = (await client.listStacks(new $ROS.ListStacksRequest({ regionId: REGION, parentStackId: top.stackId }))).body!.stacks!;
    assert.deepEqual(children, []);
  });

  it('updates cascade to the child, and deletes remove it', async () => {
    const top = await create('nest-update', parent({ TemplateBody: CHILD }));
    const childId = (await resources(top.stackId!))[0]!.physicalResourceId!;
    await client.updateStack(new $ROS.UpdateStackRequest({ regionId: REGION, stackId: top.stackId, templateBody: parent({ TemplateBody: CHILD }, '172.16.0.0/12') }));
    const updated = await settled(top.stackId!);
    assert.equal(updated.status, 'UPDATE_COMPLETE', updated.statusReason);
    assert.equal(outputs(updated).ChildCidr, '172.16.0.0/12');
    const child = await getStack(childId);
    assert.equal(child.status, 'UPDATE_COMPLETE');
    assert.equal(outputs(child).Cidr, '172.16.0.0/12');
    await client.deleteStack(new $ROS.DeleteStackRequest({ regionId: REGION, stackId: top.stackId }));
    await waitFor(() => sdkError(getStack(top.stackId!)).catch(() => undefined), (e) => e?.code === 'StackNotFound');
    const gone = await sdkError(getStack(childId));
    assert.equal(gone.code, 'StackNotFound');
  });

  it('an update whose child fails rolls the child back to what it was', async () => {
    const top = await create('nest-update-fail', parent({ TemplateBody: CHILD }));
    const childId = (await resources(top.stackId!))[0]!.physicalResourceId!;
    const failing = { ...CHILD, Resources: { ...CHILD.Resources, Bad: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' }, Metadata: { 'LocalRos::Fail': 'boom' } } } };
    await client.updateStack(new $ROS.UpdateStackRequest({ regionId: REGION, stackId: top.stackId, templateBody: parent({ TemplateBody: failing }, '172.16.0.0/12') }));
    const after = await settled(top.stackId!);
    assert.equal(after.status, 'ROLLBACK_COMPLETE');
    const child = await getStack(childId);
    assert.equal(child.status, 'UPDATE_COMPLETE');
    assert.equal(outputs(child).Cidr, '10.0.0.0/8');
    const vpc = (await resources(childId)).find((r) => r.logicalResourceId === 'Vpc');
    assert.equal(vpc?.status, 'UPDATE_COMPLETE');
  });

  it('works for the stacks of stack instances too: created, read, and deleted with the instance', async () => {
    const admin = ros(client);
    await admin.createGroup('nested-group', { templateBody: parent({ TemplateBody: CHILD }) });
    const created = await admin.createInstances('nested-group', ['1000000000000001'], [REGION]);
    assert.equal((await admin.waitStatus(created, ['SUCCEEDED', 'FAILED'])).status, 'SUCCEEDED');
    const stackId = (await admin.instance('nested-group', '1000000000000001', REGION)).stackId!;
    const top = await getStack(stackId);
    assert.equal(top.status, 'CREATE_COMPLETE');
    const childId = (await resources(stackId))[0]!.physicalResourceId!;
    const child = await getStack(childId);
    assert.equal(child.parentStackId, stackId);
    assert.equal(outputs(top).ChildVpc, outputs(child).VpcId);
    const deleted = await admin.deleteInstances('nested-group', ['1000000000000001'], [REGION], false);
    assert.equal((await admin.waitStatus(deleted, ['SUCCEEDED', 'FAILED'])).status, 'SUCCEEDED');
    assert.equal((await sdkError(getStack(childId))).code, 'StackNotFound');
  });
});
