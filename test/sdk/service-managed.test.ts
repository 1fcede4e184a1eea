// SERVICE_MANAGED stack groups (issue 5): resource-directory targets, auto-deployment when
// accounts join or leave folders, QUEUED operations, and their errors — through the SDK.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { $ROS, rosClient } from '../helpers/clients.ts';
import { control, waitFor } from '../helpers/control.ts';
import { byTarget, REGION, ros, sdkError } from '../helpers/ros.ts';
import { ADMIN, DIRECTORY_TREE } from '../helpers/directory-tree.ts';
import { startLocalRos, type LocalRos } from 'localros/testing';

const CONFIG = {
  simulation: { stackOperationMs: 0 },
  resourceDirectories: DIRECTORY_TREE,
};

let server: LocalRos;
let api: ReturnType<typeof ros>;
let ctl: ReturnType<typeof control>;

before(async () => {
  server = await startLocalRos({ config: CONFIG });
  api = ros(rosClient(server.endpoint));
  ctl = control(server.url);
});
after(() => server.stop());

const AUTO = { enabled: true, retainStacksOnAccountRemoval: false };

function createManaged(name: string, autoDeployment: { enabled?: boolean; retainStacksOnAccountRemoval?: boolean } = AUTO) {
  return api.createGroup(name, { permissionModel: 'SERVICE_MANAGED', autoDeployment: new $ROS.CreateStackGroupRequestAutoDeployment(autoDeployment) });
}

function deployToFolders(group: string, folders: string[], regions = ['cn-beijing'], extra: Partial<$ROS.CreateStackInstancesRequest> = {}) {
  return api.client
    .createStackInstances(
      new $ROS.CreateStackInstancesRequest({ regionId: REGION, stackGroupName: group, deploymentTargets: new $ROS.CreateStackInstancesRequestDeploymentTargets({ rdFolderIds: folders }), regionIds: regions, ...extra }),
    )
    .then((r) => r.body!.operationId!);
}

async function directory(path: string, method: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${server.url}/_localros/resource-directory/${ADMIN}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : {} };
}

const moveAccount = (account: string, folderId: string) => directory(`/accounts/${account}`, 'PUT', { folderId });

// Several groups watch the same folders; pick the operations of one group.
async function operationsOf(group: string, moved: { json: Record<string, unknown> }): Promise<string[]> {
  const ids = moved.json.operationIds as string[];
  const ops = await Promise.all(ids.map((id) => api.operation(id)));
  return ops.filter((o) => o.stackGroupName === group).map((o) => o.operationId!);
}

describe('deploying to folders', () => {
  it('expands folders with their sub-folders and records the folder of each instance', async () => {
    await createManaged('sm-expand');
    const op = await deployToFolders('sm-expand', ['fd-apps'], ['cn-beijing', 'cn-shanghai']);
    const done = await api.waitStatus(op, ['SUCCEEDED']);
    assert.deepEqual(done.deploymentTargets?.rdFolderIds, ['fd-apps']);
    const instances = byTarget(await api.instances('sm-expand'), (i) => `${i.status}:${i.rdFolderId}`);
    assert.deepEqual(instances, {
      '5001/cn-beijing': 'CURRENT:fd-apps',
      '5001/cn-shanghai': 'CURRENT:fd-apps',
      '5002/cn-beijing': 'CURRENT:fd-apps',
      '5002/cn-shanghai': 'CURRENT:fd-apps',
      '5003/cn-beijing': 'CURRENT:fd-appsub',
      '5003/cn-shanghai': 'CURRENT:fd-appsub',
    });
    const group = (await api.client.getStackGroup(new $ROS.GetStackGroupRequest({ regionId: REGION, stackGroupName: 'sm-expand' }))).body!.stackGroup!;
    assert.equal(group.permissionModel, 'SERVICE_MANAGED');
    assert.deepEqual(group.rdFolderIds, ['fd-apps']);
    assert.deepEqual({ ...group.autoDeployment }, { enabled: true, retainStacksOnAccountRemoval: false });
    assert.equal(group.administrationRoleName, undefined);
    const results = await api.results(op);
    assert.equal(results.find((r) => r.accountId === '5003')?.rdFolderId, 'fd-appsub');
  });

  it('IgnoreExisting skips instances that exist; without it they are StackInstanceExists', async () => {
    await createManaged('sm-ignore');
    await api.waitStatus(await deployToFolders('sm-ignore', ['fd-other']), ['SUCCEEDED']);
    const clash = await sdkError(deployToFolders('sm-ignore', ['fd-other']));
    assert.equal(clash.code, 'StackInstanceExists');
    const op = await deployToFolders('sm-ignore', ['fd-other'], ['cn-beijing', 'cn-shanghai'], { deploymentOptions: ['IgnoreExisting'] });
    await api.waitStatus(op, ['SUCCEEDED']);
    assert.deepEqual((await api.results(op)).map((r) => `${r.accountId}/${r.regionId}`), ['5004/cn-shanghai']);
  });
});

