// The operation engine's rules (semantics.md §2–§8) through the official SDK against an
// in-process server (`localros/testing`): windows and their rounding, region order, failure
// tolerance per region, stop, and what each outcome leaves on the instances. One process and no
// server start per test, so that `npm run mutate` can run it for every mutant of src/engine/
// (docs/testing.md); test/sdk/operations.test.ts covers the same rules against a server process.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { createRosClient, startLocalRos, type LocalRos } from 'localros/testing';
import { control, waitFor } from '../helpers/control.ts';
import { testStoreConfig } from '../helpers/pg-store.ts';
import { byTarget, ros as rosApi, sdkError } from '../helpers/ros.ts';

let server: LocalRos;
let api: ReturnType<typeof rosApi>;
let ctl: ReturnType<typeof control>;
// On LOCALROS_TEST_STORE=postgres, a fresh PostgreSQL database (npm run test:postgres).
const store = await testStoreConfig();
before(async () => {
  server = await startLocalRos({ config: { ...store.config, simulation: { stackOperationMs: 0 } } });
  api = rosApi(client(server));
  ctl = control(server.url);
});
after(async () => {
  await server.stop();
  await store.drop();
});

// A generous timeout: on a loaded machine (mutation runs) an answer can take seconds.
const client = (ros: LocalRos) => createRosClient({ endpoint: ros.endpoint, credentials: ros.credentials, regionId: ros.regionId, timeoutMs: 60_000 });
const ACCOUNTS = ['1001', '1002', '1003', '1004', '1005'];
const statuses = async (op: string) => (await api.results(op)).map((r) => `${r.accountId}/${r.regionId}:${r.status}`);
const ended = (op: string) => api.waitStatus(op, ['SUCCEEDED', 'FAILED', 'STOPPED']);
let groups = 0;
async function group(): Promise<string> {
  const name = `engine-${++groups}`;
  await api.createGroup(name);
  return name;
}

it('runs regions one after another by default, one target at a time, and echoes the defaults', async () => {
  const g = await group();
  const hold = await ctl.addFault({ match: { stackGroupName: g }, effect: 'hold', times: 1 });
  const op = await api.createInstances(g, ['1001', '1002'], ['cn-shanghai', 'cn-beijing']);
  await ctl.waitHeld(hold, 1);
  assert.deepEqual(await statuses(op), ['1001/cn-shanghai:RUNNING', '1002/cn-shanghai:PENDING', '1001/cn-beijing:PENDING', '1002/cn-beijing:PENDING']);
  const running = await api.operation(op);
  assert.equal(running.status, 'RUNNING');
  assert.equal(running.endTime, undefined);
  assert.deepEqual({ ...running.operationPreferences }, {
    failureToleranceCount: 0,
    maxConcurrentCount: 1,
    // RegionConcurrencyType is echoed too, but the SDK's model drops it.
    regionIdsOrder: ['cn-shanghai', 'cn-beijing'],
  });
  await ctl.removeFault(hold);
  const done = await ended(op);
  assert.equal(done.status, 'SUCCEEDED');
  assert.ok(done.endTime);
  assert.ok((await api.results(op)).every((r) => r.status === 'SUCCEEDED'));
  const inst = byTarget(await api.instances(g), (i) => `${i.status}:${i.stackId ? 'stack' : 'none'}`);
  assert.deepEqual(Object.values(inst), ['CURRENT:stack', 'CURRENT:stack', 'CURRENT:stack', 'CURRENT:stack']);
});

it('starts the next region only once every target of the current one has finished', async () => {
  const g = await group();
  const hold = await ctl.addFault({ match: { stackGroupName: g, accountId: '1002' }, effect: 'hold' });
  const op = await api.createInstances(g, ['1001', '1002', '1003'], ['cn-beijing', 'cn-shanghai'], { operationPreferences: { MaxConcurrentCount: 2 } });
  await ctl.waitHeld(hold, 1);
  // 1003 has room in the window of cn-beijing; cn-shanghai waits for the held 1002.
  await api.waitStatus(op, ['RUNNING']);
  const mid = await waitResults(op, (rows) => rows.includes('1003/cn-beijing:SUCCEEDED'));
  assert.deepEqual(mid, [
    '1001/cn-beijing:SUCCEEDED',
    '1002/cn-beijing:RUNNING',
    '1003/cn-beijing:SUCCEEDED',
    '1001/cn-shanghai:PENDING',
    '1002/cn-shanghai:PENDING',
    '1003/cn-shanghai:PENDING',
  ]);
  await ctl.removeFault(hold);
  assert.equal((await ended(op)).status, 'SUCCEEDED');
});

