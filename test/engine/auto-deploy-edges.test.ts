// Auto-deployment (src/engine/auto-deploy.ts) at its edges, with the server in the test's
// process: a failing auto-deployment is rolled back like any group deployment, and a directory
// change that leaves a group's deployment as it was starts no operation.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { $ROS, OTHER_CREDENTIALS, TWO_ACCOUNTS } from '../helpers/clients.ts';
import { createRosClient } from '../../src/client/ros-client.ts';
import { REGION } from '../helpers/ros.ts';
import { startEngine, type EngineHarness } from './harness.ts';

const ADMIN = TWO_ACCOUNTS[0].accountId;
// The member account of TWO_ACCOUNTS: it can read the stacks auto-deployment gives it.
const MEMBER = TWO_ACCOUNTS[1].accountId;
const REGIONS = ['cn-beijing', 'cn-shanghai'];
const DIRECTORY = [
  {
    accountId: ADMIN,
    accountIds: [MEMBER, '5002'],
    folders: [
      { folderId: 'fd-target', accountIds: ['5001', '5003'] },
      { folderId: 'fd-inner', parentFolderId: 'fd-target', accountIds: [] },
      { folderId: 'fd-outside', accountIds: [] },
    ],
  },
];

let h: EngineHarness;
before(async () => (h = await startEngine({ config: { accounts: TWO_ACCOUNTS, resourceDirectories: DIRECTORY } })));
after(() => h.stop());

let groups = 0;
// A SERVICE_MANAGED group auto-deploying to fd-target, deployed there in REGIONS.
async function managedGroup(): Promise<string> {
  const name = `auto-edges-${++groups}`;
  await h.api.createGroup(name, { permissionModel: 'SERVICE_MANAGED', autoDeployment: new $ROS.CreateStackGroupRequestAutoDeployment({ enabled: true, retainStacksOnAccountRemoval: false }) });
  const op = (
    await h.api.client.createStackInstances(
      new $ROS.CreateStackInstancesRequest({ regionId: REGION, stackGroupName: name, deploymentTargets: new $ROS.CreateStackInstancesRequestDeploymentTargets({ rdFolderIds: ['fd-target'] }), regionIds: REGIONS }),
    )
  ).body!.operationId!;
  await h.api.waitStatus(op, ['SUCCEEDED']);
  return name;
}

// Places an account in a folder (or, without one, removes it from the directory); answers the
// operations the change started.
async function move(accountId: string, folderId?: string): Promise<string[]> {
  const res = await fetch(`${h.url}/_localros/resource-directory/${ADMIN}/accounts/${accountId}`, {
    method: folderId ? 'PUT' : 'DELETE',
    headers: folderId ? { 'content-type': 'application/json' } : {},
    body: folderId ? JSON.stringify({ folderId }) : undefined,
  });
  assert.equal(res.status, 200, await res.clone().text());
  return ((await res.json()) as { operationIds: string[] }).operationIds;
}

// Instances of a SERVICE_MANAGED group by account (DeploymentTargets.AccountIds).
async function createByAccount(group: string, accountId: string, regionIds: string[]): Promise<void> {
  const res = await h.api.client.createStackInstances(
    new $ROS.CreateStackInstancesRequest({ regionId: REGION, stackGroupName: group, deploymentTargets: new $ROS.CreateStackInstancesRequestDeploymentTargets({ accountIds: [accountId] }), regionIds }),
  );
  await h.api.waitStatus(res.body!.operationId!, ['SUCCEEDED']);
}
async function deleteByAccount(group: string, accountId: string, regionIds: string[]): Promise<void> {
  const res = await h.api.client.deleteStackInstances(
    new $ROS.DeleteStackInstancesRequest({ regionId: REGION, stackGroupName: group, deploymentTargets: new $ROS.DeleteStackInstancesRequestDeploymentTargets({ accountIds: [accountId] }), regionIds, retainStacks: false }),
  );
  await h.api.waitStatus(res.body!.operationId!, ['SUCCEEDED']);
}

// The operations among `ids` that are the group's (every auto-deploying group of fd-target sees
// each change).
async function forGroup(group: string, ids: string[]): Promise<string[]> {
  const ops = await Promise.all(ids.map((id) => h.api.operation(id)));
  return ops.filter((o) => o.stackGroupName === group).map((o) => o.operationId!);
}

async function instancesOf(group: string, accountId: string): Promise<string[]> {
  return (await h.api.instances(group)).filter((i) => i.accountId === accountId).map((i) => `${i.regionId}:${i.status}`).sort();
}

it('rolls back the stack of an auto-deployment that fails, as any group deployment', async () => {
  const g = await managedGroup();
  const fault = await h.ctl.addFault({ match: { stackGroupName: g, accountId: MEMBER, regionId: 'cn-beijing' }, effect: 'fail', message: 'quota exceeded' });
  const [op] = await forGroup(g, await move(MEMBER, 'fd-target'));
  assert.equal((await h.api.waitStatus(op, ['SUCCEEDED', 'FAILED'])).status, 'FAILED');
  await h.ctl.removeFault(fault);
  const instance = await h.api.instance(g, MEMBER, 'cn-beijing');
  assert.equal(instance.status, 'OUTDATED');
  const member = createRosClient({ endpoint: h.url.slice('http://'.length), credentials: OTHER_CREDENTIALS, regionId: 'cn-beijing' });
  const stack = (await member.getStack(new $ROS.GetStackRequest({ regionId: 'cn-beijing', stackId: instance.stackId! }))).body!;
  assert.equal(stack.status, 'CREATE_ROLLBACK_COMPLETE');
  assert.equal(stack.statusReason, 'quota exceeded');
  assert.equal(stack.disableRollback, false);
  await move(MEMBER);
});

it('starts no operation for an account joining with an instance in every region of the group already', async () => {
  const g = await managedGroup();
  // 5002, outside the target folder, gets its instances by account.
  await createByAccount(g, '5002', REGIONS);
  assert.deepEqual(await forGroup(g, await move('5002', 'fd-target')), []);
  assert.deepEqual(await instancesOf(g, '5002'), ['cn-beijing:CURRENT', 'cn-shanghai:CURRENT']);
  await deleteByAccount(g, '5002', REGIONS);
  // Its instances gone, leaving the target folder has nothing to remove.
  assert.deepEqual(await forGroup(g, await move('5002', 'fd-outside')), []);
});

it('starts no operation for an account moving inside the target folders, even where it lacks an instance', async () => {
  const g = await managedGroup();
  // 5003's instance keeps cn-beijing among the group's regions.
  await deleteByAccount(g, '5001', ['cn-beijing']);
  assert.deepEqual(await forGroup(g, await move('5001', 'fd-inner')), []);
  assert.deepEqual(await instancesOf(g, '5001'), ['cn-shanghai:CURRENT']);
  await move('5001', 'fd-target');
});