describe('auto-deployment', () => {
  it('deploys to an account that joins a target folder and removes one that leaves', async () => {
    await createManaged('sm-auto');
    await api.waitStatus(await deployToFolders('sm-auto', ['fd-appsub']), ['SUCCEEDED']);
    const joined = await moveAccount('5100', 'fd-appsub');
    assert.equal(joined.status, 200);
    const [createOp] = await operationsOf('sm-auto', joined);
    assert.equal((await api.waitStatus(createOp, ['SUCCEEDED'])).action, 'CREATE');
    assert.equal((await api.instance('sm-auto', '5100', 'cn-beijing')).status, 'CURRENT');

    const left = await moveAccount('5100', 'fd-other');
    const [deleteOp] = await operationsOf('sm-auto', left);
    const deleted = await api.waitStatus(deleteOp, ['SUCCEEDED']);
    assert.equal(deleted.action, 'DELETE');
    assert.equal(deleted.retainStacks, false);
    assert.equal((await sdkError(api.instance('sm-auto', '5100', 'cn-beijing'))).code, 'StackInstanceNotFound');
  });

  it('queues an auto-deployment that arrives while an operation runs, and starts it afterwards', async () => {
    await createManaged('sm-queue');
    await api.waitStatus(await deployToFolders('sm-queue', ['fd-other']), ['SUCCEEDED']);
    const hold = await ctl.addFault({ match: { stackGroupName: 'sm-queue', action: 'UPDATE' }, effect: 'hold' });
    const update = (await api.client.updateStackGroup(new $ROS.UpdateStackGroupRequest({ regionId: REGION, stackGroupName: 'sm-queue' }))).body!.operationId!;
    await ctl.waitHeld(hold, 1);
    const [queued] = await operationsOf('sm-queue', await moveAccount('5200', 'fd-other'));
    assert.equal((await api.operation(queued)).status, 'QUEUED');
    const list = (await api.client.listStackGroupOperations(new $ROS.ListStackGroupOperationsRequest({ regionId: REGION, stackGroupName: 'sm-queue' }))).body!;
    assert.deepEqual(list.stackGroupOperations!.slice(0, 2).map((o) => o.status), ['QUEUED', 'RUNNING']);
    // A queued operation keeps the group busy for callers, too.
    assert.equal((await sdkError(deployToFolders('sm-queue', ['fd-apps']))).code, 'StackGroupOperationInProgress');
    await ctl.removeFault(hold);
    await api.waitStatus(update, ['SUCCEEDED']);
    assert.equal((await api.waitStatus(queued, ['SUCCEEDED'])).action, 'CREATE');
    assert.equal((await api.instance('sm-queue', '5200', 'cn-beijing')).status, 'CURRENT');
  });

  it('stops a QUEUED operation at once, with every target cancelled', async () => {
    await createManaged('sm-stop-queued');
    await api.waitStatus(await deployToFolders('sm-stop-queued', ['fd-other']), ['SUCCEEDED']);
    const hold = await ctl.addFault({ match: { stackGroupName: 'sm-stop-queued', action: 'UPDATE' }, effect: 'hold' });
    const update = (await api.client.updateStackGroup(new $ROS.UpdateStackGroupRequest({ regionId: REGION, stackGroupName: 'sm-stop-queued' }))).body!.operationId!;
    await ctl.waitHeld(hold, 1);
    const [queued] = await operationsOf('sm-stop-queued', await moveAccount('5300', 'fd-other'));
    await api.stop(queued);
    const stopped = await api.operation(queued);
    assert.equal(stopped.status, 'STOPPED');
    assert.ok(stopped.endTime);
    assert.deepEqual((await api.results(queued)).map((r) => `${r.status}:${r.statusReason}`), ['CANCELLED:User initiated stop']);
    await ctl.removeFault(hold);
    await api.waitStatus(update, ['SUCCEEDED']);
    // Nothing else was queued, so the group is idle again.
    await waitFor(() => deployToFolders('sm-stop-queued', ['fd-apps']).then(() => true, () => false), (ok) => ok);
  });

  it('leaves groups without auto-deployment alone', async () => {
    await createManaged('sm-manual', { enabled: false });
    await api.waitStatus(await deployToFolders('sm-manual', ['fd-other']), ['SUCCEEDED']);
    const moved = await moveAccount('5400', 'fd-other');
    assert.ok((moved.json.operationIds as string[]).length > 0, 'other groups watching fd-other do deploy');
    assert.deepEqual(await operationsOf('sm-manual', moved), []);
  });
});

