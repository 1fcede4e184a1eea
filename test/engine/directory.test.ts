// Resource directories through the control plane (src/engine/directory-service.ts,
// resource-directory.ts) and the auto-deployment their changes drive (auto-deploy.ts), with the
// server in the test's process.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { $ROS } from '../helpers/clients.ts';
import { REGION, sdkError } from '../helpers/ros.ts';
import { ADMIN, DIRECTORY_TREE } from '../helpers/directory-tree.ts';
import { startEngine, type EngineHarness } from './harness.ts';

const CONFIG = {
  resourceDirectories: DIRECTORY_TREE,
};

let h: EngineHarness;
before(async () => (h = await startEngine({ persistent: true, config: CONFIG })));
after(() => h.stop());

async function rd(path: string, method: string, body?: unknown, admin = ADMIN): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${h.url}/_localros/resource-directory/${admin}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
const message = (r: { json: Record<string, unknown> }) => JSON.stringify(r.json);
const move = (account: string, folderId: string) => rd(`/accounts/${account}`, 'PUT', { folderId });

async function managed(name: string, folders: string[], retain = false): Promise<void> {
  await h.api.createGroup(name, { permissionModel: 'SERVICE_MANAGED', autoDeployment: new $ROS.CreateStackGroupRequestAutoDeployment({ enabled: true, retainStacksOnAccountRemoval: retain }) });
  const op = (
    await h.api.client.createStackInstances(
      new $ROS.CreateStackInstancesRequest({ regionId: REGION, stackGroupName: name, deploymentTargets: new $ROS.CreateStackInstancesRequestDeploymentTargets({ rdFolderIds: folders }), regionIds: ['cn-beijing', 'cn-shanghai'] }),
    )
  ).body!.operationId!;
  await h.api.waitStatus(op, ['SUCCEEDED']);
}
async function opsOf(group: string, moved: { json: Record<string, unknown> }) {
  const ops = await Promise.all((moved.json.operationIds as string[]).map((id) => h.api.operation(id)));
  return ops.filter((o) => o.stackGroupName === group);
}
const instances = async (g: string) => Object.fromEntries((await h.api.instances(g)).map((i) => [`${i.accountId}/${i.regionId}`, `${i.status}:${i.rdFolderId}`]));

it('shows the configured tree: folders under their parents with their names and accounts', async () => {
  const tree = await rd('', 'GET');
  assert.equal(tree.status, 200);
  assert.deepEqual(tree.json, {
    folderId: 'r-root',
    name: 'Root',
    accountIds: ['5000'],
    folders: [
      { folderId: 'fd-apps', name: 'Apps', accountIds: ['5001', '5002'], folders: [{ folderId: 'fd-appsub', name: 'fd-appsub', accountIds: ['5003'], folders: [] }] },
      { folderId: 'fd-other', name: 'fd-other', accountIds: ['5004'], folders: [] },
    ],
  });
  const unknown = await rd('', 'GET', undefined, '999');
  assert.equal(unknown.status, 400);
  assert.match(message(unknown), /999 is not a configured account/);
});

