// Wait conditions of standalone stacks in the test's process (src/engine/stack-operations.ts):
// a WaitCondition waits for real signals on its handle's URL, then the stack goes on; a FAILURE
// signal fails it. test/sdk/wait-conditions.test.ts covers the rest against a spawned server.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { $ROS } from '../helpers/clients.ts';
import { waitFor } from '../helpers/control.ts';
import { REGION } from '../helpers/ros.ts';
import { startEngine, type EngineHarness } from './harness.ts';

const TEMPLATE = JSON.stringify({
  ROSTemplateFormatVersion: '2015-09-01',
  Resources: {
    Handle: { Type: 'ALIYUN::ROS::WaitConditionHandle' },
    Wait: { Type: 'ALIYUN::ROS::WaitCondition', Properties: { Handle: { Ref: 'Handle' }, Timeout: 600 } },
    Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' }, DependsOn: 'Wait' },
  },
  Outputs: { Data: { Value: { 'Fn::GetAtt': ['Wait', 'Data'] } } },
});

let h: EngineHarness;
before(async () => (h = await startEngine()));
after(() => h.stop());

const getStack = async (stackId: string) => (await h.api.client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!;
const resource = (stackId: string, logicalResourceId: string) =>
  h.api.client.getStackResource(new $ROS.GetStackResourceRequest({ regionId: REGION, stackId, logicalResourceId, showResourceAttributes: true })).then((r) => r.body!);

// Creates the stack and signals its handle's URL once the wait condition waits.
async function signalled(name: string, signal: Record<string, string>) {
  const stackId = (await h.api.client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: name, templateBody: TEMPLATE }))).body!.stackId!;
  const handle = await waitFor(() => resource(stackId, 'Handle').catch(() => undefined), (r) => r?.status === 'CREATE_COMPLETE');
  const url = (handle!.resourceAttributes as { Key: string; Value: unknown }[]).find((a) => a.Key === 'URL')!.Value as string;
  assert.equal((await resource(stackId, 'Wait')).status, 'CREATE_IN_PROGRESS');
  assert.equal((await getStack(stackId)).status, 'CREATE_IN_PROGRESS');
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(signal) });
  assert.equal(res.status, 200);
  return waitFor(() => getStack(stackId), (s) => !s.status!.endsWith('_IN_PROGRESS'));
}

it('waits for a signal on the handle URL, then goes on with its data', async () => {
  const done = await signalled('wait-ok', { status: 'SUCCESS', id: 'web-1', data: 'ready' });
  assert.equal(done.status, 'CREATE_COMPLETE', done.statusReason);
  assert.deepEqual(Object.fromEntries(done.outputs!.map((o) => [o.OutputKey, o.OutputValue])), { Data: { 'web-1': 'ready' } });
});

it('fails the stack on a FAILURE signal, with its reason, and rolls it back', async () => {
  const done = await signalled('wait-failed', { status: 'FAILURE', id: 'web-1', reason: 'boot failed' });
  assert.equal(done.status, 'CREATE_ROLLBACK_COMPLETE');
  assert.match(done.statusReason ?? '', /boot failed/);
});
