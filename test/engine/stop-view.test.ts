// What a stopped operation looks like through every read before and after its stop is written
// down (src/engine/stop-view.ts, stop-backlog.ts), the reasons instances read, and the replica view of
// a single process.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { $ROS } from '../helpers/clients.ts';
import { REGION } from '../helpers/ros.ts';
import { startEngine, type EngineHarness } from './harness.ts';

const STOP_REASON = 'User initiated stop';
const ACCOUNTS = ['6001', '6002', '6003'];
const ONE_AT_A_TIME = { operationPreferences: { MaxConcurrentCount: 1 } };
let h: EngineHarness;
before(async () => (h = await startEngine()));
after(() => h.stop());

const done = ['SUCCEEDED', 'FAILED', 'STOPPED'];
const deployed = async (group: string) => {
  await h.api.createGroup(group);
  assert.equal((await h.api.waitStatus(await h.api.createInstances(group, ACCOUNTS, [REGION]), done)).status, 'SUCCEEDED');
};
const instance = async (group: string, accountId: string) => {
  const i = await h.api.instance(group, accountId, REGION);
  return `${i.status}:${i.statusReason ?? ''}`;
};
const listed = async (group: string) => Object.fromEntries((await h.api.instances(group)).map((i) => [i.accountId, `${i.status}:${i.statusReason ?? ''}`]));

// The first target held, the operation stopped: the others never start.
async function stopAfterFirst(group: string, start: () => Promise<string>): Promise<{ op: string; hold: string }> {
  const hold = await h.ctl.addFault({ match: { stackGroupName: group }, effect: 'hold', times: 1 });
  const op = await start();
  await h.ctl.waitHeld(hold, 1);
  await h.api.stop(op);
  return { op, hold };
}

it('one process is no replica: no id, no other replica, and the targets it runs and ran', async () => {
  await h.api.createGroup('alone');
  const hold = await h.ctl.addFault({ match: { stackGroupName: 'alone' }, effect: 'hold', times: 1 });
  const before = (await h.ctl.replica()).targetsRun;
  const op = await h.api.createInstances('alone', ['6009'], [REGION]);
  await h.ctl.waitHeld(hold, 1);
  assert.deepEqual(await h.ctl.replica(), { id: null, targetsRun: before, targetsRunning: [{ operationId: op, accountId: '6009', regionId: REGION }], replicas: [] });
  await h.ctl.removeFault(hold);
  await h.api.waitStatus(op, done);
  assert.deepEqual(await h.ctl.replica(), { id: null, targetsRun: before + 1, targetsRunning: [], replicas: [] });
});

it('a stopped drift detection counts its unstarted targets as cancelled, while it stops and once stopped', async () => {
  await deployed('drift-view');
  const { op, hold } = await stopAfterFirst('drift-view', async () =>
    (await h.api.client.detectStackGroupDrift(new $ROS.DetectStackGroupDriftRequest({ regionId: REGION, stackGroupName: 'drift-view', operationPreferences: ONE_AT_A_TIME.operationPreferences }))).body!.operationId!,
  );
  const stopping = (await h.api.operation(op)).stackGroupDriftDetectionDetail!;
  assert.deepEqual([stopping.cancelledStackInstancesCount, stopping.inProgressStackInstancesCount, stopping.totalStackInstancesCount], [2, 1, 3]);
  await h.ctl.removeFault(hold);
  const stopped = (await h.api.waitStatus(op, done)).stackGroupDriftDetectionDetail!;
  assert.deepEqual([stopped.cancelledStackInstancesCount, stopped.inProgressStackInstancesCount, stopped.inSyncStackInstancesCount], [2, 0, 1]);
  // Drift detection leaves the instances as they were.
  assert.deepEqual(Object.values(await listed('drift-view')), Array(3).fill('CURRENT:'));
});