describe('errors of SERVICE_MANAGED paths', () => {
  it('requires AutoDeployment at creation', async () => {
    const err = await sdkError(api.createGroup('sm-no-auto', { permissionModel: 'SERVICE_MANAGED' }));
    assert.equal(err.code, 'MissingParameter');
    assert.equal(err.data!.Message, 'The input parameter AutoDeployment should be specified.');
  });

  it('requires RetainStacksOnAccountRemoval when Enabled is true', async () => {
    const err = await sdkError(createManaged('sm-half', { enabled: true }));
    assert.equal(err.code, 'InvalidParameter');
    assert.match(err.data!.Message!, /RetainStacksOnAccountRemoval must be specified when Enabled is true/);
  });

  it('rejects AccountIds on a SERVICE_MANAGED group and DeploymentTargets on a SELF_MANAGED one', async () => {
    await createManaged('sm-wrong-targets');
    const err = await sdkError(api.createInstances('sm-wrong-targets', ['5001'], ['cn-beijing']));
    assert.equal(err.code, 'InvalidParameter');
    assert.match(err.data!.Message!, /AccountIds is invalid, it applies to SELF_MANAGED stack groups only/);
    await api.createGroup('self-wrong-targets');
    const err2 = await sdkError(deployToFolders('self-wrong-targets', ['fd-apps']));
    assert.equal(err2.code, 'InvalidParameter');
    assert.match(err2.data!.Message!, /DeploymentTargets is invalid/);
  });

  it('rejects an unknown folder and a non-member account', async () => {
    await createManaged('sm-unknown');
    const folder = await sdkError(deployToFolders('sm-unknown', ['fd-nowhere']));
    assert.equal(folder.code, 'InvalidParameter');
    assert.match(folder.data!.Message!, /the folder fd-nowhere does not exist/);
    const account = await sdkError(
      api.client.createStackInstances(
        new $ROS.CreateStackInstancesRequest({ regionId: REGION, stackGroupName: 'sm-unknown', deploymentTargets: new $ROS.CreateStackInstancesRequestDeploymentTargets({ accountIds: ['9999'] }), regionIds: ['cn-beijing'] }),
      ),
    );
    assert.match(account.data!.Message!, /the account 9999 is not a member of the resource directory/);
  });

  it('refuses to change the permission model of a group with instances', async () => {
    await createManaged('sm-model');
    await api.waitStatus(await deployToFolders('sm-model', ['fd-other']), ['SUCCEEDED']);
    const err = await sdkError(api.client.updateStackGroup(new $ROS.UpdateStackGroupRequest({ regionId: REGION, stackGroupName: 'sm-model', permissionModel: 'SELF_MANAGED' })));
    assert.equal(err.code, 'InvalidParameter');
    assert.match(err.data!.Message!, /PermissionModel is invalid, it cannot change while the stack group has stack instances/);
  });

  it('answers clear control-plane errors for bad directory changes', async () => {
    assert.equal((await moveAccount('5001', 'fd-nowhere')).status, 400);
    assert.equal((await directory('/folders/fd-apps', 'DELETE')).status, 400);
    const created = await directory('/folders', 'POST', { folderId: 'fd-new', parentFolderId: 'fd-apps' });
    assert.equal(created.status, 201);
    assert.equal((await directory('/folders/fd-new', 'DELETE')).status, 204);
    const tree = await directory('', 'GET');
    assert.equal(tree.json.folderId, 'r-root');
    assert.deepEqual(tree.json.accountIds, ['5000']);
  });
});
