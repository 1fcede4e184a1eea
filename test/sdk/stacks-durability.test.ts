// kill -9 during a standalone stack's operation, then a restart on the same data directory: the
// operation resumes and ends once, from the state the stack had before it (issue 12).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { $ROS, rosClient } from '../helpers/clients.ts';
import { control, waitFor } from '../helpers/control.ts';
import { REGION } from '../helpers/ros.ts';
import { startServer } from '../helpers/server-process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'localros-stack-durability-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const TEMPLATE = JSON.stringify({
  ROSTemplateFormatVersion: '2015-09-01',
  Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC' }, VSwitch: { Type: 'ALIYUN::ECS::VSwitch', Properties: { VpcId: { Ref: 'Vpc' }, ZoneId: 'cn-hangzhou-h', CidrBlock: '10.0.0.0/24' } } },
});

it('resumes a CreateStack killed with SIGKILL while in progress, and creates each resource once', async () => {
  const config = { simulation: { stackOperationMs: 5 } };
  let server = await startServer({ dataDir, config });
  const hold = await control(server.url).addFault({ match: { stackName: 'durable' }, effect: 'hold' });
  const stackId = (await rosClient(server.endpoint).createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: 'durable', templateBody: TEMPLATE })))
    .body!.stackId!;
  await control(server.url).waitHeld(hold, 1);
  await server.kill9();

  server = await startServer({ dataDir, config });
  try {
    const client = rosClient(server.endpoint);
    const ctl = control(server.url);
    // The hold is durable too: the resumed create is held again, still in progress.
    const held = await ctl.waitHeld(hold, 1);
    assert.equal(held[0]!.stackId, stackId);
    const get = async () => (await client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!;
    assert.equal((await get()).status, 'CREATE_IN_PROGRESS');
    await ctl.removeFault(hold);
    const done = await waitFor(get, (s) => s.status !== 'CREATE_IN_PROGRESS');
    assert.equal(done.status, 'CREATE_COMPLETE');
    const resources = (await client.listStackResources(new $ROS.ListStackResourcesRequest({ regionId: REGION, stackId }))).body!.resources!;
    assert.deepEqual(resources.map((r) => [r.logicalResourceId, r.status]), [['Vpc', 'CREATE_COMPLETE'], ['VSwitch', 'CREATE_COMPLETE']]);
    const events = (await client.listStackEvents(new $ROS.ListStackEventsRequest({ regionId: REGION, stackId, logicalResourceId: ['durable'] }))).body!.events!;
    assert.deepEqual(events.map((e) => e.status), ['CREATE_COMPLETE', 'CREATE_IN_PROGRESS']);
  } finally {
    await server.stop();
  }
});
