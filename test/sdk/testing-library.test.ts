// `localros/testing` used the way a project's tests use it: imported by package name, the
// server in-process, the SDK client and the fault helpers.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { $ROS, ControlPlaneError, startLocalRos, type LocalRos } from '../../src/testing/index.ts';

const TEMPLATE = JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01' });
const ACCOUNT = '1000000000000001';

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string; status?: number }> {
  return promise.then(
    () => assert.fail('expected a rejection'),
    (e: Error) => e,
  );
}

describe('startLocalRos', () => {
  let ros: LocalRos;
  before(async () => (ros = await startLocalRos({ config: { simulation: { stackOperationMs: 0 } } })));
  after(() => ros.stop());
  beforeEach(() => ros.reset());

  async function createInstances(group: string, regionIds: string[], preferences: Record<string, number> = {}) {
    const client = ros.rosClient();
    await client.createStackGroup(new $ROS.CreateStackGroupRequest({ regionId: ros.regionId, stackGroupName: group, templateBody: TEMPLATE }));
    const res = await client.createStackInstances(
      new $ROS.CreateStackInstancesRequest({ regionId: ros.regionId, stackGroupName: group, accountIds: [ACCOUNT], regionIds, operationPreferences: preferences }),
    );
    return res.body!.operationId!;
  }

  async function operation(operationId: string) {
    return (await ros.rosClient().getStackGroupOperation(new $ROS.GetStackGroupOperationRequest({ regionId: ros.regionId, operationId }))).body!
      .stackGroupOperation!;
  }

  // Bounded: an operation that never ends fails the test instead of hanging it.
  async function settled(operationId: string, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const op = await operation(operationId);
      if (['SUCCEEDED', 'FAILED', 'STOPPED'].includes(op.status!)) return op;
      if (Date.now() > deadline) assert.fail(`operation ${operationId} still ${op.status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  it('describes the server the way an SDK user configures a client', () => {
    assert.match(ros.endpoint, /^127\.0\.0\.1:\d+$/);
    assert.equal(ros.url, `http://${ros.endpoint}`);
    assert.deepEqual(ros.credentials, { accessKeyId: 'LTAI5tLocalRosDefaultKey', accessKeySecret: 'localros-default-secret-do-not-use-in-cloud' });
    assert.equal(ros.accountId, ACCOUNT);
    assert.equal(ros.regionId, 'cn-hangzhou');
    assert.deepEqual(ros.env(), {
      ALIBABA_CLOUD_ACCESS_KEY_ID: ros.credentials.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: ros.credentials.accessKeySecret,
      ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou',
      ALICLOUD_ACCESS_KEY: ros.credentials.accessKeyId,
      ALICLOUD_SECRET_KEY: ros.credentials.accessKeySecret,
      ALICLOUD_REGION: 'cn-hangzhou',
      ALICLOUD_ACCOUNT_ID: ACCOUNT,
      LOCALROS_ENDPOINT: ros.endpoint,
      LOCALROS_URL: ros.url,
    });
  });

  it('gives SDK clients signing with V3 or V1, or with another key', async () => {
    for (const signature of ['v3', 'v1'] as const) {
      const res = await ros.rosClient({ signature }).describeRegions(new $ROS.DescribeRegionsRequest({ acceptLanguage: 'en-US' }));
      assert.ok(res.body!.regions!.some((r) => r.regionId === 'cn-hangzhou'));
    }
    const wrong = ros.rosClient({ credentials: { accessKeyId: 'LTAI-nobody', accessKeySecret: 'x' } });
    assert.equal((await rejection(wrong.describeRegions(new $ROS.DescribeRegionsRequest({})))).code, 'InvalidAccessKeyId.NotFound');
  });

  it('holds targets until released, and tells how many it holds', async () => {
    const hold = await ros.faults.hold({ stackGroupName: 'held' });
    const operationId = await createInstances('held', ['cn-beijing', 'cn-shanghai'], {});
    const held = await hold.waitHeld(1);
    assert.deepEqual(held, [{ operationId, accountId: ACCOUNT, regionId: 'cn-beijing' }]);
    assert.deepEqual(await hold.held(), held);
    assert.equal((await operation(operationId)).status, 'RUNNING');
    await hold.release();
    assert.equal((await settled(operationId)).status, 'SUCCEEDED');
    assert.deepEqual(await ros.faults.list(), []);
    await hold.release(); // releasing twice is harmless
  });

  it('fails a waitHeld that is not reached in time, saying how far it got', async () => {
    const hold = await ros.faults.hold({ stackGroupName: 'nothing-runs' });
    assert.match((await rejection(hold.waitHeld(1, { timeoutMs: 30 }))).message, /held 0 target\(s\), not 1, within 30 ms/);
  });

  it('fails and delays matching targets, and lists, removes and clears faults', async () => {
    const fail = await ros.faults.fail({ regionId: 'cn-shanghai', action: 'CREATE' }, 'quota exceeded', { times: 1 });
    const delay = await ros.faults.delay({ regionId: 'cn-beijing' }, 5);
    const listed = await ros.faults.list();
    assert.deepEqual(
      listed.map((f) => [f.id, f.effect, f.match, f.message, f.delayMs, f.timesRemaining]),
      [
        [fail.id, 'fail', { regionId: 'cn-shanghai', action: 'CREATE' }, 'quota exceeded', null, 1],
        [delay.id, 'delay', { regionId: 'cn-beijing' }, null, 5, null],
      ],
    );

    const op = await settled(await createInstances('faulty', ['cn-beijing', 'cn-shanghai'], { FailureToleranceCount: 1 }));
    assert.equal(op.status, 'SUCCEEDED', 'one failure is within the tolerance');
    const results = (
      await ros.rosClient().listStackGroupOperationResults(new $ROS.ListStackGroupOperationResultsRequest({ regionId: ros.regionId, operationId: op.operationId }))
    ).body!.stackGroupOperationResults!;
    assert.deepEqual(
      results.map((r) => [r.regionId, r.status, r.statusReason]),
      [
        ['cn-beijing', 'SUCCEEDED', undefined],
        ['cn-shanghai', 'FAILED', 'quota exceeded'],
      ],
    );
    assert.deepEqual((await ros.faults.list()).map((f) => f.id), [delay.id], 'a fail fault with times: 1 is used up');

    await delay.remove();
    await delay.remove(); // a handle's remove() is idempotent …
    const missing = await rejection(ros.faults.remove(delay.id)); // … removing by id is not
    assert.ok(missing instanceof ControlPlaneError);
    assert.deepEqual([missing.status, missing.code], [404, 'FaultNotFound']);

    await ros.faults.add({ effect: 'delay', delayMs: 1 });
    await ros.faults.fail({}, 'x');
    await ros.faults.clear();
    assert.deepEqual(await ros.faults.list(), []);
  });

  it('reset() empties the stack groups and the faults', async () => {
    await ros.faults.fail({}, 'x');
    await settled(await createInstances('to-reset', ['cn-beijing']));
    await ros.reset();
    const groups = await ros.rosClient().listStackGroups(new $ROS.ListStackGroupsRequest({ regionId: ros.regionId }));
    assert.equal(groups.body!.totalCount, 0);
    assert.deepEqual(await ros.faults.list(), []);
  });

  it('changes the resource directory, and moving an account auto-deploys a SERVICE_MANAGED group', async () => {
    const folderId = await ros.resourceDirectory.addFolder({ name: 'Apps' });
    assert.deepEqual(await ros.resourceDirectory.moveAccount('7001', folderId), []);
    const client = ros.rosClient();
    await client.createStackGroup(
      new $ROS.CreateStackGroupRequest({
        regionId: ros.regionId,
        stackGroupName: 'managed',
        templateBody: TEMPLATE,
        permissionModel: 'SERVICE_MANAGED',
        autoDeployment: new $ROS.CreateStackGroupRequestAutoDeployment({ enabled: true, retainStacksOnAccountRemoval: true }),
      }),
    );
    const first = await client.createStackInstances(
      new $ROS.CreateStackInstancesRequest({
        regionId: ros.regionId,
        stackGroupName: 'managed',
        deploymentTargets: new $ROS.CreateStackInstancesRequestDeploymentTargets({ rdFolderIds: [folderId] }),
        regionIds: ['cn-beijing'],
      }),
    );
    await settled(first.body!.operationId!);
    const [joined] = await ros.resourceDirectory.moveAccount('7002', folderId);
    assert.equal((await settled(joined)).action, 'CREATE');
    const tree = await ros.resourceDirectory.tree();
    assert.deepEqual(tree.folders.map((f) => [f.folderId, f.accountIds]), [[folderId, ['7001', '7002']]]);
    const [left] = await ros.resourceDirectory.removeAccount('7002');
    const removed = await settled(left);
    assert.equal(removed.action, 'DELETE');
    assert.equal(removed.retainStacks, true);
    const err = await rejection(ros.resourceDirectory.removeFolder(folderId));
    assert.ok(err instanceof ControlPlaneError);
    assert.equal(err.status, 400);
  });
});