it('a stopped update leaves its unstarted instances OUTDATED with the stop reason, in the list and one by one', async () => {
  await deployed('update-view');
  const { op, hold } = await stopAfterFirst('update-view', () => h.api.updateInstances('update-view', ACCOUNTS, [REGION], ONE_AT_A_TIME));
  const [first] = (await h.api.results(op)).filter((r) => r.status === 'RUNNING').map((r) => r.accountId!);
  const unstarted = ACCOUNTS.filter((a) => a !== first);
  for (const accountId of unstarted) assert.equal(await instance('update-view', accountId), `OUTDATED:${STOP_REASON}`);
  await h.ctl.removeFault(hold);
  assert.equal((await h.api.waitStatus(op, done)).status, 'STOPPED');
  const after = await listed('update-view');
  assert.equal(after[first], 'CURRENT:');
  for (const accountId of unstarted) {
    assert.equal(after[accountId], `OUTDATED:${STOP_REASON}`);
    assert.equal(await instance('update-view', accountId), `OUTDATED:${STOP_REASON}`);
  }
});

it('a stopped delete leaves its unstarted instances as they were', async () => {
  await deployed('delete-view');
  const { op, hold } = await stopAfterFirst('delete-view', () => h.api.deleteInstances('delete-view', ACCOUNTS, [REGION], false, ONE_AT_A_TIME));
  const [first] = (await h.api.results(op)).filter((r) => r.status === 'RUNNING').map((r) => r.accountId!);
  const unstarted = ACCOUNTS.filter((a) => a !== first);
  for (const accountId of unstarted) assert.equal(await instance('delete-view', accountId), 'CURRENT:');
  await h.ctl.removeFault(hold);
  assert.equal((await h.api.waitStatus(op, done)).status, 'STOPPED');
  assert.deepEqual(await listed('delete-view'), Object.fromEntries(unstarted.map((a) => [a, 'CURRENT:'])));
  const results = Object.fromEntries((await h.api.results(op)).map((r) => [r.accountId, `${r.status}:${r.statusReason ?? ''}`]));
  assert.deepEqual(results, Object.fromEntries(ACCOUNTS.map((a) => [a, a === first ? 'SUCCEEDED:' : `CANCELLED:${STOP_REASON}`])));
});

it('a stopped creation leaves its unstarted instances OUTDATED with the stop reason', async () => {
  await h.api.createGroup('create-view');
  const { op, hold } = await stopAfterFirst('create-view', () => h.api.createInstances('create-view', ACCOUNTS, [REGION], ONE_AT_A_TIME));
  const [first] = (await h.api.results(op)).filter((r) => r.status === 'RUNNING').map((r) => r.accountId!);
  const unstarted = ACCOUNTS.filter((a) => a !== first);
  assert.deepEqual(
    Object.fromEntries(Object.entries(await listed('create-view')).filter(([a]) => a !== first)),
    Object.fromEntries(unstarted.map((a) => [a, `OUTDATED:${STOP_REASON}`])),
  );
  await h.ctl.removeFault(hold);
  assert.equal((await h.api.waitStatus(op, done)).status, 'STOPPED');
  assert.equal(await instance('create-view', first), 'CURRENT:');
  for (const accountId of unstarted) assert.equal(await instance('create-view', accountId), `OUTDATED:${STOP_REASON}`);
});

it('UpdateStackGroup with some targets leaves the others OUTDATED, saying why', async () => {
  await deployed('group-update');
  const res = await h.api.client.updateStackGroup(
    new $ROS.UpdateStackGroupRequest({ regionId: REGION, stackGroupName: 'group-update', parameters: [new $ROS.UpdateStackGroupRequestParameters({ parameterKey: 'Env', parameterValue: 'prod' })], accountIds: [ACCOUNTS[0]], regionIds: [REGION] }),
  );
  assert.equal((await h.api.waitStatus(res.body!.operationId!, done)).status, 'SUCCEEDED');
  assert.deepEqual(await listed('group-update'), { [ACCOUNTS[0]]: 'CURRENT:', [ACCOUNTS[1]]: 'OUTDATED:Stack group updated, instance not updated', [ACCOUNTS[2]]: 'OUTDATED:Stack group updated, instance not updated' });
});
