// Change sets (issue 12) through the official SDK: a CREATE and an UPDATE change set with their
// computed changes, execution through the stack's own operation (statuses caught with holds),
// the other change sets going OBSOLETE, listing, deletion, the errors, and an execution killed
// with SIGKILL that resumes on restart.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { $ROS, rosClient, type RosClient } from '../helpers/clients.ts';
import { control, waitFor } from '../helpers/control.ts';
import { v1Request } from '../helpers/raw-client.ts';
import { REGION, sdkError } from '../helpers/ros.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';

const CONFIG = { simulation: { stackOperationMs: 0 } };

const template = (resources: Record<string, unknown>) =>
  JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Parameters: { Name: { Type: 'String', Default: 'web' } }, Resources: resources });
const VPC = { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8', VpcName: { Ref: 'Name' } } };
const VSWITCH = { Type: 'ALIYUN::ECS::VSwitch', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.1.0.0/16', ZoneId: 'cn-hangzhou-h' } };
const SG = { Type: 'ALIYUN::ECS::SecurityGroup', Properties: { VpcId: { Ref: 'Vpc' } } };
const FIRST = template({ Vpc: VPC, VSwitch: VSWITCH });
// Vpc modified (its name comes from a new parameter value), VSwitch removed, Sg added.
const SECOND = template({ Vpc: VPC, Sg: SG });

let server: ServerProcess;
let client: RosClient;
let ctl: ReturnType<typeof control>;

before(async () => {
  server = await startServer({ config: CONFIG });
  client = rosClient(server.endpoint);
  ctl = control(server.url);
});
after(() => server.stop());

async function getChangeSet(changeSetId: string, showTemplate?: boolean, c: RosClient = client) {
  return (await c.getChangeSet(new $ROS.GetChangeSetRequest({ regionId: REGION, changeSetId, ...(showTemplate ? { showTemplate } : {}) }))).body!;
}
// Polls GetChangeSet until the change set is computed (CreateChangeSet answers before).
const computed = (changeSetId: string, c: RosClient = client) =>
  waitFor(() => getChangeSet(changeSetId, false, c), (cs) => !/^CREATE_(PENDING|IN_PROGRESS)$/.test(cs.status!));
// CreateChangeSet, then its computation.
async function createChangeSet(extra: Partial<$ROS.CreateChangeSetRequest>) {
  const answer = await client.createChangeSet(new $ROS.CreateChangeSetRequest({ regionId: REGION, ...extra }));
  await computed(answer.body!.changeSetId!);
  return answer;
}
function execute(changeSetId: string) {
  return client.executeChangeSet(new $ROS.ExecuteChangeSetRequest({ regionId: REGION, changeSetId }));
}
async function getStack(stackId: string) {
  return (await client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!;
}
const settled = (stackId: string) => waitFor(() => getStack(stackId), (s) => !s.status!.endsWith('_IN_PROGRESS'));
const changesOf = (c: { changes?: Record<string, any>[] }) => c.changes!.map((x) => x.ResourceChange as Record<string, any>);

// A stack created through a CREATE change set, with a second, UPDATE change set computed on it.
async function createdThroughChangeSet(stackName: string): Promise<{ stackId: string; changeSetId: string }> {
  const made = (await createChangeSet({ changeSetName: 'create', changeSetType: 'CREATE', stackName, templateBody: FIRST })).body!;
  await execute(made.changeSetId!);
  assert.equal((await settled(made.stackId!)).status, 'CREATE_COMPLETE');
  return { stackId: made.stackId!, changeSetId: made.changeSetId! };
}

describe('CreateChangeSet CREATE', () => {
  it('makes the stack REVIEW_IN_PROGRESS with every resource to Add, and ExecuteChangeSet creates it', async () => {
    const hold = await ctl.addFault({ match: { stackName: 'cs-new' }, effect: 'hold' });
    const answer = (
      await createChangeSet({
        changeSetName: 'first',
        changeSetType: 'CREATE',
        stackName: 'cs-new',
        templateBody: FIRST,
        description: 'the first one',
        parameters: [new $ROS.CreateChangeSetRequestParameters({ parameterKey: 'Name', parameterValue: 'shop' })],
        timeoutInMinutes: 30,
      })
    ).body!;
    assert.ok(answer.changeSetId && answer.stackId);
    assert.equal((await getStack(answer.stackId)).status, 'REVIEW_IN_PROGRESS');
    const cs = await getChangeSet(answer.changeSetId, true);
    assert.equal(cs.changeSetName, 'first');
    assert.equal(cs.changeSetType, 'CREATE');
    assert.equal(cs.status, 'CREATE_COMPLETE');
    assert.equal(cs.executionStatus, 'AVAILABLE');
    assert.equal(cs.description, 'the first one');
    assert.equal(cs.stackName, 'cs-new');
    assert.equal(cs.stackId, answer.stackId);
    assert.equal(cs.timeoutInMinutes, 30);
    assert.equal(cs.disableRollback, false);
    assert.equal(cs.templateBody, FIRST);
    assert.equal(Object.fromEntries(cs.parameters!.map((x) => [x.parameterKey, x.parameterValue])).Name, 'shop');
    assert.deepEqual(changesOf(cs), [
      { Action: 'Add', LogicalResourceId: 'Vpc', ResourceType: 'ALIYUN::ECS::VPC' },
      { Action: 'Add', LogicalResourceId: 'VSwitch', ResourceType: 'ALIYUN::ECS::VSwitch' },
    ]);
    assert.equal(cs.changes![0]!.Type, 'Resource');

    await execute(answer.changeSetId);
    await ctl.waitHeld(hold, 1);
    assert.equal((await getStack(answer.stackId)).status, 'CREATE_IN_PROGRESS');
    assert.equal((await getChangeSet(answer.changeSetId)).executionStatus, 'EXECUTE_IN_PROGRESS');
    // Running: neither executed again nor deleted.
    assert.equal((await sdkError(execute(answer.changeSetId))).code, 'InvalidChangeSetStatus');
    const refused = await sdkError(client.deleteChangeSet(new $ROS.DeleteChangeSetRequest({ regionId: REGION, changeSetId: answer.changeSetId })));
    assert.equal(refused.code, 'InvalidChangeSetStatus');
    await ctl.removeFault(hold);
    const stack = await settled(answer.stackId);
    assert.equal(stack.status, 'CREATE_COMPLETE');
    assert.equal(Object.fromEntries(stack.parameters!.map((x) => [x.parameterKey, x.parameterValue])).Name, 'shop');
    const resources = (await client.listStackResources(new $ROS.ListStackResourcesRequest({ regionId: REGION, stackId: answer.stackId }))).body!.resources!;
    assert.deepEqual(resources.map((r) => r.logicalResourceId).sort(), ['VSwitch', 'Vpc']);
    assert.equal((await getChangeSet(answer.changeSetId)).executionStatus, 'EXECUTE_COMPLETE');
  });

  it('refuses a taken stack name and a missing StackName', async () => {
    await createChangeSet({ changeSetName: 'a', changeSetType: 'CREATE', stackName: 'cs-taken', templateBody: FIRST });
    assert.equal((await sdkError(createChangeSet({ changeSetName: 'b', changeSetType: 'CREATE', stackName: 'cs-taken', templateBody: FIRST }))).code, 'StackExists');
    assert.equal((await sdkError(createChangeSet({ changeSetName: 'b', changeSetType: 'CREATE', templateBody: FIRST }))).code, 'InvalidParameter');
  });
});

describe('CreateChangeSet UPDATE', () => {
  it('computes Add / Modify / Remove against the stack, and ExecuteChangeSet updates it', async () => {
    const { stackId, changeSetId: createId } = await createdThroughChangeSet('cs-update');
    const vpcId = (await client.getStackResource(new $ROS.GetStackResourceRequest({ regionId: REGION, stackId, logicalResourceId: 'Vpc' }))).body!.physicalResourceId!;
    const vswitchId = (await client.getStackResource(new $ROS.GetStackResourceRequest({ regionId: REGION, stackId, logicalResourceId: 'VSwitch' }))).body!.physicalResourceId!;
    const answer = (
      await createChangeSet({
        changeSetName: 'second',
        stackId,
        templateBody: SECOND,
        parameters: [new $ROS.CreateChangeSetRequestParameters({ parameterKey: 'Name', parameterValue: 'renamed' })],
      })
    ).body!;
    assert.equal(answer.stackId, stackId);
    // Another change set of the stack, which the execution of `second` makes obsolete.
    const other = (await createChangeSet({ changeSetName: 'other', changeSetType: 'UPDATE', stackId, usePreviousParameters: true })).body!.changeSetId!;
    assert.deepEqual(changesOf(await getChangeSet(other)), []);
    const cs = await getChangeSet(answer.changeSetId!);
    assert.equal(cs.changeSetType, 'UPDATE');
    assert.equal(cs.status, 'CREATE_COMPLETE');
    assert.equal(cs.executionStatus, 'AVAILABLE');
    assert.equal(cs.templateBody, undefined);
    assert.deepEqual(changesOf(cs), [
      {
        Action: 'Modify',
        LogicalResourceId: 'Vpc',
        PhysicalResourceId: vpcId,
        ResourceType: 'ALIYUN::ECS::VPC',
        Replacement: 'False',
        Scope: ['Properties'],
        Details: [{ ChangeSource: 'DirectModification', Evaluation: 'Static', Target: { Attribute: 'Properties', Name: 'VpcName', RequiresRecreation: 'Never' } }],
      },
      { Action: 'Add', LogicalResourceId: 'Sg', ResourceType: 'ALIYUN::ECS::SecurityGroup' },
      { Action: 'Remove', LogicalResourceId: 'VSwitch', PhysicalResourceId: vswitchId, ResourceType: 'ALIYUN::ECS::VSwitch' },
    ]);
    // The stack is unchanged until the change set runs.
    assert.equal((await getStack(stackId)).status, 'CREATE_COMPLETE');

    await execute(answer.changeSetId!);
    const stack = await settled(stackId);
    assert.equal(stack.status, 'UPDATE_COMPLETE');
    assert.equal(Object.fromEntries(stack.parameters!.map((x) => [x.parameterKey, x.parameterValue])).Name, 'renamed');
    const resources = (await client.listStackResources(new $ROS.ListStackResourcesRequest({ regionId: REGION, stackId }))).body!.resources!;
    assert.deepEqual(resources.map((r) => r.logicalResourceId).sort(), ['Sg', 'Vpc']);
    assert.equal((await getChangeSet(answer.changeSetId!)).executionStatus, 'EXECUTE_COMPLETE');
    assert.equal((await getChangeSet(other)).executionStatus, 'OBSOLETE');
    assert.equal((await getChangeSet(createId)).executionStatus, 'EXECUTE_COMPLETE');
    const obsolete = await sdkError(execute(other));
    assert.equal(obsolete.code, 'InvalidChangeSetStatus');
    assert.equal(obsolete.data!.Message, `The ChangeSet ${other} cannot be executed, its ExecutionStatus is OBSOLETE.`);
  });

  it('is CREATE_FAILED and UNAVAILABLE when the template is refused, and cannot be executed', async () => {
    const { stackId } = await createdThroughChangeSet('cs-failed');
    const bad = template({ X: { Type: 'ALIYUN::ECS::VPC', Properties: { VpcName: { Ref: 'Missing' } } } });
    const id = (await createChangeSet({ changeSetName: 'bad', stackId, templateBody: bad })).body!.changeSetId!;
    const cs = await getChangeSet(id);
    assert.equal(cs.status, 'CREATE_FAILED');
    assert.equal(cs.executionStatus, 'UNAVAILABLE');
    assert.match(cs.statusReason!, /Missing/);
    assert.deepEqual(cs.changes, []);
    const refused = await sdkError(execute(id));
    assert.equal(refused.code, 'InvalidChangeSetStatus');
    assert.equal((await getStack(stackId)).status, 'CREATE_COMPLETE');
  });

  it('is EXECUTE_FAILED when the update it runs fails, the stack rolled back', async () => {
    const { stackId } = await createdThroughChangeSet('cs-fails');
    const id = (await createChangeSet({ changeSetName: 'doomed', stackId, templateBody: SECOND })).body!.changeSetId!;
    const fault = await ctl.addFault({ match: { stackName: 'cs-fails' }, effect: 'fail', message: 'boom' });
    await execute(id);
    const stack = await settled(stackId);
    await ctl.removeFault(fault);
    assert.notEqual(stack.status, 'UPDATE_COMPLETE');
    assert.equal((await getChangeSet(id)).executionStatus, 'EXECUTE_FAILED');
    const resources = (await client.listStackResources(new $ROS.ListStackResourcesRequest({ regionId: REGION, stackId }))).body!.resources!;
    assert.deepEqual(resources.map((r) => r.logicalResourceId).sort(), ['VSwitch', 'Vpc']);
  });

  it('applies its StackPolicyDuringUpdateBody to the update it runs', async () => {
    const { stackId } = await createdThroughChangeSet('cs-policy');
    const deny = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'Update:*', Resource: '*' }, { Effect: 'Deny', Action: 'Update:Delete', Resource: 'LogicalResourceId/VSwitch' }] });
    const id = (await createChangeSet({ changeSetName: 'guarded', stackId, templateBody: SECOND, stackPolicyDuringUpdateBody: deny })).body!.changeSetId!;
    await execute(id);
    const stack = await settled(stackId);
    assert.match(stack.statusReason!, /Update:Delete on resources\.VSwitch/);
    assert.equal((await getChangeSet(id)).executionStatus, 'EXECUTE_FAILED');
    const bad = await sdkError(createChangeSet({ changeSetName: 'bad-policy', stackId, stackPolicyDuringUpdateBody: '{' }));
    assert.equal(bad.code, 'InvalidParameter');
  });

  it('refuses a missing StackId, an unknown stack and a name the stack already has', async () => {
    const { stackId } = await createdThroughChangeSet('cs-errors');
    assert.equal((await sdkError(createChangeSet({ changeSetName: 'x', templateBody: FIRST }))).code, 'InvalidParameter');
    assert.equal((await sdkError(createChangeSet({ changeSetName: 'x', stackId: 'no-such-stack', templateBody: FIRST }))).code, 'StackNotFound');
    assert.equal((await sdkError(createChangeSet({ changeSetName: 'create', stackId, templateBody: FIRST }))).code, 'ChangeSetExists');
  });
});

