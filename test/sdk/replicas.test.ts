// Several replicas on one PostgreSQL database (issue 16): operations owned by leases, fail-over
// after kill -9, Stop answered by another replica, and ClientToken, nonces and the one operation
// per group global to the replicas. Each test has its own database; skipped (one line) only where
// no PostgreSQL is reachable, which CI rules out (.ci/run).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { $ROS, rosClient } from '../helpers/clients.ts';
import { control, waitFor } from '../helpers/control.ts';
import { v1Request } from '../helpers/raw-client.ts';
import { REGION, ros, sdkError, SIMPLE_TEMPLATE } from '../helpers/ros.ts';
import { createTestDatabase, dropTestDatabase, postgresReachable } from '../helpers/pg-store.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';

const reachable = await postgresReachable();
if (!reachable && process.env.LOCALROS_REQUIRE_POSTGRES) throw new Error('LOCALROS_REQUIRE_POSTGRES is set but no PostgreSQL is reachable (LOCALROS_TEST_PG_URL)');
if (!reachable) console.log('# replicas: skipped, no PostgreSQL reachable (LOCALROS_TEST_PG_URL)');

const LEASE_MS = '2000';
const key = (accountId: string, regionId: string) => `${accountId}/${regionId}`;
const accounts = (n: number, from: number) => Array.from({ length: n }, (_, i) => String(5000 + from + i));
const REGIONS_20 = [
  'cn-beijing', 'cn-hangzhou', 'cn-shanghai', 'cn-shenzhen', 'cn-qingdao', 'cn-zhangjiakou', 'ap-southeast-1', 'us-west-1', 'eu-central-1', 'cn-huhehaote',
  'cn-chengdu', 'cn-hongkong', 'ap-northeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-5', 'ap-south-1', 'us-east-1', 'eu-west-1', 'me-east-1',
];