it('runs regions side by side when PARALLEL, each with its own window', async () => {
  const g = await group();
  const hold = await ctl.addFault({ match: { stackGroupName: g }, effect: 'hold' });
  const op = await api.createInstances(g, ['1001', '1002', '1003'], ['cn-beijing', 'cn-shanghai'], {
    operationPreferences: { MaxConcurrentCount: 2, RegionConcurrencyType: 'PARALLEL' },
  });
  await ctl.waitHeld(hold, 4);
  assert.deepEqual(await statuses(op), [
    '1001/cn-beijing:RUNNING',
    '1002/cn-beijing:RUNNING',
    '1003/cn-beijing:PENDING',
    '1001/cn-shanghai:RUNNING',
    '1002/cn-shanghai:RUNNING',
    '1003/cn-shanghai:PENDING',
  ]);
  await ctl.removeFault(hold);
  assert.equal((await ended(op)).status, 'SUCCEEDED');
});

// How many targets of `accounts` in one region run at once under `preferences`.
async function window(accounts: string[], preferences: Record<string, unknown>): Promise<number> {
  const g = await group();
  const hold = await ctl.addFault({ match: { stackGroupName: g }, effect: 'hold' });
  const op = await api.createInstances(g, accounts, ['cn-beijing'], { operationPreferences: preferences });
  await ctl.waitHeld(hold, 1);
  // Launches of one window happen in one step: once one is held, all of its window are RUNNING.
  const running = (await api.results(op)).filter((r) => r.status === 'RUNNING').length;
  await ctl.removeFault(hold);
  assert.equal((await ended(op)).status, 'SUCCEEDED');
  return running;
}

it('sizes windows: percentages round down, never below 1, never above the region', async () => {
  assert.equal(await window(ACCOUNTS, { MaxConcurrentPercentage: 50 }), 2); // 2.5
  assert.equal(await window(ACCOUNTS, { MaxConcurrentPercentage: 10 }), 1); // 0.5
  assert.equal(await window(ACCOUNTS, { MaxConcurrentPercentage: 100 }), 5);
  assert.equal(await window(['1001', '1002'], { MaxConcurrentCount: 4 }), 2);
  assert.equal(await window(ACCOUNTS, { MaxConcurrentCount: 3 }), 3);
});

const waitResults = (op: string, done: (rows: string[]) => boolean): Promise<string[]> => waitFor(() => statuses(op), done);

it('tolerates failures up to the count, per region, and echoes the tolerance', async () => {
  const g = await group();
  await ctl.addFault({ match: { stackGroupName: g, accountId: '1001' }, effect: 'fail', message: 'quota exceeded' });
  const op = await api.createInstances(g, ['1001', '1002'], ['cn-beijing', 'cn-shanghai'], { operationPreferences: { FailureToleranceCount: 1 } });
  const done = await ended(op);
  // One failure in each region: each region's own tolerance of 1 holds.
  assert.equal(done.status, 'SUCCEEDED');
  assert.equal(done.operationPreferences!.failureToleranceCount, 1);
  const rows = byTarget(await api.results(op), (r) => `${r.status}:${r.statusReason ?? ''}`);
  assert.equal(rows['1001/cn-beijing'], 'FAILED:quota exceeded');
  assert.equal(rows['1002/cn-shanghai'], 'SUCCEEDED:');
  const inst = byTarget(await api.instances(g), (i) => `${i.status}:${i.statusReason ?? ''}`);
  assert.equal(inst['1001/cn-shanghai'], 'OUTDATED:quota exceeded');
  assert.equal(inst['1002/cn-beijing'], 'CURRENT:');
});

