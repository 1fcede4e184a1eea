// A standalone stack's delete deploys nothing, so it fetches no nested template: a TemplateURL
// that has become unreachable (or slow) since the create must not hold up the delete, nor be
// requested at all.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { $ROS } from '../helpers/clients.ts';
import { waitFor } from '../helpers/control.ts';
import { REGION, sdkError } from '../helpers/ros.ts';
import { startEngine, type EngineHarness } from './harness.ts';
import { serveHttp, type HttpFixture } from '../helpers/http-fixture.ts';

const CHILD = {
  ROSTemplateFormatVersion: '2015-09-01',
  Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' } } },
};

let h: EngineHarness;
let templates: HttpFixture;
let fetches = 0;
before(async () => {
  h = await startEngine();
  templates = await serveHttp((_req, res) => {
    fetches++;
    res.end(JSON.stringify(CHILD));
  });
});
after(async () => {
  await h.stop();
  await templates.close();
});

it('deletes a stack with a nested TemplateURL without fetching the template again', async () => {
  const client = h.api.client;
  const templateBody = JSON.stringify({
    ROSTemplateFormatVersion: '2015-09-01',
    Resources: { Net: { Type: 'ALIYUN::ROS::Stack', Properties: { TemplateURL: `${templates.url}/child.json` } } },
  });
  const stackId = (await client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: 'nested-delete', templateBody }))).body!.stackId!;
  const getStack = () => client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }));
  const created = await waitFor(async () => (await getStack()).body!, (s) => !s.status!.endsWith('_IN_PROGRESS'));
  assert.equal(created.status, 'CREATE_COMPLETE', created.statusReason);
  const fetchedByCreate = fetches;
  assert.ok(fetchedByCreate >= 1);

  await client.deleteStack(new $ROS.DeleteStackRequest({ regionId: REGION, stackId }));
  await waitFor(() => sdkError(getStack()).catch(() => undefined), (e) => e?.code === 'StackNotFound');
  assert.equal(fetches, fetchedByCreate, 'the delete requested no template');
});
