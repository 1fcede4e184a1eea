// A stack policy protects resources during updates only: DeleteStack deletes what the policy
// denies to an update (as in ROS, where a stack policy applies to UpdateStack).
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { $ROS } from '../helpers/clients.ts';
import { waitFor } from '../helpers/control.ts';
import { REGION, sdkError } from '../helpers/ros.ts';
import { startEngine, type EngineHarness } from './harness.ts';

const TEMPLATE = JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' } } } });
const DENY_ALL = JSON.stringify({ Statement: [{ Effect: 'Deny', Action: 'Update:*', Principal: '*', Resource: '*' }] });

let h: EngineHarness;
before(async () => {
  h = await startEngine();
});
after(() => h.stop());

it('deletes a stack whose policy denies every update', async () => {
  const client = h.api.client;
  const stackId = (await client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: 'protected', templateBody: TEMPLATE, stackPolicyBody: DENY_ALL }))).body!.stackId!;
  const getStack = () => client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }));
  const created = await waitFor(async () => (await getStack()).body!, (s) => !s.status!.endsWith('_IN_PROGRESS'));
  assert.equal(created.status, 'CREATE_COMPLETE', created.statusReason);

  await client.deleteStack(new $ROS.DeleteStackRequest({ regionId: REGION, stackId }));
  const gone = await waitFor(
    () => getStack().then((r) => r.body!.status, (e: unknown) => sdkError(Promise.reject(e)).then((err) => err.code)),
    (s) => s === 'StackNotFound' || !String(s).endsWith('_IN_PROGRESS'),
  );
  assert.equal(gone, 'StackNotFound');
});