it('fails a PARALLEL operation at a region over its tolerance, cancelling every unstarted target', async () => {
  const g = await group();
  await ctl.addFault({ match: { stackGroupName: g, accountId: '1001', regionId: 'cn-beijing' }, effect: 'fail' });
  const hold = await ctl.addFault({ match: { stackGroupName: g, regionId: 'cn-shanghai' }, effect: 'hold' });
  const op = await api.createInstances(g, ['1001', '1002', '1003'], ['cn-beijing', 'cn-shanghai'], {
    operationPreferences: { RegionConcurrencyType: 'PARALLEL', FailureTolerancePercentage: 34 },
  });
  await ctl.waitHeld(hold, 1);
  // 34% of 3 is 1.02: one failure is tolerated, the region goes on.
  await waitResults(op, (rows) => rows.includes('1003/cn-beijing:SUCCEEDED'));
  await ctl.removeFault(hold);
  assert.equal((await ended(op)).status, 'SUCCEEDED');

  const g2 = await group();
  await ctl.addFault({ match: { stackGroupName: g2, accountId: '1001', regionId: 'cn-beijing' }, effect: 'fail' });
  const hold2 = await ctl.addFault({ match: { stackGroupName: g2, regionId: 'cn-shanghai' }, effect: 'hold' });
  const op2 = await api.createInstances(g2, ['1001', '1002', '1003'], ['cn-beijing', 'cn-shanghai'], {
    operationPreferences: { RegionConcurrencyType: 'PARALLEL', FailureTolerancePercentage: 33 },
  });
  await ctl.waitHeld(hold2, 1);
  // 33% of 3 is 0.99, rounded down to 0: the first failure is over it.
  const mid = await waitResults(op2, (rows) => rows.includes('1001/cn-beijing:FAILED'));
  assert.deepEqual(mid, [
    '1001/cn-beijing:FAILED',
    '1002/cn-beijing:CANCELLED',
    '1003/cn-beijing:CANCELLED',
    '1001/cn-shanghai:RUNNING',
    '1002/cn-shanghai:CANCELLED',
    '1003/cn-shanghai:CANCELLED',
  ]);
  assert.equal((await api.operation(op2)).status, 'RUNNING');
  await ctl.removeFault(hold2);
  const done = await ended(op2);
  assert.equal(done.status, 'FAILED');
  assert.equal(done.operationPreferences!.failureTolerancePercentage, 33);
  const rows = byTarget(await api.results(op2), (r) => `${r.status}:${r.statusReason ?? ''}`);
  assert.equal(rows['1001/cn-shanghai'], 'SUCCEEDED:');
  assert.equal(rows['1003/cn-shanghai'], 'CANCELLED:Cancelled since failure tolerance has exceeded');
  const inst = byTarget(await api.instances(g2), (i) => `${i.status}:${i.statusReason ?? ''}`);
  assert.equal(inst['1002/cn-beijing'], 'OUTDATED:Cancelled since failure tolerance has exceeded');
  assert.equal(inst['1001/cn-shanghai'], 'CURRENT:');
});

it('never starts the later regions of a SEQUENTIAL operation that failed', async () => {
  const g = await group();
  await ctl.addFault({ match: { stackGroupName: g, accountId: '1001' }, effect: 'fail' });
  const op = await api.createInstances(g, ['1001', '1002'], ['cn-beijing', 'cn-shanghai']);
  assert.equal((await ended(op)).status, 'FAILED');
  assert.deepEqual(await statuses(op), ['1001/cn-beijing:FAILED', '1002/cn-beijing:CANCELLED', '1001/cn-shanghai:CANCELLED', '1002/cn-shanghai:CANCELLED']);
  const [first] = await api.results(op);
  assert.match(first.statusReason!, /^Injected failure \(fault-[0-9a-f-]{36}\)$/);
});