describe('startLocalRos options', () => {
  it('reads a config file, applies config over it, and passes the control token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'localros-testing-'));
    const file = join(dir, 'localros.yaml');
    writeFileSync(
      file,
      'controlToken: from-file\naccounts:\n  - accountId: "2000000000000002"\n    accessKeys:\n      - { accessKeyId: LTAI-second, accessKeySecret: second-secret }\n',
    );
    const ros = await startLocalRos({ configFile: file, config: { controlToken: 's3cret' }, regionId: 'cn-beijing' });
    try {
      assert.equal(ros.accountId, '2000000000000002');
      assert.deepEqual(ros.credentials, { accessKeyId: 'LTAI-second', accessKeySecret: 'second-secret' });
      assert.equal(ros.env().LOCALROS_CONTROL_TOKEN, 's3cret');
      assert.equal(ros.env().ALIBABA_CLOUD_REGION_ID, 'cn-beijing');
      assert.equal((await fetch(`${ros.url}/_localros/faults`)).status, 401, 'the token is required …');
      assert.deepEqual(await ros.faults.list(), [], '… and the helpers send it');
      await ros.reset();
    } finally {
      await ros.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stop() stops the server and may be called twice', async () => {
    const ros = await startLocalRos();
    await Promise.all([ros.stop(), ros.stop()]);
    await ros.stop();
    await assert.rejects(fetch(`${ros.url}/health`));
  });

  it('rejects an invalid configuration with the bad key named', async () => {
    await assert.rejects(startLocalRos({ config: { simulation: { stackOperationMs: -1 } } }), /"simulation.stackOperationMs"/);
  });
});
