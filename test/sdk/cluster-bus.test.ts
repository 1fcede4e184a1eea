// The control plane's state and the standalone stacks' side channels shared by replicas on one
// PostgreSQL database (issue 16), through the cluster bus (src/store/cluster-bus.ts): faults and
// holds apply on every replica, a dead replica's held targets stop being listed, a counted fault
// is consumed once across them, a reset stops the operations of every replica, a wait
// condition's signal reaches the replica running the stack, a NotificationURL is delivered once,
// and a replica reconnects its bus and reads what it missed. Each test has its own database;
// skipped (one line) only where no PostgreSQL is reachable, which CI rules out (.ci/run).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { $ROS, rosClient } from '../helpers/clients.ts';
import { control, waitFor } from '../helpers/control.ts';
import { REGION, ros, SIMPLE_TEMPLATE } from '../helpers/ros.ts';
import { createTestDatabase, dropTestDatabase, postgresReachable } from '../helpers/pg-store.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';

const reachable = await postgresReachable();
if (!reachable && process.env.LOCALROS_REQUIRE_POSTGRES) throw new Error('LOCALROS_REQUIRE_POSTGRES is set but no PostgreSQL is reachable (LOCALROS_TEST_PG_URL)');
if (!reachable) console.log('# cluster bus: skipped, no PostgreSQL reachable (LOCALROS_TEST_PG_URL)');

const CONFIG = { simulation: { stackOperationMs: 0 } };

// One statement on the test's database, as its owner.
async function sql<T>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

const WAIT_TEMPLATE = JSON.stringify({
  ROSTemplateFormatVersion: '2015-09-01',
  Resources: {
    Handle: { Type: 'ALIYUN::ROS::WaitConditionHandle' },
    Wait: { Type: 'ALIYUN::ROS::WaitCondition', Properties: { Handle: { Ref: 'Handle' }, Timeout: 600 } },
  },
});