describe('replicas on PostgreSQL', { skip: !reachable }, () => {
  let database: string;
  const servers: ServerProcess[] = [];
  const replica = async (config: Record<string, unknown> = {}, leaseMs = LEASE_MS) => {
    const s = await startServer({ database, config, env: { LOCALROS_LEASE_TIMEOUT_MS: leaseMs } });
    servers.push(s);
    return s;
  };
  const api = (s: ServerProcess) => ros(rosClient(s.endpoint));

  before(async () => {
    database = await createTestDatabase();
  });
  // Each test's replicas are its own: a replica left running would take part in the next test.
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });
  after(() => dropTestDatabase(database));

  // Replicas sharing targets assign them to the replicas they see alive: a test starts its
  // rollout once the coordinator sees them all.
  const seeEachOther = (coordinator: ServerProcess, n: number) => waitFor(() => control(coordinator.url).replica(), (r) => r.replicas.length === n, 30_000);

  // A `delay 0` fault per target counts its launches, on every replica (faults are global).
  const TIMES = 1000;
  const launchCounter = async (s: ServerProcess, group: string, accountIds: string[], regionIds: string[]) => {
    const ids = new Map<string, string>();
    for (const accountId of accountIds) {
      for (const regionId of regionIds) {
        ids.set(key(accountId, regionId), await control(s.url).addFault({ match: { stackGroupName: group, accountId, regionId }, effect: 'delay', delayMs: 0, times: TIMES }));
      }
    }
    return async (reader: ServerProcess) => {
      const faults = new Map((await control(reader.url).faults()).map((f) => [f.id, f]));
      return Object.fromEntries([...ids].map(([target, id]) => [target, TIMES - (faults.get(id)?.timesRemaining ?? TIMES)]));
    };
  };
  const each = (accountIds: string[], regionIds: string[], n: (target: string) => number) =>
    Object.fromEntries(accountIds.flatMap((acc) => regionIds.map((r) => [key(acc, r), n(key(acc, r))])));
  const runningOn = async (s: ServerProcess) => (await control(s.url).replica()).targetsRunning.map((t) => key(t.accountId, t.regionId));

  it('three replicas share the targets of one 2,000-target rollout, windows never exceeded', async () => {
    const config = { simulation: { stackOperationMs: 20 }, limits: { accountsPerCall: 100 } };
    // No fail-over here: a lease long enough that a stall of this loaded machine does not count a
    // replica as dead (its targets would rightly run again elsewhere).
    const [a, b, c] = [await replica(config, '10000'), await replica(config, '10000'), await replica(config, '10000')];
    await seeEachOther(a, 3);
    await api(a).createGroup('big');
    const WINDOW = 10;
    const preferences = { MaxConcurrentCount: WINDOW, RegionConcurrencyType: 'PARALLEL' };
    // A coordinates the operation it accepted; its targets run on all three; it is read through B and C.
    const big = await api(a).createInstances('big', accounts(100, 0), REGIONS_20, { operationPreferences: preferences });

    // A page is read at one moment; a region's 100 results span two pages of 50. A target's status
    // only moves forward, so when the first page reads the same before and after the second, the
    // two pages together are the region at the moment of the second read: only then is it checked.
    const page = async (reader: ReturnType<typeof api>, pageNumber: number) =>
      (
        await reader.client.listStackGroupOperationResults(new $ROS.ListStackGroupOperationResultsRequest({ regionId: REGION, operationId: big, pageNumber, pageSize: 50 }))
      ).body!.stackGroupOperationResults!.map((r) => `${r.accountId}:${r.status}`);
    let snapshots = 0;
    let sawRunning = false;
    for (let i = 0; ; i++) {
      const reader = i % 2 ? api(b) : api(c);
      const region = i % REGIONS_20.length;
      const first = await page(reader, 2 * region + 1);
      const second = await page(reader, 2 * region + 2);
      if ((await page(reader, 2 * region + 1)).join() === first.join()) {
        snapshots++;
        const running = [...first, ...second].filter((r) => r.endsWith(':RUNNING')).length;
        assert.ok(running <= WINDOW, `${running} targets RUNNING in ${REGIONS_20[region]}, window ${WINDOW}`);
        sawRunning ||= running > 0;
      }
      const op = await reader.operation(big);
      if (op.status !== 'RUNNING') {
        assert.equal(op.status, 'SUCCEEDED');
        break;
      }
    }
    assert.ok(sawRunning && snapshots > 0, 'the rollout was observed while it ran');
    const rows = await api(c).results(big);
    assert.equal(rows.length, 2000);
    assert.ok(rows.every((r) => r.status === 'SUCCEEDED'));
    const ran = await Promise.all([a, b, c].map(async (s) => (await control(s.url).replica()).targetsRun));
    assert.ok(ran.every((n) => n > 0), `targets run per replica: ${ran.join(', ')}`);
    const failover = [a, b, c].flatMap((s) => s.output().split('\n').filter((l) => /assigned again|left to another|outcomes dropped/.test(l)));
    assert.equal(ran[0] + ran[1] + ran[2], 2000, failover.join('\n'));
  });

  it("kill -9 of a replica running targets of another's operation: they run again elsewhere, once", async () => {
    const ACCOUNTS = accounts(10, 800);
    const REGIONS = ['cn-beijing', 'cn-shanghai'];
    const config = { simulation: { stackOperationMs: 5 } };
    const [a, b, c] = [await replica(config), await replica(config), await replica(config)];
    await seeEachOther(a, 3);
    await api(a).createGroup('worker-dies');
    const launches = await launchCounter(a, 'worker-dies', ACCOUNTS, REGIONS);
    // With a window of one per region, the rollout stands still once the first two targets are
    // held; A assigns them to two different replicas, so one of B and C runs a target.
    const hold = await control(a.url).addFault({ match: { stackGroupName: 'worker-dies' }, effect: 'hold' });
    const op = await api(a).createInstances('worker-dies', ACCOUNTS, REGIONS, { operationPreferences: { MaxConcurrentCount: 1, RegionConcurrencyType: 'PARALLEL' } });
    await control(a.url).waitHeld(hold, 2, 30_000);
    const [worker, survivor] = (await runningOn(b)).length ? [b, c] : [c, b];
    const onWorker = new Set(await runningOn(worker));
    assert.ok(onWorker.size > 0, 'a target runs on a replica other than the coordinator');
    await worker.kill9();
    await control(a.url).removeFault(hold);

    assert.equal((await api(a).waitStatus(op, ['SUCCEEDED', 'FAILED', 'STOPPED'], 60_000)).status, 'SUCCEEDED');
    const results = await api(survivor).results(op);
    assert.equal(results.length, 20);
    assert.ok(results.every((r) => r.status === 'SUCCEEDED'));
    // The targets of the dead worker ran there, then once more on A or the survivor; every other target once.
    assert.deepEqual(await launches(survivor), each(ACCOUNTS, REGIONS, (t) => (onWorker.has(t) ? 2 : 1)));
  });

  it('kill -9 of the replica coordinating an operation while others run its targets: they are waited for, not run again', async () => {
    const ACCOUNTS = accounts(10, 900);
    const REGIONS = ['cn-beijing', 'cn-shanghai'];
    const config = { simulation: { stackOperationMs: 5 } };
    const [a, b, c] = [await replica(config), await replica(config), await replica(config)];
    await seeEachOther(a, 3);
    await api(a).createGroup('coordinator-dies');
    const launches = await launchCounter(a, 'coordinator-dies', ACCOUNTS, REGIONS);
    const hold = await control(a.url).addFault({ match: { stackGroupName: 'coordinator-dies' }, effect: 'hold' });
    const op = await api(a).createInstances('coordinator-dies', ACCOUNTS, REGIONS, { operationPreferences: { MaxConcurrentCount: 2, RegionConcurrencyType: 'PARALLEL' } });
    // The window (two per region) full of held targets, on the three replicas.
    await control(a.url).waitHeld(hold, 4, 30_000);
    const onA = new Set(await runningOn(a));
    const onWorkers = [...(await runningOn(b)), ...(await runningOn(c))];
    assert.ok(onWorkers.length > 0, 'targets run on replicas other than the coordinator');
    await a.kill9();
    await control(b.url).removeFault(hold);

    assert.equal((await api(b).waitStatus(op, ['SUCCEEDED', 'FAILED', 'STOPPED'], 60_000)).status, 'SUCCEEDED');
    const results = await api(c).results(op);
    assert.equal(results.length, 20);
    assert.ok(results.every((r) => r.status === 'SUCCEEDED'));
    // What B and C ran was waited for by the replica that took the operation over; only what the
    // dead coordinator ran itself ran again, once.
    assert.deepEqual(await launches(b), each(ACCOUNTS, REGIONS, (t) => (onA.has(t) ? 2 : 1)));
  });

  it('a Stop answered while another replica runs targets: they finish, nothing starts after the answer', async () => {
    const ACCOUNTS = accounts(10, 950);
    const REGIONS = ['cn-beijing', 'cn-shanghai'];
    const config = { simulation: { stackOperationMs: 0 } };
    const [a, b] = [await replica(config), await replica(config)];
    await seeEachOther(a, 2);
    await api(a).createGroup('stop-worker');
    const hold = await control(a.url).addFault({ match: { stackGroupName: 'stop-worker' }, effect: 'hold' });
    const op = await api(a).createInstances('stop-worker', ACCOUNTS, REGIONS, { operationPreferences: { MaxConcurrentCount: 2, RegionConcurrencyType: 'PARALLEL' } });
    // The window full of held targets: the operation stands still, with targets in flight on B.
    const held = await control(a.url).waitHeld(hold, 4, 30_000);
    assert.ok((await runningOn(b)).length > 0, 'targets run on B');
    const stop = await api(b).stop(op);
    assert.equal(stop.statusCode, 200);
    assert.equal((await api(a).operation(op)).status, 'STOPPING');
    await control(b.url).removeFault(hold);
    assert.equal((await api(a).waitStatus(op, ['STOPPED', 'SUCCEEDED', 'FAILED'])).status, 'STOPPED');
    const ran = (await api(a).results(op)).filter((r) => r.status !== 'CANCELLED');
    assert.deepEqual(ran.map((r) => key(r.accountId!, r.regionId!)).sort(), held.map((h) => key(h.accountId, h.regionId)).sort());
    assert.ok(ran.every((r) => r.status === 'SUCCEEDED'));
  });

  it('kill -9 of the replica running an operation: another finishes it, every target run exactly once', async () => {
    const ACCOUNTS = accounts(10, 400);
    const REGIONS = ['cn-beijing', 'cn-shanghai'];
    const a = await replica({ simulation: { stackOperationMs: 5 } });
    await api(a).createGroup('failover');
    const launches = await launchCounter(a, 'failover', ACCOUNTS, REGIONS);
    const hold = await control(a.url).addFault({ match: { stackGroupName: 'failover', accountId: ACCOUNTS[5] }, effect: 'hold' });
    const op = await api(a).createInstances('failover', ACCOUNTS, REGIONS, { operationPreferences: { MaxConcurrentCount: 1, RegionConcurrencyType: 'PARALLEL' } });
    await control(a.url).waitHeld(hold, 2, 60_000);
    const b = await replica({ simulation: { stackOperationMs: 5 } });
    assert.equal((await api(b).operation(op)).status, 'RUNNING');
    await a.kill9();
    // The hold goes once A is dead (deleting it earlier would release A's targets too), well
    // before A's lease expires, so that B's re-run proceeds.
    await control(b.url).removeFault(hold);

    const done = await api(b).waitStatus(op, ['SUCCEEDED', 'FAILED', 'STOPPED'], 30_000);
    assert.equal(done.status, 'SUCCEEDED');
    const results = await api(b).results(op);
    assert.equal(results.length, 20);
    assert.ok(results.every((r) => r.status === 'SUCCEEDED'));
    // The two targets in flight on the dead replica ran again, once; every other target once.
    assert.deepEqual(await launches(b), each(ACCOUNTS, REGIONS, (t) => (t.startsWith(`${ACCOUNTS[5]}/`) ? 2 : 1)));
  });

  it('kill -9 of the replica running a standalone stack operation: another finishes it', async () => {
    const a = await replica({ simulation: { stackOperationMs: 0 } });
    const hold = await control(a.url).addFault({ match: { stackName: 'failover-stack' }, effect: 'hold' });
    const created = await rosClient(a.endpoint).createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: 'failover-stack', templateBody: SIMPLE_TEMPLATE }));
    const stackId = created.body!.stackId!;
    await control(a.url).waitHeld(hold, 1, 30_000);
    // B starts while A holds the stack's lease: B leaves the operation alone until A dies.
    const b = await replica({ simulation: { stackOperationMs: 0 } });
    const getStack = () => rosClient(b.endpoint).getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }));
    assert.equal((await getStack()).body!.status, 'CREATE_IN_PROGRESS');
    await a.kill9();
    // Deleting the hold while A lived would have released it on A.
    await control(b.url).removeFault(hold);
    const done = await waitFor(getStack, (r) => r.body!.status !== 'CREATE_IN_PROGRESS', 30_000);
    assert.equal(done.body!.status, 'CREATE_COMPLETE');
  });

  it('a Stop answered by another replica: no target starts after the answer', async () => {
    const ACCOUNTS = accounts(10, 500);
    const REGIONS = ['cn-beijing', 'cn-shanghai'];
    const a = await replica({ simulation: { stackOperationMs: 0 } });
    await api(a).createGroup('stop-far');
    const hold = await control(a.url).addFault({ match: { stackGroupName: 'stop-far' }, effect: 'hold' });
    // Faults are global: whichever replica runs a target holds it.
    const b = await replica({ simulation: { stackOperationMs: 0 } });
    const op = await api(a).createInstances('stop-far', ACCOUNTS, REGIONS, { operationPreferences: { MaxConcurrentCount: 2, RegionConcurrencyType: 'PARALLEL' } });
    const held = await control(a.url).waitHeld(hold, 4, 30_000);
    const stop = await api(b).stop(op);
    assert.equal(stop.statusCode, 200);
    assert.equal((await api(b).operation(op)).status, 'STOPPING');
    await control(b.url).removeFault(hold);
    assert.equal((await api(b).waitStatus(op, ['STOPPED', 'SUCCEEDED', 'FAILED'])).status, 'STOPPED');
    const results = await api(a).results(op);
    const ran = results.filter((r) => r.status !== 'CANCELLED').map((r) => key(r.accountId!, r.regionId!));
    assert.deepEqual(ran.sort(), held.map((h) => key(h.accountId, h.regionId)).sort());
    assert.ok(results.filter((r) => r.status !== 'CANCELLED').every((r) => r.status === 'SUCCEEDED'));
  });

  it('ClientToken and the one operation per group are global to the replicas', async () => {
    const a = await replica({ simulation: { stackOperationMs: 50 } });
    const b = await replica({ simulation: { stackOperationMs: 50 } });
    await api(a).createGroup('token');
    const clientToken = randomUUID();
    const request = (s: ServerProcess) =>
      api(s).createInstances('token', accounts(3, 600), ['cn-beijing'], { clientToken, operationPreferences: { MaxConcurrentCount: 1 } });
    const [fromA, fromB] = await Promise.all([request(a), request(b)]);
    assert.equal(fromA, fromB);
    // Another request while that operation runs is refused by either replica.
    const busy = await sdkError(api(b).client.createStackInstances(new $ROS.CreateStackInstancesRequest({ regionId: REGION, stackGroupName: 'token', accountIds: accounts(1, 650), regionIds: ['cn-beijing'] })));
    assert.equal(busy.statusCode, 409);
    assert.equal((await api(b).waitStatus(fromA, ['SUCCEEDED', 'FAILED'])).status, 'SUCCEEDED');
  });

  it('a nonce used on one replica is refused on another, and claimed once when sent to both at once', async () => {
    const a = await replica();
    const b = await replica();
    const at = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const request = { action: 'DescribeRegions', nonce: randomUUID(), timestamp: at() };
    assert.equal((await v1Request(a.url, request)).status, 200);
    const replay = await v1Request(b.url, request);
    assert.equal(replay.status, 400);
    assert.equal(replay.json.Code, 'SignatureNonceUsed');

    const both = { action: 'DescribeRegions', nonce: randomUUID(), timestamp: at() };
    const answers = await Promise.all([v1Request(a.url, both), v1Request(b.url, both)]);
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, 400]);
  });

  it('progress made on one replica is read on the others', async () => {
    const a = await replica({ simulation: { stackOperationMs: 0 } });
    const b = await replica({ simulation: { stackOperationMs: 0 } });
    await api(a).createGroup('watched');
    const op = await api(a).createInstances('watched', accounts(5, 700), ['cn-beijing']);
    await waitFor(() => api(b).results(op), (rows) => rows.length === 5 && rows.every((r) => r.status === 'SUCCEEDED'), 30_000);
    assert.equal((await api(b).operation(op)).status, 'SUCCEEDED');
  });
});