describe('ListChangeSets, DeleteChangeSet and unknown change sets', () => {
  it('lists with filters and pages, deletes, and answers ChangeSetNotFound', async () => {
    const { stackId, changeSetId: createId } = await createdThroughChangeSet('cs-list');
    const ids: string[] = [];
    for (const name of ['u1', 'u2', 'u3']) ids.push((await createChangeSet({ changeSetName: name, stackId, templateBody: SECOND })).body!.changeSetId!);
    const list = (extra: Partial<$ROS.ListChangeSetsRequest> = {}) => client.listChangeSets(new $ROS.ListChangeSetsRequest({ regionId: REGION, stackId, ...extra })).then((r) => r.body!);
    const all = await list();
    assert.equal(all.totalCount, 4);
    assert.deepEqual(all.changeSets!.map((c) => c.changeSetName), ['u3', 'u2', 'u1', 'create']);
    assert.equal(all.changeSets![3]!.changeSetType, 'CREATE');
    assert.equal(all.changeSets![3]!.executionStatus, 'EXECUTE_COMPLETE');
    const page = await list({ pageSize: 2, pageNumber: 2 });
    assert.deepEqual([page.pageNumber, page.pageSize, page.totalCount], [2, 2, 4]);
    assert.deepEqual(page.changeSets!.map((c) => c.changeSetName), ['u1', 'create']);
    assert.deepEqual((await list({ changeSetName: ['u1', 'u3'] })).changeSets!.map((c) => c.changeSetName), ['u3', 'u1']);
    assert.deepEqual((await list({ executionStatus: ['EXECUTE_COMPLETE'] })).changeSets!.map((c) => c.changeSetId), [createId]);
    assert.equal((await list({ status: ['CREATE_FAILED'] })).totalCount, 0);
    assert.deepEqual((await list({ changeSetId: ids[1] })).changeSets!.map((c) => c.changeSetName), ['u2']);

    await client.deleteChangeSet(new $ROS.DeleteChangeSetRequest({ regionId: REGION, changeSetId: ids[1] }));
    assert.equal((await list()).totalCount, 3);
    // Called one at a time: a rejection must have its handler before it happens.
    for (const call of [
      () => getChangeSet(ids[1]!),
      () => execute(ids[1]!),
      () => client.deleteChangeSet(new $ROS.DeleteChangeSetRequest({ regionId: REGION, changeSetId: ids[1] })),
    ]) {
      const e = await sdkError(call());
      assert.equal(e.code, 'ChangeSetNotFound');
      assert.equal(e.statusCode, 404);
      assert.equal(e.data!.Message, `The ChangeSet ${ids[1]} could not be found.`);
    }
  });

  it('answers through the V1 signature in XML', async () => {
    const { changeSetId } = await createdThroughChangeSet('cs-v1');
    const res = await v1Request(server.url, { action: 'GetChangeSet', params: { RegionId: REGION, ChangeSetId: changeSetId }, format: 'XML' });
    assert.equal(res.status, 200);
    assert.match(res.text, /<ExecutionStatus>EXECUTE_COMPLETE<\/ExecutionStatus>/);
    assert.match(res.text, /<LogicalResourceId>Vpc<\/LogicalResourceId>/);
  });
});

