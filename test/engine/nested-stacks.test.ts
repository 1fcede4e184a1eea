// Nested stacks run by a standalone stack's operation (src/engine/stack-operations.ts) in the
// test's process: the child stacks each run records are written with the outcome, read again by
// the next operation (update, delete) and by a restart. test/sdk/nested-stacks.test.ts covers
// more against a spawned server, too slowly to run for every mutant.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { $ROS } from '../helpers/clients.ts';
import { waitFor } from '../helpers/control.ts';
import { REGION, sdkError } from '../helpers/ros.ts';
import { startEngine, type EngineHarness } from './harness.ts';
import { serveHttp, type HttpFixture } from '../helpers/http-fixture.ts';

const CHILD = {
  ROSTemplateFormatVersion: '2015-09-01',
  Parameters: { Cidr: { Type: 'String' } },
  Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: { Ref: 'Cidr' } } } },
  Outputs: { VpcId: { Value: { Ref: 'Vpc' } }, Cidr: { Value: { Ref: 'Cidr' } } },
};
const FAILING = { ...CHILD, Resources: { ...CHILD.Resources, Bad: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' }, Metadata: { 'LocalRos::Fail': 'boom' } } } };

const parent = (child: Record<string, unknown>, cidr = '10.0.0.0/8') =>
  JSON.stringify({
    ROSTemplateFormatVersion: '2015-09-01',
    Resources: { Net: { Type: 'ALIYUN::ROS::Stack', Properties: { ...child, Parameters: { Cidr: cidr } } } },
    Outputs: { ChildVpc: { Value: { 'Fn::GetAtt': ['Net', 'Outputs.VpcId'] } }, ChildCidr: { Value: { 'Fn::GetAtt': ['Net', 'Outputs.Cidr'] } } },
  });

let h: EngineHarness;
let templates: HttpFixture;
let templatesUrl = '';
before(async () => {
  h = await startEngine({ persistent: true });
  templates = await serveHttp((req, res) => {
    if (req.url === '/child.json') res.end(JSON.stringify(CHILD));
    else res.writeHead(404).end();
  });
  templatesUrl = templates.url;
});
after(async () => {
  await h.stop();
  await templates.close();
});

const client = () => h.api.client;
const getStack = async (stackId: string) => (await client().getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!;
const settled = (stackId: string) => waitFor(() => getStack(stackId), (s) => !s.status!.endsWith('_IN_PROGRESS'));
const outputs = (s: $ROS.GetStackResponseBody) => Object.fromEntries((s.outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
const childOf = async (stackId: string) =>
  (await client().listStackResources(new $ROS.ListStackResourcesRequest({ regionId: REGION, stackId }))).body!.resources!.find((r) => r.logicalResourceId === 'Net')!.physicalResourceId!;
async function create(name: string, templateBody: string) {
  const id = (await client().createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: name, templateBody }))).body!.stackId!;
  return settled(id);
}
async function update(stackId: string, templateBody: string) {
  await client().updateStack(new $ROS.UpdateStackRequest({ regionId: REGION, stackId, templateBody }));
  return settled(stackId);
}

it('creates the child stack from TemplateURL, whose outputs the parent reads', async () => {
  const top = await create('nest-url', parent({ TemplateURL: `${templatesUrl}/child.json` }, '192.168.0.0/16'));
  assert.equal(top.status, 'CREATE_COMPLETE', top.statusReason);
  const child = await getStack(await childOf(top.stackId!));
  assert.equal(child.status, 'CREATE_COMPLETE');
  assert.equal(child.parentStackId, top.stackId);
  assert.equal(outputs(top).ChildCidr, '192.168.0.0/16');
  assert.equal(outputs(top).ChildVpc, outputs(child).VpcId);
});

it('updates the child it created, after a restart too, rolls it back with a failed update, and deletes it with the parent', async () => {
  const top = await create('nest-cascade', parent({ TemplateBody: CHILD }));
  assert.equal(top.status, 'CREATE_COMPLETE', top.statusReason);
  const childId = await childOf(top.stackId!);
  h = await h.restart();
  const updated = await update(top.stackId!, parent({ TemplateBody: CHILD }, '172.16.0.0/12'));
  assert.equal(updated.status, 'UPDATE_COMPLETE', updated.statusReason);
  assert.equal(await childOf(top.stackId!), childId, 'the same child stack, updated');
  assert.equal(outputs(await getStack(childId)).Cidr, '172.16.0.0/12');

  const failed = await update(top.stackId!, parent({ TemplateBody: FAILING }, '10.1.0.0/16'));
  assert.equal(failed.status, 'ROLLBACK_COMPLETE');
  const child = await getStack(childId);
  assert.equal(child.status, 'UPDATE_COMPLETE');
  assert.equal(outputs(child).Cidr, '172.16.0.0/12');

  await client().deleteStack(new $ROS.DeleteStackRequest({ regionId: REGION, stackId: top.stackId }));
  await waitFor(() => sdkError(getStack(top.stackId!)).catch(() => undefined), (e) => e?.code === 'StackNotFound');
  assert.equal((await sdkError(getStack(childId))).code, 'StackNotFound');
});
