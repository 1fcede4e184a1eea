// ImportStacksToStackGroup of a stack whose own action is still under way (src/engine/apply.ts):
// the import's target changes nothing on the stack, so the stack's action goes on and ends as
// it would have without the import.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { $ROS } from '../helpers/clients.ts';
import { waitFor } from '../helpers/control.ts';
import { startEngine, type EngineHarness } from './harness.ts';

const REGION = 'cn-beijing';
const TEMPLATE = JSON.stringify({
  ROSTemplateFormatVersion: '2015-09-01',
  Parameters: { Name: { Type: 'String', Default: 'web' } },
  Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8', VpcName: { Ref: 'Name' } } } },
});

let h: EngineHarness;
before(async () => (h = await startEngine()));
after(() => h.stop());

const getStack = async (stackId: string) => (await h.api.client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!;

it('leaves the update of an imported stack running, and lets it complete', async () => {
  const client = h.api.client;
  const stackId = (await client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: 'adopted', templateBody: TEMPLATE }))).body!.stackId!;
  await waitFor(async () => (await getStack(stackId)).status, (s) => s === 'CREATE_COMPLETE');
  const hold = await h.ctl.addFault({ match: { stackName: 'adopted' }, effect: 'hold' });
  await client.updateStack(new $ROS.UpdateStackRequest({ regionId: REGION, stackId, parameters: [new $ROS.UpdateStackRequestParameters({ parameterKey: 'Name', parameterValue: 'db' })] }));
  await h.ctl.waitHeld(hold, 1);

  await h.api.createGroup('adopter', { templateBody: TEMPLATE });
  const account = h.server.services.config.accounts[0].accountId;
  const imported = await client.importStacksToStackGroup(
    new $ROS.ImportStacksToStackGroupRequest({ regionId: 'cn-hangzhou', stackGroupName: 'adopter', stackArns: [`acs:ros:${REGION}:${account}:stack/${stackId}`] }),
  );
  assert.equal((await h.api.waitStatus(imported.body!.operationId!, ['SUCCEEDED', 'FAILED'])).status, 'SUCCEEDED');
  assert.equal((await h.api.instance('adopter', account, REGION)).status, 'CURRENT');
  assert.equal((await getStack(stackId)).status, 'UPDATE_IN_PROGRESS');

  await h.ctl.removeFault(hold);
  const done = await waitFor(() => getStack(stackId), (s) => s.status !== 'UPDATE_IN_PROGRESS');
  assert.equal(done.status, 'UPDATE_COMPLETE');
  assert.deepEqual(done.parameters!.filter((p) => p.parameterKey === 'Name').map((p) => p.parameterValue), ['db']);
});