it('adds and removes folders, refusing bad ids, unknown parents, the root and folders in use', async () => {
  const made = await rd('/folders', 'POST', { name: 'Generated' });
  assert.equal(made.status, 201);
  const id = made.json.folderId as string;
  assert.match(id, /^fd-[0-9a-f]{10}$/);
  const named = await rd('/folders', 'POST', { folderId: 'fd-kid', parentFolderId: id });
  assert.equal(named.status, 201);
  const tree = await rd('', 'GET');
  const generated = (tree.json.folders as { folderId: string; name: string; folders: { folderId: string; name: string }[] }[]).find((f) => f.folderId === id)!;
  assert.equal(generated.name, 'Generated');
  assert.deepEqual(generated.folders.map((f) => `${f.folderId}:${f.name}`), ['fd-kid:fd-kid']);

  for (const [body, reason] of [
    [{ folderId: 'bad id' }, /parameter folderId is invalid, it must look like fd-<letters and digits>/],
    [{ folderId: 'xfd-abc' }, /fd-<letters and digits>/],
    [{ folderId: 'fd-' }, /fd-<letters and digits>/],
    [{ folderId: `fd-${'a'.repeat(33)}` }, /fd-<letters and digits>/],
    [{ folderId: 'fd-kid' }, /the folder fd-kid already exists/],
    [{ folderId: 'fd-orphan', parentFolderId: 'fd-nowhere' }, /parameter parentFolderId is invalid, the folder fd-nowhere does not exist/],
  ] as const) {
    const r = await rd('/folders', 'POST', body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.match(message(r), reason);
  }
  assert.equal((await rd('/folders', 'POST', { folderId: `fd-${'a'.repeat(32)}` })).status, 201);

  const notEmpty = await rd(`/folders/${id}`, 'DELETE');
  assert.equal(notEmpty.status, 400);
  assert.match(message(notEmpty), new RegExp(`the folder ${id} is not empty`));
  assert.match(message(await rd('/folders/fd-other', 'DELETE')), /the folder fd-other is not empty/);
  assert.match(message(await rd('/folders/r-root', 'DELETE')), /the folder r-root does not exist or is the root/);
  assert.match(message(await rd('/folders/fd-gone', 'DELETE')), /the folder fd-gone does not exist or is the root/);
  assert.equal((await rd('/folders/fd-kid', 'DELETE')).status, 204);
  assert.equal((await rd(`/folders/${id}`, 'DELETE')).status, 204);
});

it('places and removes accounts, refusing bad account ids, unknown folders and non-members', async () => {
  const bad = await move('not-an-id', 'fd-other');
  assert.equal(bad.status, 400);
  assert.match(message(bad), /parameter accountId is invalid, not-an-id is not an Alibaba Cloud account ID/);
  assert.match(message(await move('5009x', 'fd-other')), /parameter accountId is invalid, 5009x is not an Alibaba Cloud account ID/);
  // The whole id is digits, 1 to 32 of them.
  assert.match(message(await move('x5009', 'fd-other')), /parameter accountId is invalid, x5009 is not an Alibaba Cloud account ID/);
  const long = '1'.repeat(33);
  assert.match(message(await move(long, 'fd-other')), new RegExp(`parameter accountId is invalid, ${long} is not an Alibaba Cloud account ID`));
  assert.match(message(await move('5009', 'fd-nowhere')), /parameter folderId is invalid, the folder fd-nowhere does not exist/);
  assert.match(message(await rd('/accounts/5999', 'DELETE')), /parameter accountId is invalid, 5999 is not a member of the resource directory/);
  assert.equal((await move('5009', 'r-root')).status, 200);
  assert.deepEqual((await rd('', 'GET')).json.accountIds, ['5000', '5009']);
  assert.equal((await rd('/accounts/5009', 'DELETE')).status, 200);
  assert.deepEqual((await rd('', 'GET')).json.accountIds, ['5000']);
});

it('deploys to an account joining a folder below a target one, in every region of the group, recording its folder', async () => {
  await managed('auto-join', ['fd-apps']);
  const joined = await move('5100', 'fd-appsub');
  const [op] = await opsOf('auto-join', joined);
  assert.equal(op.action, 'CREATE');
  assert.equal((await h.api.waitStatus(op.operationId!, ['SUCCEEDED'])).status, 'SUCCEEDED');
  const all = await instances('auto-join');
  assert.equal(all['5100/cn-beijing'], 'CURRENT:fd-appsub');
  assert.equal(all['5100/cn-shanghai'], 'CURRENT:fd-appsub');
  // Moving between two folders under the target changes nothing.
  assert.deepEqual(await opsOf('auto-join', await move('5100', 'fd-apps')), []);
  // Leaving: its instances go; the stacks too (RetainStacksOnAccountRemoval false).
  const [gone] = await opsOf('auto-join', await move('5100', 'fd-other'));
  assert.equal(gone.action, 'DELETE');
  assert.equal(gone.retainStacks, false);
  await h.api.waitStatus(gone.operationId!, ['SUCCEEDED']);
  // Each target names the folder its instance was deployed through (a move inside the targets
  // changed nothing).
  assert.deepEqual((await h.api.results(gone.operationId!)).map((r) => `${r.accountId}/${r.regionId}:${r.rdFolderId}`), ['5100/cn-beijing:fd-appsub', '5100/cn-shanghai:fd-appsub']);
  assert.equal((await sdkError(h.api.instance('auto-join', '5100', 'cn-beijing'))).code, 'StackInstanceNotFound');
});

it('removes the instances of an account leaving the directory, passing RetainStacksOnAccountRemoval on', async () => {
  await managed('auto-retain', ['fd-other'], true);
  const joined = await move('5200', 'fd-other');
  await h.api.waitStatus((await opsOf('auto-retain', joined))[0].operationId!, ['SUCCEEDED']);
  const [removed] = await opsOf('auto-retain', await rd('/accounts/5200', 'DELETE'));
  assert.equal(removed.action, 'DELETE');
  assert.equal(removed.retainStacks, true);
  await h.api.waitStatus(removed.operationId!, ['SUCCEEDED']);
  assert.deepEqual(Object.keys(await instances('auto-retain')).filter((k) => k.startsWith('5200/')), []);
});

it('keeps directory changes across a restart instead of seeding the config again', async () => {
  assert.equal((await move('5001', 'fd-other')).status, 200);
  h = await h.restart();
  const tree = await rd('', 'GET');
  const other = (tree.json.folders as { folderId: string; accountIds: string[] }[]).find((f) => f.folderId === 'fd-other')!;
  assert.ok(other.accountIds.includes('5001'));
  const apps = (tree.json.folders as { folderId: string; accountIds: string[] }[]).find((f) => f.folderId === 'fd-apps')!;
  assert.deepEqual(apps.accountIds, ['5002']);
});

it('deploys to an account joining any one of the folders a group targets', async () => {
  await managed('auto-two', ['fd-apps', 'fd-other']);
  const [op] = await opsOf('auto-two', await move('5300', 'fd-other'));
  assert.equal(op.action, 'CREATE');
  await h.api.waitStatus(op.operationId!, ['SUCCEEDED']);
  assert.equal((await h.api.instance('auto-two', '5300', 'cn-shanghai')).rdFolderId, 'fd-other');
});

it('deploys an account joining a target folder only to the regions where it has no instance yet', async () => {
  await managed('auto-existing', ['fd-apps']);
  // 5004 (in fd-other) gets an instance in cn-beijing by account.
  const byAccount = (
    await h.api.client.createStackInstances(
      new $ROS.CreateStackInstancesRequest({ regionId: REGION, stackGroupName: 'auto-existing', deploymentTargets: new $ROS.CreateStackInstancesRequestDeploymentTargets({ accountIds: ['5004'] }), regionIds: ['cn-beijing'] }),
    )
  ).body!.operationId!;
  await h.api.waitStatus(byAccount, ['SUCCEEDED']);
  const [op] = await opsOf('auto-existing', await move('5004', 'fd-apps'));
  assert.equal(op.action, 'CREATE');
  await h.api.waitStatus(op.operationId!, ['SUCCEEDED']);
  assert.deepEqual((await h.api.results(op.operationId!)).map((r) => `${r.accountId}/${r.regionId}`), ['5004/cn-shanghai']);
});
