// Replicas in one process (docs/scale-out.md): two or three engine-tier servers on one fresh
// PostgreSQL database, each on its own fake clock. Leases and heartbeats expire on those clocks,
// so a replica "dies" for the others when their clocks move past its last renewal while its own
// stands still: lease take-over, the round robin of targets, fencing of a replica no longer
// assigned, re-run of a dead worker's targets and coordinator fail-over are stepped through with
// no real waiting for a timeout. test/sdk/replicas.test.ts covers the same with spawned servers
// and kill -9, too slowly to run for every mutant of src/engine/.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { $ROS } from '../helpers/clients.ts';
import { waitFor } from '../helpers/control.ts';
import { REGION } from '../helpers/ros.ts';
import { createTestDatabase, dropTestDatabase } from '../helpers/pg-store.ts';
import { FakeClock, startEngine, type EngineHarness } from './harness.ts';

// The smallest lease the configuration takes: the renewals and heartbeats run every 100 ms of
// real time, and expiry is decided by the fake clocks alone.
const LEASE_MS = 300;
const REGIONS = ['cn-beijing', 'cn-shanghai', 'cn-qingdao', 'cn-shenzhen'];
const key = (t: { accountId?: string; regionId?: string }) => `${t.accountId}/${t.regionId}`;

describe('replicas in one process, on PostgreSQL', () => {
  let database: string;
  const started: EngineHarness[] = [];
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((h) => h.stop()));
    await dropTestDatabase(database);
  });

  // Replicas whose clocks start together: none has expired for another until a clock moves.
  const replicas = async (n: number, config: Record<string, unknown> = {}): Promise<EngineHarness[]> => {
    const t0 = Date.now();
    for (let i = 0; i < n; i++) started.push(await startEngine({ clock: new FakeClock(t0), config: { database, leaseTimeoutMs: LEASE_MS, ...config } }));
    const all = started.slice(-n);
    await waitFor(() => all[0].ctl.replica(), (r) => r.replicas.length === n);
    return all;
  };
  // Moves a replica's clock past every lease and heartbeat the others renewed until now.
  const expireOthers = (h: EngineHarness) => h.clock.advance(LEASE_MS + 1);
  // [the replica that coordinates the operation (holds its lease), the other]: either may have
  // claimed it first, the one that accepted it or the other's lease sweep.
  const byRole = async (op: string, first: EngineHarness, second: EngineHarness) => {
    const [lease] = await first.server.services.db.all<{ owner: string }>(`SELECT owner FROM operation_leases WHERE operation_id = @op`, { op });
    return lease?.owner === (await first.ctl.replica()).id ? [first, second] : [second, first];
  };
  const runningOn = async (h: EngineHarness) => (await h.ctl.replica()).targetsRunning.map(key).sort();
  const targetsRun = async (h: EngineHarness) => (await h.ctl.replica()).targetsRun;

  // A `delay 0` fault per target counts its launches, on every replica (faults are global).
  const TIMES = 1000;
  const launchCounter = async (h: EngineHarness, group: string, accountIds: string[]) => {
    const ids = new Map<string, string>();
    for (const accountId of accountIds) {
      for (const regionId of REGIONS) ids.set(key({ accountId, regionId }), await h.ctl.addFault({ match: { stackGroupName: group, accountId, regionId }, effect: 'delay', delayMs: 0, times: TIMES }));
    }
    return async (reader: EngineHarness) => {
      const faults = new Map((await reader.ctl.faults()).map((f) => [f.id, f]));
      return Object.fromEntries([...ids].map(([target, id]) => [target, TIMES - (faults.get(id)?.timesRemaining ?? TIMES)]));
    };
  };
  const each = (accountIds: string[], n: (target: string) => number) =>
    Object.fromEntries(accountIds.flatMap((accountId) => REGIONS.map((regionId) => [key({ accountId, regionId }), n(key({ accountId, regionId }))])));
  const allSucceeded = async (h: EngineHarness, op: string, count: number) => {
    const rows = await h.api.results(op);
    assert.deepEqual(
      rows.map((r) => r.status),
      Array(count).fill('SUCCEEDED'),
    );
  };
  const PARALLEL = { operationPreferences: { MaxConcurrentCount: 1, RegionConcurrencyType: 'PARALLEL' } };

  // Two replicas, and an operation of `group` over `accountIds` whose first target of each region
  // is held (one at a time per region), its launches counted; `a` coordinates it, `b` is the other.
  const heldOnTwo = async (group: string, accountIds: string[]) => {
    const [first, second] = await replicas(2);
    await first.api.createGroup(group);
    const launches = await launchCounter(first, group, accountIds);
    const hold = await first.ctl.addFault({ match: { stackGroupName: group }, effect: 'hold' });
    const op = await first.api.createInstances(group, accountIds, REGIONS, PARALLEL);
    await first.ctl.waitHeld(hold, 4);
    const [a, b] = await byRole(op, first, second);
    return { first, second, a, b, op, hold, launches };
  };

  it('the coordinator hands the targets of one operation out round robin and writes every outcome once', async () => {
    const [a, b] = await replicas(2);
    assert.ok((await a.ctl.replica()).id, 'a replica has an id');
    assert.deepEqual((await a.ctl.replica()).replicas.sort(), (await b.ctl.replica()).replicas.sort());
    await a.api.createGroup('share');
    const launches = await launchCounter(a, 'share', ['5001']);
    const holds = new Map<string, string>();
    for (const regionId of REGIONS) holds.set(key({ accountId: '5001', regionId }), await a.ctl.addFault({ match: { stackGroupName: 'share', accountId: '5001', regionId }, effect: 'hold' }));
    const op = await a.api.createInstances('share', ['5001'], REGIONS, PARALLEL);
    await waitFor(async () => (await a.ctl.faults()).reduce((n, f) => n + f.held.length, 0), (n) => n === 4);
    const [onA, onB] = [await runningOn(a), await runningOn(b)];
    assert.equal(onA.length, 2, `on A: ${onA}`);
    assert.equal(onB.length, 2, `on B: ${onB}`);
    assert.equal((await b.api.operation(op)).status, 'RUNNING');
    // The coordinator's own targets end first; the other replica's outcomes then reach it only
    // through the database.
    const [coordinator, worker] = await byRole(op, a, b);
    const release = async (h: EngineHarness) => {
      for (const t of await runningOn(h)) await a.ctl.removeFault(holds.get(t)!);
    };
    await release(coordinator);
    await waitFor(async () => (await a.api.results(op)).filter((r) => r.status === 'SUCCEEDED').length, (n) => n === 2);
    await release(worker);

    assert.equal((await b.api.waitStatus(op, ['SUCCEEDED', 'FAILED', 'STOPPED'])).status, 'SUCCEEDED');
    await allSucceeded(b, op, 4);
    assert.deepEqual([await targetsRun(a), await targetsRun(b)], [2, 2]);
    assert.deepEqual(await launches(b), each(['5001'], () => 1));
    assert.deepEqual((await b.api.instances('share')).map((i) => i.status), Array(4).fill('CURRENT'));
  });

  it('a worker whose handing back of outcomes failed (the database refused it) hands them back again: each target runs and is written once', async () => {
    const [a, b] = await replicas(2);
    await a.api.createGroup('hand-back');
    const launches = await launchCounter(a, 'hand-back', ['5001']);
    const hold = await a.ctl.addFault({ match: { stackGroupName: 'hand-back' }, effect: 'hold' });
    const op = await a.api.createInstances('hand-back', ['5001'], REGIONS, PARALLEL);
    await a.ctl.waitHeld(hold, 4);
    const [, worker] = await byRole(op, a, b);
    assert.equal((await runningOn(worker)).length, 2);
    const refused = worker.refuseOnce(/^INSERT INTO target_outcomes/);
    await a.ctl.removeFault(hold);
    await refused;
    assert.equal((await b.api.waitStatus(op, ['SUCCEEDED', 'FAILED', 'STOPPED'])).status, 'SUCCEEDED');
    await allSucceeded(b, op, 4);
    assert.deepEqual(await launches(b), each(['5001'], () => 1));
  });

  it("a worker whose heartbeat expired: its targets run again on a live replica, once, and its late outcomes are dropped", async () => {
    const { a, b, op, hold, launches } = await heldOnTwo('worker-dies', ['5002']);
    const onB = new Set(await runningOn(b));
    assert.equal(onB.size, 2);

    // B stops answering for A: A's next heartbeat gives B's targets to the replicas alive, itself.
    expireOthers(a);
    await waitFor(() => runningOn(a), (on) => on.length === 4);
    assert.deepEqual((await a.ctl.replica()).replicas, [(await a.ctl.replica()).id]);
    await a.ctl.removeFault(hold);

    assert.equal((await a.api.waitStatus(op, ['SUCCEEDED', 'FAILED', 'STOPPED'])).status, 'SUCCEEDED');
    await allSucceeded(a, op, 4);
    assert.deepEqual(await launches(a), each(['5002'], (t) => (onB.has(t) ? 2 : 1)));
    // The coordinator wrote A's outcomes only; B ran its two as well.
    await waitFor(() => targetsRun(b), (n) => n === 2);
    assert.equal(await targetsRun(a), 4);
  });

  it('a coordinator renews its lease as its clock moves: past the first expiry, the other replica takes nothing over', async () => {
    const { first, second, a, b, op, hold, launches } = await heldOnTwo('renewed', ['5012']);
    const expiry = async () => Number((await a.server.services.db.all<{ expires_ms: number | string }>(`SELECT expires_ms FROM operation_leases WHERE operation_id = @op`, { op }))[0]?.expires_ms);
    // Both clocks move well past the lease's first expiry, in steps shorter than the lease; the
    // coordinator renews it after each.
    for (let step = 0; step < 3; step++) {
      a.clock.advance(LEASE_MS / 2);
      b.clock.advance(LEASE_MS / 2);
      await waitFor(expiry, (ms) => ms >= a.clock.now() + LEASE_MS);
    }
    assert.deepEqual(await byRole(op, first, second), [a, b]);
    await a.ctl.removeFault(hold);
    assert.equal((await b.api.waitStatus(op, ['SUCCEEDED', 'FAILED', 'STOPPED'])).status, 'SUCCEEDED');
    assert.deepEqual(await launches(b), each(['5012'], () => 1));
  });

  it('a coordinator whose lease expired: another replica takes the operation over, the first is fenced off and starts nothing more', async () => {
    const ACCOUNTS = ['5003', '5004', '5005'];
    // One target per region at a time: each outcome the coordinator takes starts the next.
    const { a, b, op, hold, launches } = await heldOnTwo('coordinator-dies', ACCOUNTS);
    const onA = new Set(await runningOn(a));
    const onB = await runningOn(b);
    assert.equal(onA.size + onB.length, 4);

    // A stops answering for B: B's lease sweep takes the operation over, waits for what B runs and
    // runs again what A ran.
    expireOthers(b);
    await a.ctl.waitHeld(hold, 4 + onA.size);
    await a.ctl.removeFault(hold);

    assert.equal((await b.api.waitStatus(op, ['SUCCEEDED', 'FAILED', 'STOPPED'])).status, 'SUCCEEDED');
    await allSucceeded(b, op, 12);
    // A's late outcomes started nothing: every target ran once, but the ones A ran when it lost the operation.
    await waitFor(() => targetsRun(a), (n) => n === onA.size);
    assert.deepEqual(await launches(b), each(ACCOUNTS, (t) => (onA.has(t) ? 2 : 1)));
  });

  it("a coordinator that has not yet seen its lease go: its turn is fenced off, its late outcomes start nothing", async () => {
    // A renews (and would notice the loss) only every 20 s of real time; B sweeps every 100 ms.
    const t0 = Date.now();
    const a = await startEngine({ clock: new FakeClock(t0), config: { database, leaseTimeoutMs: 60_000 } });
    started.push(a);
    await a.api.createGroup('fenced');
    const ACCOUNTS = ['5010', '5011'];
    const launches = await launchCounter(a, 'fenced', ACCOUNTS);
    const hold = await a.ctl.addFault({ match: { stackGroupName: 'fenced' }, effect: 'hold' });
    // Alone, A coordinates the operation and runs its first targets.
    const op = await a.api.createInstances('fenced', ACCOUNTS, REGIONS, PARALLEL);
    await a.ctl.waitHeld(hold, 4);
    const b = await startEngine({ clock: new FakeClock(t0), config: { database, leaseTimeoutMs: LEASE_MS } });
    started.push(b);
    b.clock.advance(60_001);
    await waitFor(() => runningOn(b), (on) => on.length === 4);
    await b.ctl.removeFault(hold);

    assert.equal((await b.api.waitStatus(op, ['SUCCEEDED', 'FAILED', 'STOPPED'])).status, 'SUCCEEDED');
    await allSucceeded(b, op, 8);
    await waitFor(() => targetsRun(a), (n) => n === 4);
    // A's four outcomes came after B took the operation over: A wrote nothing and started nothing.
    assert.deepEqual(await launches(b), each(ACCOUNTS, (t) => (t.startsWith('5010/') ? 2 : 1)));
  });

  it('a Stop answered by a replica that does not run the operation: the running targets finish, the others are cancelled', async () => {
    const [first, second] = await replicas(2);
    await first.api.createGroup('stop-elsewhere');
    const hold = await first.ctl.addFault({ match: { stackGroupName: 'stop-elsewhere' }, effect: 'hold' });
    const op = await first.api.createInstances('stop-elsewhere', ['5006', '5007'], REGIONS, PARALLEL);
    const held = await first.ctl.waitHeld(hold, 4);
    const [a, b] = await byRole(op, first, second);
    assert.equal((await b.api.stop(op)).statusCode, 200);
    assert.equal((await a.api.operation(op)).status, 'STOPPING');
    // A second Stop while it stops answers as the first.
    assert.equal((await b.api.stop(op)).statusCode, 200);
    await a.ctl.removeFault(hold);

    assert.equal((await b.api.waitStatus(op, ['STOPPED', 'SUCCEEDED', 'FAILED'])).status, 'STOPPED');
    const rows = await a.api.results(op);
    const ran = new Set(held.map(key));
    assert.deepEqual(Object.fromEntries(rows.map((r) => [key(r), r.status])), Object.fromEntries(rows.map((r) => [key(r), ran.has(key(r)) ? 'SUCCEEDED' : 'CANCELLED'])));
    // The group is free again: its next operation runs.
    const next = await b.api.createInstances('stop-elsewhere', ['5008'], ['cn-beijing']);
    assert.equal((await b.api.waitStatus(next, ['SUCCEEDED', 'FAILED', 'STOPPED'])).status, 'SUCCEEDED');
  });

  it("a Stop answered by a replica that does not run the operation, with nothing in flight (the coordinator's first turn refused): STOPPED at once", async () => {
    const [first, second] = await replicas(2);
    await first.api.createGroup('stop-idle');
    const launches = await launchCounter(first, 'stop-idle', ['5010']);
    // Whichever replica coordinates, its first turn (which starts the targets) is refused (the
    // other's refusal stays armed: no further operation runs in this test).
    const starts = /^UPDATE operation_results SET status = 'RUNNING'/;
    const refused = Promise.race([first.refuseOnce(starts), second.refuseOnce(starts)]);
    const op = await first.api.createInstances('stop-idle', ['5010'], REGIONS, PARALLEL);
    await refused;
    const [a, b] = await byRole(op, first, second);
    assert.equal((await b.api.stop(op)).statusCode, 200);
    assert.equal((await a.api.operation(op)).status, 'STOPPED');
    assert.deepEqual((await a.api.results(op)).map((r) => r.status), Array(REGIONS.length).fill('CANCELLED'));
    assert.deepEqual(await launches(a), each(['5010'], () => 0));
  });

  it('a replica that shuts down cleanly hands its operation over at once: the next one runs again what it ran', async () => {
    const { a, b, op, hold, launches } = await heldOnTwo('handover', ['5009']);
    const onA = new Set(await runningOn(a));
    // No clock moves: the lease and the heartbeat are given up, not waited out.
    await a.stop();
    await waitFor(() => runningOn(b), (on) => on.length === 4);
    await b.ctl.removeFault(hold);

    assert.equal((await b.api.waitStatus(op, ['SUCCEEDED', 'FAILED', 'STOPPED'])).status, 'SUCCEEDED');
    await allSucceeded(b, op, 4);
    assert.deepEqual(await launches(b), each(['5009'], (t) => (onA.has(t) ? 2 : 1)));
  });

  it("a standalone stack's operation whose replica's lease expired: another replica takes it over and ends it", async () => {
    const STEP = 1_000;
    const [a, b] = await replicas(2, { simulation: { stackOperationMs: STEP } });
    const templateBody = JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' } } } });
    const stackId = (await a.api.client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: 'moves', templateBody }))).body!.stackId!;
    // The replica that claimed the stack's lease first runs it, on its clock.
    await waitFor(async () => a.clock.sleeping + b.clock.sleeping, (n) => n === 1);
    const [runner, other] = a.clock.sleeping ? [a, b] : [b, a];
    expireOthers(other);
    await other.clock.waitSleeping(1);
    other.clock.advance(STEP);
    const getStack = async () => (await other.api.client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!;
    assert.equal((await waitFor(getStack, (s) => !s.status!.endsWith('_IN_PROGRESS'))).status, 'CREATE_COMPLETE');
    assert.equal(runner.clock.sleeping, 1, 'the first run still waits on its own clock');
  });
});