describe('the cluster bus between replicas on PostgreSQL', { skip: !reachable }, () => {
  let database: string;
  const servers: ServerProcess[] = [];
  const replica = async (): Promise<ServerProcess> => {
    const started = await startServer({ database, config: CONFIG });
    servers.push(started);
    return started;
  };
  const replicas = async (): Promise<[ServerProcess, ServerProcess]> => Promise.all([replica(), replica()]);
  const api = (s: ServerProcess) => ros(rosClient(s.endpoint));
  // The targets of an operation are shared between the live replicas, round robin
  // (engine/target-sharing.ts): of four targets A runs some, whether or not it has seen B yet.
  const FOUR_REGIONS = ['cn-beijing', 'cn-shanghai', 'cn-hangzhou', 'cn-shenzhen'];
  // A target A holds before B starts is A's.
  const heldOnA = async (group: string, spec: { times?: number } = {}) => {
    const a = await replica();
    const hold = await control(a.url).addFault({ match: { stackGroupName: group }, effect: 'hold', ...spec });
    await api(a).createGroup(group);
    const op = await api(a).createInstances(group, ['5200'], ['cn-beijing']);
    await control(a.url).waitHeld(hold, 1, 30_000);
    return { a, b: await replica(), hold, op };
  };

  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    await dropTestDatabase(database);
  });

  it('a fault added on B fails the targets run on A', async () => {
    const [a, b] = await replicas();
    await control(b.url).addFault({ match: { stackGroupName: 'faulted' }, effect: 'fail', message: 'added on B' });
    await api(a).createGroup('faulted');
    const op = await api(a).createInstances('faulted', ['5100'], FOUR_REGIONS, { operationPreferences: { MaxConcurrentCount: 4, RegionConcurrencyType: 'PARALLEL' } });
    assert.equal((await api(a).waitStatus(op, ['SUCCEEDED', 'FAILED'])).status, 'FAILED');
    const results = await api(a).results(op);
    assert.equal(results.length, 4);
    for (const r of results) assert.match(r.statusReason ?? '', /added on B/, `${r.regionId}: ${r.status}`);
  });

  it('a hold added on A holds a target on A, is listed on B, and deleting it on B releases it', async () => {
    const { b, hold, op } = await heldOnA('held');
    const held = await control(b.url).waitHeld(hold, 1, 30_000);
    assert.deepEqual(
      held.map((h) => [h.operationId, h.accountId, h.regionId]),
      [[op, '5200', 'cn-beijing']],
    );
    assert.equal((await api(b).operation(op)).status, 'RUNNING');
    assert.equal(await control(b.url).removeFault(hold), 204);
    assert.equal((await api(b).waitStatus(op, ['SUCCEEDED', 'FAILED'])).status, 'SUCCEEDED');
  });

  it('the held targets of a replica that died are no longer listed', async () => {
    // Once: B's re-run of the target, after it takes the operation over, is not held again.
    const { a, b, hold, op } = await heldOnA('orphan', { times: 1 });
    await control(b.url).waitHeld(hold, 1, 30_000);
    await a.kill9();
    assert.equal((await api(b).waitStatus(op, ['SUCCEEDED', 'FAILED'])).status, 'SUCCEEDED');
    const [listed] = (await control(b.url).faults()).filter((f) => f.id === hold);
    assert.deepEqual(listed?.held, []);
  });

  it('a replica whose bus connection was cut reconnects and reads what it missed', async () => {
    const [a] = await replicas();
    const listeners = () => sql<{ pid: number }>(database, `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN localros_bus'`);
    const before = await waitFor(listeners, (rows) => rows.length === 2);
    // A fault written with no message for the bus, as one sent while a replica's connection was
    // down would be missed: only the reload after reconnecting finds it.
    await sql(
      database,
      `INSERT INTO faults (id, match, effect, message, delay_ms, times_remaining, create_time) VALUES ('fault-missed', '{"stackGroupName":"missed"}', 'fail', 'added while cut', NULL, NULL, '2026-01-01T00:00:00Z')`,
    );
    await sql(database, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN localros_bus'`);
    const after = await waitFor(listeners, (rows) => rows.length === 2 && rows.every((r) => !before.some((o) => o.pid === r.pid)), 30_000);
    assert.equal(after.length, 2);
    await api(a).createGroup('missed');
    const op = await api(a).createInstances('missed', ['5280'], FOUR_REGIONS, { operationPreferences: { MaxConcurrentCount: 4, RegionConcurrencyType: 'PARALLEL' } });
    assert.equal((await api(a).waitStatus(op, ['SUCCEEDED', 'FAILED'])).status, 'FAILED');
    for (const r of await api(a).results(op)) assert.match(r.statusReason ?? '', /added while cut/);
  });

  it('a fault with times: 1 sent to two replicas at once is consumed once', async () => {
    const [a, b] = await replicas();
    const fault = await control(a.url).addFault({ match: { accountId: '5300' }, effect: 'fail', times: 1 });
    await api(a).createGroup('once-a');
    await api(b).createGroup('once-b');
    const ops = await Promise.all([api(a).createInstances('once-a', ['5300'], ['cn-beijing']), api(b).createInstances('once-b', ['5300'], ['cn-beijing'])]);
    const ends = await Promise.all(ops.map((op, i) => api(i ? b : a).waitStatus(op, ['SUCCEEDED', 'FAILED'])));
    assert.deepEqual(ends.map((o) => o.status).sort(), ['FAILED', 'SUCCEEDED']);
    assert.equal((await control(b.url).faults()).find((f) => f.id === fault), undefined);
  });

  it('a reset on B drops the operation in flight on A, and A forgets the faults', async () => {
    const { a, b, hold } = await heldOnA('reset');
    await control(b.url).waitHeld(hold, 1, 30_000);
    await control(b.url).reset();
    // Were the hold still known on A, the targets A runs would be held again there.
    await api(a).createGroup('reset');
    const op = await api(a).createInstances('reset', ['5200'], FOUR_REGIONS, { operationPreferences: { MaxConcurrentCount: 4, RegionConcurrencyType: 'PARALLEL' } });
    assert.equal((await api(a).waitStatus(op, ['SUCCEEDED', 'FAILED'])).status, 'SUCCEEDED');
    const results = await api(b).results(op);
    assert.deepEqual(
      results.map((r) => r.status),
      ['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED'],
    );
  });

  it('a wait condition signal posted to B completes the stack run on A', async () => {
    const [a, b] = await replicas();
    const stackId = (await rosClient(a.endpoint).createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: 'waiting', templateBody: WAIT_TEMPLATE }))).body!.stackId!;
    const getStack = async (s: ServerProcess) => (await rosClient(s.endpoint).getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!;
    const resource = (s: ServerProcess, logicalResourceId: string) =>
      rosClient(s.endpoint)
        .getStackResource(new $ROS.GetStackResourceRequest({ regionId: REGION, stackId, logicalResourceId }))
        .then((r) => r.body!.status)
        .catch(() => undefined);
    await waitFor(() => resource(b, 'Handle'), (status) => status === 'CREATE_COMPLETE', 30_000);
    assert.equal((await getStack(b)).status, 'CREATE_IN_PROGRESS');
    await rosClient(b.endpoint).signalResource(new $ROS.SignalResourceRequest({ regionId: REGION, stackId, logicalResourceId: 'Handle', uniqueId: 'from-b', status: 'SUCCESS' }));
    // Well under the wait's 600 s Timeout: only a wake-up of A's waiting operation gets there.
    const done = await waitFor(() => getStack(b), (s) => s.status !== 'CREATE_IN_PROGRESS', 30_000);
    assert.equal(done.status, 'CREATE_COMPLETE', done.statusReason);
  });

  it('a NotificationURL is delivered once with two replicas', async () => {
    // Refuses until `accepting`, then counts each event it receives.
    let accepting = false;
    const received = new Map<string, number>();
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (!accepting) return void res.writeHead(503).end();
        const id = (JSON.parse(body) as { EventId: string }).EventId;
        received.set(id, (received.get(id) ?? 0) + 1);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    try {
      const a = (servers[servers.push(await startServer({ database, config: CONFIG })) - 1])!;
      const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
      const client = rosClient(a.endpoint);
      const stackId = (await client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: 'notified', templateBody: SIMPLE_TEMPLATE, notificationURLs: [url] }))).body!.stackId!;
      await waitFor(async () => (await client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!.status, (s) => s === 'CREATE_COMPLETE');
      const outbox = async (s: ServerProcess) => ((await (await fetch(`${s.url}/_localros/notifications`)).json()) as { notifications: { status: string; attempts: number }[] }).notifications;
      await waitFor(() => outbox(a), (n) => n.some((x) => x.attempts > 0));
      // B starts with the notifications pending and due when A's next attempts are: both try them.
      const b = (servers[servers.push(await startServer({ database, config: CONFIG })) - 1])!;
      accepting = true;
      const rows = await waitFor(() => outbox(b), (n) => n.every((x) => x.status === 'DELIVERED'), 60_000);
      await waitFor(async () => received.size, (n) => n === rows.length);
      assert.deepEqual([...received.values()], rows.map(() => 1), JSON.stringify([...received]));
    } finally {
      await new Promise<void>((r) => hook.close(() => r()));
    }
  });
});