describe('the stack of a CREATE change set, ClientToken and GetTemplate', () => {
  it('is deleted while REVIEW_IN_PROGRESS, answers a repeated ClientToken once, and GetTemplate reads the change set', async () => {
    const request = { changeSetName: 'once', changeSetType: 'CREATE', stackName: 'cs-review', templateBody: FIRST, clientToken: 'cs-token-1' };
    const first = (await createChangeSet(request)).body!;
    const again = (await createChangeSet(request)).body!;
    assert.deepEqual([again.changeSetId, again.stackId], [first.changeSetId, first.stackId]);
    assert.equal((await sdkError(createChangeSet({ ...request, description: 'other' }))).code, 'InvalidIdempotenceParameter');
    const template = (await client.getTemplate(new $ROS.GetTemplateRequest({ regionId: REGION, changeSetId: first.changeSetId }))).body!;
    assert.equal(template.templateBody, FIRST);
    assert.equal(template.changeSetId, first.changeSetId);
    assert.equal((await sdkError(client.updateStack(new $ROS.UpdateStackRequest({ regionId: REGION, stackId: first.stackId, templateBody: FIRST })))).code, 'ActionInProgress');
    await client.deleteStack(new $ROS.DeleteStackRequest({ regionId: REGION, stackId: first.stackId }));
    // Polled until gone, as after any DeleteStack (a read that still succeeds counts as not yet).
    await waitFor(() => sdkError(getStack(first.stackId!)).catch(() => undefined), (e) => e?.code === 'StackNotFound');
  });
});

