// What the engine does when the database refuses one of its transactions (a lost connection, a
// full disk): nothing of that transaction is written, and the engine tries the same step again
// later instead of losing what it was about to write. The refusal is injected by the harness
// (`refuseOnce`), on the fake clock.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { $ROS, OTHER_CREDENTIALS, TWO_ACCOUNTS } from '../helpers/clients.ts';
import { createRosClient } from '../../src/client/ros-client.ts';
import { RESOURCES_PER_CHUNK } from '../../src/stacks/run/write-ahead.ts';
import { waitFor } from '../helpers/control.ts';
import { REGION } from '../helpers/ros.ts';
import { TURN_RETRY_MS } from '../../src/engine/engine.ts';
import { startEngine, type EngineHarness } from './harness.ts';

// Longer than the retry, so that the clock's next wake-up tells which of the two is waiting.
const STEP = 10_000;
let h: EngineHarness;
// A resource directory of the default account, for auto-deployment's QUEUED operations.
const ADMIN = TWO_ACCOUNTS[0].accountId;
const DIRECTORY = [{ accountId: ADMIN, accountIds: [], folders: [{ folderId: 'fd-q', accountIds: ['5001'] }] }];
before(async () => (h = await startEngine({ config: { simulation: { stackOperationMs: STEP }, accounts: TWO_ACCOUNTS, resourceDirectories: DIRECTORY } })));
after(() => h.stop());

const statuses = async (op: string) => (await h.api.results(op)).map((r) => `${r.accountId}/${r.regionId}:${r.status}`);

it('tries a turn whose transaction failed again after a pause: the outcome is written and the next target starts, once', async () => {
  await h.api.createGroup('refused-turn');
  const op = await h.api.createInstances('refused-turn', ['1001', '1002'], ['cn-beijing'], { operationPreferences: { MaxConcurrentCount: 1 } });
  await h.clock.waitSleeping(1);
  // The turn that writes the first target's outcome and starts the second.
  const refused = h.refuseOnce(/^UPDATE operation_results SET status = \?, status_reason = \?/);
  h.clock.advance(STEP);
  await refused;
  await h.clock.waitSleeping(1);
  assert.equal(h.clock.nextWakeIn, TURN_RETRY_MS, 'the engine waits to try the turn again; no target runs');
  assert.deepEqual(await statuses(op), ['1001/cn-beijing:RUNNING', '1002/cn-beijing:PENDING'], 'nothing of the refused turn was written');
  h.clock.advance(TURN_RETRY_MS);
  await h.clock.waitSleeping(1);
  assert.equal(h.clock.nextWakeIn, STEP);
  assert.deepEqual(await statuses(op), ['1001/cn-beijing:SUCCEEDED', '1002/cn-beijing:RUNNING']);
  h.clock.advance(STEP);
  assert.equal((await h.api.waitStatus(op, ['SUCCEEDED', 'FAILED'])).status, 'SUCCEEDED');
  assert.deepEqual(await statuses(op), ['1001/cn-beijing:SUCCEEDED', '1002/cn-beijing:SUCCEEDED']);
  assert.deepEqual((await h.api.instances('refused-turn')).map((i) => `${i.accountId}/${i.regionId}:${i.status}`), ['1001/cn-beijing:CURRENT', '1002/cn-beijing:CURRENT']);
  const attempts = await h.server.services.db.all<{ attempts: number }>(`SELECT attempts FROM operation_results WHERE operation_id = @op ORDER BY seq`, { op });
  assert.deepEqual(attempts.map((r) => r.attempts), [1, 1], 'each target ran once');
  assert.equal(h.clock.sleeping, 0);
});

it('fails a target whose action met a database error, with an internal error as its reason; the others go on', async () => {
  await h.api.createGroup('refused-target');
  // A counted fault is taken in a transaction as the target starts: the one refused here.
  const fault = await h.ctl.addFault({ match: { stackGroupName: 'refused-target', accountId: '1001' }, effect: 'delay', delayMs: 0, times: 1 });
  const refused = h.refuseOnce(/^UPDATE faults SET times_remaining/);
  const op = await h.api.createInstances('refused-target', ['1001', '1002'], ['cn-beijing'], { operationPreferences: { MaxConcurrentCount: 2, FailureToleranceCount: 1 } });
  await refused;
  await h.clock.waitSleeping(1);
  h.clock.advance(STEP);
  assert.equal((await h.api.waitStatus(op, ['SUCCEEDED', 'FAILED'])).status, 'SUCCEEDED');
  const results = await h.api.results(op);
  assert.deepEqual(
    results.map((r) => `${r.accountId}/${r.regionId}:${r.status}:${r.statusReason ?? ''}`),
    ['1001/cn-beijing:FAILED:Internal error while running the stack action', '1002/cn-beijing:SUCCEEDED:'],
  );
  await h.ctl.removeFault(fault);
});