it('stops: STOPPING while targets are in flight, unstarted ones cancelled, STOPPED at the end', async () => {
  const g = await group();
  const hold = await ctl.addFault({ match: { stackGroupName: g }, effect: 'hold', times: 2 });
  const op = await api.createInstances(g, ['1001', '1002', '1003'], ['cn-beijing'], { operationPreferences: { MaxConcurrentCount: 2 } });
  await ctl.waitHeld(hold, 2);
  await api.stop(op);
  assert.equal((await api.operation(op)).status, 'STOPPING');
  assert.deepEqual(await statuses(op), ['1001/cn-beijing:RUNNING', '1002/cn-beijing:RUNNING', '1003/cn-beijing:CANCELLED']);
  await api.stop(op);
  assert.equal((await api.instance(g, '1003', 'cn-beijing')).statusReason, 'User initiated stop');
  await ctl.removeFault(hold);
  const stopped = await ended(op);
  assert.equal(stopped.status, 'STOPPED');
  assert.ok(stopped.endTime);
  assert.deepEqual(await statuses(op), ['1001/cn-beijing:SUCCEEDED', '1002/cn-beijing:SUCCEEDED', '1003/cn-beijing:CANCELLED']);
  // The stopped operation is over: another one is accepted, and stopping it again is refused.
  assert.equal((await sdkError(api.stop(op))).code, 'InvalidParameter');
  const next = await api.createInstances(g, ['1004'], ['cn-beijing']);
  assert.equal((await ended(next)).status, 'SUCCEEDED');
});

it('refuses a second operation while one runs, and accepts one after', async () => {
  const g = await group();
  const hold = await ctl.addFault({ match: { stackGroupName: g }, effect: 'hold' });
  const op = await api.createInstances(g, ['1001'], ['cn-beijing']);
  await ctl.waitHeld(hold, 1);
  assert.equal((await sdkError(api.createInstances(g, ['1002'], ['cn-beijing']))).code, 'StackGroupOperationInProgress');
  await ctl.removeFault(hold);
  await ended(op);
  assert.equal((await ended(await api.createInstances(g, ['1002'], ['cn-beijing']))).status, 'SUCCEEDED');
});

it('updates and deletes: failures leave the instance OUTDATED or INOPERABLE, successes remove it', async () => {
  const g = await group();
  await ended(await api.createInstances(g, ['1001', '1002', '1003'], ['cn-beijing']));
  const failUpdate = await ctl.addFault({ match: { stackGroupName: g, accountId: '1001', action: 'UPDATE' }, effect: 'fail', message: 'update broke' });
  const update = await api.updateInstances(g, ['1001', '1002'], ['cn-beijing']);
  assert.equal((await ended(update)).status, 'FAILED');
  let inst = byTarget(await api.instances(g), (i) => `${i.status}:${i.statusReason ?? ''}`);
  assert.equal(inst['1001/cn-beijing'], 'OUTDATED:update broke');
  assert.equal(inst['1002/cn-beijing'], 'OUTDATED:Cancelled since failure tolerance has exceeded');
  await ctl.removeFault(failUpdate);

  await ctl.addFault({ match: { stackGroupName: g, accountId: '1002', action: 'DELETE' }, effect: 'fail', message: 'delete broke' });
  const del = await api.deleteInstances(g, ['1001', '1002', '1003'], ['cn-beijing'], false, { operationPreferences: { FailureToleranceCount: 1, MaxConcurrentCount: 3 } });
  assert.equal((await ended(del)).status, 'SUCCEEDED');
  inst = byTarget(await api.instances(g), (i) => `${i.status}:${i.statusReason ?? ''}`);
  assert.deepEqual(inst, { '1002/cn-beijing': 'INOPERABLE:delete broke' });
});

it('cancels the unstarted targets of a stopped delete without touching their instances', async () => {
  const g = await group();
  await ended(await api.createInstances(g, ['1001', '1002'], ['cn-beijing']));
  const hold = await ctl.addFault({ match: { stackGroupName: g, action: 'DELETE' }, effect: 'hold', times: 1 });
  const del = await api.deleteInstances(g, ['1001', '1002'], ['cn-beijing'], true);
  await ctl.waitHeld(hold, 1);
  await api.stop(del);
  await ctl.removeFault(hold);
  assert.equal((await ended(del)).status, 'STOPPED');
  const inst = byTarget(await api.instances(g), (i) => `${i.status}:${i.statusReason ?? ''}`);
  assert.deepEqual(inst, { '1002/cn-beijing': 'CURRENT:' });
});