describe('an execution killed with SIGKILL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'localros-change-sets-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('resumes on restart and settles the change set EXECUTE_COMPLETE', async () => {
    let own = await startServer({ dataDir, config: CONFIG });
    const hold = await control(own.url).addFault({ match: { stackName: 'cs-durable' }, effect: 'hold' });
    const made = (
      await rosClient(own.endpoint).createChangeSet(
        new $ROS.CreateChangeSetRequest({ regionId: REGION, changeSetName: 'c', changeSetType: 'CREATE', stackName: 'cs-durable', templateBody: FIRST }),
      )
    ).body!;
    await computed(made.changeSetId!, rosClient(own.endpoint));
    await rosClient(own.endpoint).executeChangeSet(new $ROS.ExecuteChangeSetRequest({ regionId: REGION, changeSetId: made.changeSetId }));
    await control(own.url).waitHeld(hold, 1);
    await own.kill9();

    own = await startServer({ dataDir, config: CONFIG });
    try {
      const c = rosClient(own.endpoint);
      const read = async () => (await c.getChangeSet(new $ROS.GetChangeSetRequest({ regionId: REGION, changeSetId: made.changeSetId }))).body!;
      await control(own.url).waitHeld(hold, 1);
      assert.equal((await read()).executionStatus, 'EXECUTE_IN_PROGRESS');
      await control(own.url).removeFault(hold);
      assert.equal((await waitFor(read, (x) => x.executionStatus !== 'EXECUTE_IN_PROGRESS')).executionStatus, 'EXECUTE_COMPLETE');
      assert.equal((await c.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId: made.stackId }))).body!.status, 'CREATE_COMPLETE');
    } finally {
      await own.stop();
    }
  });
});