it('stops at once an operation whose first turn failed (nothing in flight), and starts the group\'s queued operation', async () => {
  const g = 'refused-first-turn';
  await h.api.createGroup(g, { permissionModel: 'SERVICE_MANAGED', autoDeployment: new $ROS.CreateStackGroupRequestAutoDeployment({ enabled: true, retainStacksOnAccountRemoval: false }) });
  const deploy = (
    await h.api.client.createStackInstances(
      new $ROS.CreateStackInstancesRequest({ regionId: REGION, stackGroupName: g, deploymentTargets: new $ROS.CreateStackInstancesRequestDeploymentTargets({ rdFolderIds: ['fd-q'] }), regionIds: ['cn-beijing'] }),
    )
  ).body!.operationId!;
  await h.clock.waitSleeping(1);
  h.clock.advance(STEP);
  await h.api.waitStatus(deploy, ['SUCCEEDED']);

  // The update's first turn, which would start its target, is refused: it runs with nothing in flight.
  const refused = h.refuseOnce(/^UPDATE operation_results SET status = 'RUNNING'/);
  const update = (await h.api.client.updateStackGroup(new $ROS.UpdateStackGroupRequest({ regionId: REGION, stackGroupName: g }))).body!.operationId!;
  await refused;
  const moved = await fetch(`${h.url}/_localros/resource-directory/${ADMIN}/accounts/5002`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ folderId: 'fd-q' }) });
  const [queued] = ((await moved.json()) as { operationIds: string[] }).operationIds;
  assert.equal((await h.api.operation(queued)).status, 'QUEUED');

  await h.api.stop(update);
  assert.equal((await h.api.operation(update)).status, 'STOPPED');
  assert.deepEqual((await h.api.results(update)).map((r) => `${r.accountId}:${r.status}`), ['5001:CANCELLED']);
  // The group is free: its queued operation starts without waiting for the failed turn's retry.
  await waitFor(async () => (await h.api.operation(queued)).status, (status) => status === 'RUNNING');
  await waitFor(async () => h.clock.nextWakeIn, (ms) => ms === TURN_RETRY_MS);
  h.clock.advance(TURN_RETRY_MS);
  h.clock.advance(STEP);
  assert.equal((await h.api.waitStatus(queued, ['SUCCEEDED', 'FAILED'])).status, 'SUCCEEDED');
  assert.equal((await h.api.operation(update)).status, 'STOPPED');
});

it('fails the stack of a target whose action met a database error after it began: FAILED with the reason, not in progress for good', async () => {
  // A stack this large is written ahead of the action's outcome, in transactions of its own: the
  // first of them is refused.
  const large = JSON.stringify({
    ROSTemplateFormatVersion: '2015-09-01',
    Resources: Object.fromEntries(Array.from({ length: RESOURCES_PER_CHUNK + 1 }, (_, i) => [`Vpc${i}`, { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' } }])),
  });
  await h.api.createGroup('refused-stack', { templateBody: large });
  const member = TWO_ACCOUNTS[1].accountId;
  const stack = async () => {
    const { stackId } = await h.api.instance('refused-stack', member, 'cn-beijing');
    const client = createRosClient({ endpoint: h.url.slice('http://'.length), credentials: OTHER_CREDENTIALS, regionId: REGION, timeoutMs: 60_000 });
    return (await client.getStack(new $ROS.GetStackRequest({ regionId: 'cn-beijing', stackId: stackId! }))).body!;
  };
  const refused = h.refuseOnce(/^INSERT INTO stack_resources/);
  const op = await h.api.createInstances('refused-stack', [member], ['cn-beijing']);
  await h.clock.waitSleeping(1);
  assert.equal((await stack()).status, 'CREATE_IN_PROGRESS');
  h.clock.advance(STEP);
  await refused;
  assert.equal((await h.api.waitStatus(op, ['SUCCEEDED', 'FAILED'])).status, 'FAILED');
  const failed = await stack();
  assert.equal(failed.status, 'CREATE_FAILED');
  assert.equal(failed.statusReason, 'Internal error while running the stack action');
  assert.equal((await h.api.instance('refused-stack', member, 'cn-beijing')).status, 'OUTDATED');
});

it('writes the outcomes a turn took again after its refusal, each with its own status and reason', async () => {
  await h.api.createGroup('refused-outcomes');
  const fault = await h.ctl.addFault({ match: { stackGroupName: 'refused-outcomes', accountId: '1001' }, effect: 'fail', message: 'quota exceeded' });
  const op = await h.api.createInstances('refused-outcomes', ['1001', '1002'], ['cn-beijing'], { operationPreferences: { MaxConcurrentCount: 2, FailureToleranceCount: 1 } });
  await h.clock.waitSleeping(2);
  // Whatever turn takes the first outcome is refused: the turn that writes them takes both.
  const refused = h.refuseOnce(/^UPDATE operation_results SET status = \?, status_reason = \?/);
  h.clock.advance(STEP);
  await refused;
  await waitFor(async () => h.clock.nextWakeIn, (ms) => ms === TURN_RETRY_MS);
  h.clock.advance(TURN_RETRY_MS);
  assert.equal((await h.api.waitStatus(op, ['SUCCEEDED', 'FAILED'])).status, 'SUCCEEDED');
  assert.deepEqual(
    (await h.api.results(op)).map((r) => `${r.accountId}:${r.status}:${r.statusReason ?? ''}`),
    ['1001:FAILED:quota exceeded', '1002:SUCCEEDED:'],
  );
  assert.deepEqual(
    (await h.api.instances('refused-outcomes')).map((i) => `${i.accountId}:${i.status}:${i.statusReason ?? ''}`),
    ['1001:OUTDATED:quota exceeded', '1002:CURRENT:'],
  );
  await h.ctl.removeFault(fault);
});