it('applies a counted fault to as many target actions as it says', async () => {
  const g = await group();
  await ctl.addFault({ match: { stackGroupName: g, regionId: 'cn-beijing' }, effect: 'fail', times: 2 });
  const op = await api.createInstances(g, ACCOUNTS, ['cn-beijing'], { operationPreferences: { FailureToleranceCount: 2 } });
  assert.equal((await ended(op)).status, 'SUCCEEDED');
  assert.deepEqual((await api.results(op)).map((r) => r.status), ['FAILED', 'FAILED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  // Used up, it is gone.
  const left = (await ctl.faults()) as unknown as { match: { stackGroupName?: string } }[];
  assert.equal(left.filter((f) => f.match.stackGroupName === g).length, 0);
});

// A restart on the same database (a clean stop here; kill -9 is test/sdk/durability.test.ts):
// the operation is rebuilt from its stored results alone.
async function restartable() {
  const dataDir = mkdtempSync(join(tmpdir(), 'localros-engine-'));
  const restartStore = await testStoreConfig();
  const start = () => startLocalRos({ config: { ...restartStore.config, inMemory: false, dataDir, simulation: { stackOperationMs: 0 } } });
  let current = await start();
  const self = {
    get api() {
      return rosApi(client(current));
    },
    get ctl() {
      return control(current.url);
    },
    async restart() {
      await current.stop();
      current = await start();
    },
    async stop() {
      await current.stop();
      rmSync(dataDir, { recursive: true, force: true });
      await restartStore.drop();
    },
  };
  return self;
}

it('resumes after a restart: finished targets stay finished and recorded failures still count', async () => {
  const s = await restartable();
  try {
    await s.api.createGroup('resume');
    // Used once: were 1001 run again after the restart, it would succeed.
    await s.ctl.addFault({ match: { stackGroupName: 'resume', accountId: '1001' }, effect: 'fail', times: 1 });
    await s.ctl.addFault({ match: { stackGroupName: 'resume', accountId: '1003' }, effect: 'fail' });
    const hold = await s.ctl.addFault({ match: { stackGroupName: 'resume', accountId: '1002' }, effect: 'hold' });
    const op = await s.api.createInstances('resume', ['1001', '1002', '1003', '1004'], ['cn-beijing'], { operationPreferences: { FailureToleranceCount: 1 } });
    await s.ctl.waitHeld(hold, 1);
    await s.restart();
    // The target in flight runs again (and is held again); the one before it does not.
    await s.ctl.waitHeld(hold, 1);
    assert.deepEqual(await s.api.results(op).then((rows) => rows.map((r) => r.status)), ['FAILED', 'RUNNING', 'PENDING', 'PENDING']);
    await s.ctl.removeFault(hold);
    // 1001's failure, from before the restart, and 1003's make two: over the tolerance of 1.
    assert.equal((await s.api.waitStatus(op, ['SUCCEEDED', 'FAILED', 'STOPPED'])).status, 'FAILED');
    assert.deepEqual(await s.api.results(op).then((rows) => rows.map((r) => r.status)), ['FAILED', 'SUCCEEDED', 'FAILED', 'CANCELLED']);
  } finally {
    await s.stop();
  }
});

it('resumes a STOPPING operation as STOPPING, in every region', async () => {
  const s = await restartable();
  try {
    await s.api.createGroup('resume-stop');
    const hold = await s.ctl.addFault({ match: { stackGroupName: 'resume-stop', accountId: '1001' }, effect: 'hold' });
    const op = await s.api.createInstances('resume-stop', ['1001', '1002'], ['cn-beijing', 'cn-shanghai'], { operationPreferences: { RegionConcurrencyType: 'PARALLEL' } });
    await s.ctl.waitHeld(hold, 2);
    await s.api.stop(op);
    await s.restart();
    await s.ctl.waitHeld(hold, 2);
    assert.equal((await s.api.operation(op)).status, 'STOPPING');
    await s.ctl.removeFault(hold);
    assert.equal((await s.api.waitStatus(op, ['SUCCEEDED', 'FAILED', 'STOPPED'])).status, 'STOPPED');
    assert.deepEqual(await s.api.results(op).then((rows) => rows.map((r) => `${r.accountId}/${r.regionId}:${r.status}`)), [
      '1001/cn-beijing:SUCCEEDED',
      '1002/cn-beijing:CANCELLED',
      '1001/cn-shanghai:SUCCEEDED',
      '1002/cn-shanghai:CANCELLED',
    ]);
  } finally {
    await s.stop();
  }
});