describe('asynchronous creation', () => {
  it('answers CREATE_PENDING, then shows CREATE_IN_PROGRESS, then CREATE_COMPLETE (executable only then)', async () => {
    // Each phase lasts half of stackOperationMs.
    const slow = await startServer({ config: { simulation: { stackOperationMs: 6000 } } });
    try {
      const c = rosClient(slow.endpoint);
      const answer = (await c.createChangeSet(new $ROS.CreateChangeSetRequest({ regionId: REGION, changeSetName: 'slow', changeSetType: 'CREATE', stackName: 'cs-slow', templateBody: FIRST }))).body!;
      const pending = await getChangeSet(answer.changeSetId!, false, c);
      assert.equal(pending.status, 'CREATE_PENDING');
      assert.equal(pending.executionStatus, 'UNAVAILABLE');
      assert.deepEqual(pending.changes, []);
      const refused = await sdkError(c.executeChangeSet(new $ROS.ExecuteChangeSetRequest({ regionId: REGION, changeSetId: answer.changeSetId })));
      assert.equal(refused.code, 'InvalidChangeSetStatus');
      const running = await waitFor(() => getChangeSet(answer.changeSetId!, false, c), (cs) => cs.status !== 'CREATE_PENDING', 20_000);
      assert.equal(running.status, 'CREATE_IN_PROGRESS');
      const done = await waitFor(() => getChangeSet(answer.changeSetId!, false, c), (cs) => cs.status !== 'CREATE_IN_PROGRESS', 20_000);
      assert.equal(done.status, 'CREATE_COMPLETE');
      assert.equal(done.executionStatus, 'AVAILABLE');
      assert.ok(done.changes!.length > 0);
    } finally {
      await slow.stop();
    }
  });
});
