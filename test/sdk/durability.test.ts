// kill -9 in the middle of an operation, then a restart on the same data directory: the
// operation resumes and completes, no target is lost and none is applied twice (issue 3).
// "Applied once" is observed, not inferred from final counts (issue 19): every target has its
// own `delay 0` fault with a large `times`, and each launch of the target's stack action claims
// it once, durably, before the action runs. The control plane's `timesRemaining` is therefore a
// per-target launch counter that survives the kills.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { rosClient } from '../helpers/clients.ts';
import { control, waitFor } from '../helpers/control.ts';
import { ros } from '../helpers/ros.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';

const dataDirs: string[] = [];
after(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

const ACCOUNTS = Array.from({ length: 10 }, (_, i) => String(3000 + i));
const REGIONS = ['cn-beijing', 'cn-shanghai'];
const COUNTER_TIMES = 1000;
const key = (accountId: string, regionId: string) => `${accountId}/${regionId}`;

// One server on one data directory, restarted after each kill -9.
async function durableServer(group: string, config: Record<string, unknown>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'localros-durability-'));
  dataDirs.push(dataDir);
  let server: ServerProcess = await startServer({ dataDir, config });
  const counters = new Map<string, string>();
  const self = {
    get ctl() {
      return control(server.url);
    },
    get api() {
      return ros(rosClient(server.endpoint));
    },
    async addCounters(): Promise<void> {
      for (const accountId of ACCOUNTS) {
        for (const regionId of REGIONS) {
          const id = await self.ctl.addFault({ match: { stackGroupName: group, accountId, regionId }, effect: 'delay', delayMs: 0, times: COUNTER_TIMES });
          counters.set(key(accountId, regionId), id);
        }
      }
    },
    // Launches so far of every target's stack action.
    async launches(): Promise<Map<string, number>> {
      const byId = new Map((await self.ctl.faults()).map((f) => [f.id, f as unknown as { timesRemaining: number | null }]));
      return new Map([...counters].map(([target, id]) => [target, COUNTER_TIMES - (byId.get(id)?.timesRemaining ?? COUNTER_TIMES)]));
    },
    async succeeded(operationId: string): Promise<Set<string>> {
      const rows = await self.api.results(operationId);
      return new Set(rows.filter((r) => r.status === 'SUCCEEDED').map((r) => key(r.accountId!, r.regionId!)));
    },
    async restartAfterKill9(): Promise<void> {
      await server.kill9();
      server = await startServer({ dataDir, config });
    },
    stop: () => server.stop(),
  };
  return self;
}

it('resumes an operation killed with SIGKILL mid-way and runs every target exactly once', async () => {
  const s = await durableServer('durable', { simulation: { stackOperationMs: 5 } });
  try {
    await s.api.createGroup('durable');
    await s.addCounters();
    // One target per region is held in flight at the moment of the kill; with a window of 1 the
    // accounts before it are done and those after it still pending.
    const hold = await s.ctl.addFault({ match: { stackGroupName: 'durable', accountId: '3005' }, effect: 'hold' });
    const op = await s.api.createInstances('durable', ACCOUNTS, REGIONS, {
      operationPreferences: { MaxConcurrentCount: 1, RegionConcurrencyType: 'PARALLEL' },
    });
    await s.ctl.waitHeld(hold, 2);
    const before = await s.api.results(op);
    assert.ok(before.some((r) => r.status === 'SUCCEEDED'));
    assert.ok(before.some((r) => r.status === 'PENDING'));
    await s.restartAfterKill9();

    // The hold is durable too: the two in-flight targets run again and are held again.
    await s.ctl.waitHeld(hold, 2);
    assert.equal((await s.api.operation(op)).status, 'RUNNING');
    await s.ctl.removeFault(hold);
    const done = await s.api.waitStatus(op, ['SUCCEEDED', 'FAILED', 'STOPPED']);
    assert.equal(done.status, 'SUCCEEDED');
    const results = await s.api.results(op);
    assert.equal(results.length, 20);
    assert.ok(results.every((r) => r.status === 'SUCCEEDED'));
    const instances = await waitFor(() => s.api.instances('durable'), (list) => list.length === 20);
    assert.ok(instances.every((i) => i.status === 'CURRENT'));
    assert.equal(new Set(instances.map((i) => i.stackId)).size, 20);

    // Observed launches: the held (in-flight) targets ran twice, every other target once.
    const expected = new Map(ACCOUNTS.flatMap((a) => REGIONS.map((r): [string, number] => [key(a, r), a === '3005' ? 2 : 1])));
    assert.deepEqual(Object.fromEntries(await s.launches()), Object.fromEntries(expected));
  } finally {
    await s.stop();
  }
});

// Several kills at different moments: while targets are held in flight, right after held targets
// are released (their outcome computed, its commit racing the kill), and in the middle of timed
// stack actions. Whatever the moment, a target seen SUCCEEDED before a kill never runs again, and
// a target runs at most once more per kill that found it unfinished.
it('never re-runs a finished target, whichever moment kill -9 hits', async () => {
  const group = 'durable-many';
  const s = await durableServer(group, { simulation: { stackOperationMs: 20 } });
  try {
    await s.api.createGroup(group);
    await s.addCounters();
    const holds = new Map<string, string>();
    for (const accountId of ['3002', '3005']) holds.set(accountId, await s.ctl.addFault({ match: { stackGroupName: group, accountId }, effect: 'hold' }));
    const op = await s.api.createInstances(group, ACCOUNTS, REGIONS, {
      operationPreferences: { MaxConcurrentCount: 1, RegionConcurrencyType: 'PARALLEL' },
    });
    // What each kill found finished.
    const finishedAtKill: Set<string>[] = [];
    const kill = async () => {
      finishedAtKill.push(await s.succeeded(op));
      await s.restartAfterKill9();
    };

    // 1. Targets of 3002 held in flight.
    await s.ctl.waitHeld(holds.get('3002')!, 2);
    await kill();
    // 2. The same targets, run again and held again, released: the kill races the commit of
    //    their outcome.
    await s.ctl.waitHeld(holds.get('3002')!, 2);
    await s.ctl.removeFault(holds.get('3002')!);
    await kill();
    // 3. Targets of 3005 held, released, and the kill sent as soon as the release answers.
    await s.ctl.waitHeld(holds.get('3005')!, 2);
    await s.ctl.removeFault(holds.get('3005')!);
    await kill();
    // 4. In the middle of the timed actions of the later accounts.
    await waitFor(() => s.succeeded(op), (done) => done.size >= 14, 15_000);
    await kill();

    const done = await s.api.waitStatus(op, ['SUCCEEDED', 'FAILED', 'STOPPED']);
    assert.equal(done.status, 'SUCCEEDED');
    const results = await s.api.results(op);
    assert.equal(results.length, 20);
    assert.ok(results.every((r) => r.status === 'SUCCEEDED'));
    const instances = await waitFor(() => s.api.instances(group), (list) => list.length === 20);
    assert.ok(instances.every((i) => i.status === 'CURRENT'));
    assert.equal(new Set(instances.map((i) => i.stackId)).size, 20);

    const launches = await s.launches();
    // The first kill found 3002's targets in flight: resuming ran them again.
    assert.ok(launches.get(key('3002', 'cn-beijing'))! >= 2 && launches.get(key('3002', 'cn-shanghai'))! >= 2);
    for (const [target, count] of launches) {
      const unfinishedKills = finishedAtKill.filter((finished) => !finished.has(target)).length;
      assert.ok(count >= 1 && count <= 1 + unfinishedKills, `${target} launched ${count} times; ${unfinishedKills} kill(s) found it unfinished`);
      // A target seen finished by the first kill was launched before it and never again.
      if (finishedAtKill[0].has(target)) assert.equal(count, 1, `${target} finished before the first kill yet launched ${count} times`);
    }
  } finally {
    await s.stop();
  }
});

// kill -9 right after a Stop's answer (issue 17): the stop only marked the operation and its
// unstarted targets are written CANCELLED in the background, so the kill may find that writing
// anywhere. After the restart the operation is still STOPPING with its held targets, every
// unstarted target reads CANCELLED (its instance OUTDATED) with the stop's reason, none of them
// ever starts, and the operation ends STOPPED once the held ones finish.
it('keeps a Stop whole when kill -9 follows its answer', async () => {
  const group = 'durable-stop';
  // 600 targets: more than one chunk of the background writing.
  const accounts = Array.from({ length: 300 }, (_, i) => String(4000 + i));
  const s = await durableServer(group, { simulation: { stackOperationMs: 5 }, limits: { accountsPerCall: 300 } });
  try {
    await s.api.createGroup(group);
    const hold = await s.ctl.addFault({ match: { stackGroupName: group, accountId: accounts[0] }, effect: 'hold' });
    const op = await s.api.createInstances(group, accounts, REGIONS, {
      operationPreferences: { MaxConcurrentCount: 1, RegionConcurrencyType: 'PARALLEL' },
    });
    await s.ctl.waitHeld(hold, 2);
    await s.api.stop(op);
    await s.restartAfterKill9();

    const inFlight = new Set(REGIONS.map((r) => key(accounts[0], r)));
    const check = async (finished: boolean) => {
      const results = await s.api.results(op);
      assert.equal(results.length, accounts.length * REGIONS.length);
      for (const r of results) {
        const held = inFlight.has(key(r.accountId!, r.regionId!));
        const expected = held ? (finished ? 'SUCCEEDED:' : 'RUNNING:') : 'CANCELLED:User initiated stop';
        assert.equal(`${r.status}:${r.statusReason ?? ''}`, expected, key(r.accountId!, r.regionId!));
      }
      for (const i of await s.api.instances(group)) {
        const held = inFlight.has(key(i.accountId!, i.regionId!));
        const expected = held ? (finished ? 'CURRENT:' : 'OUTDATED:') : 'OUTDATED:User initiated stop';
        assert.equal(`${i.status}:${i.statusReason ?? ''}`, expected, key(i.accountId!, i.regionId!));
      }
    };
    // The held targets run again after the restart and are held again.
    await s.ctl.waitHeld(hold, 2);
    assert.equal((await s.api.operation(op)).status, 'STOPPING');
    await check(false);
    await s.ctl.removeFault(hold);
    const done = await s.api.waitStatus(op, ['SUCCEEDED', 'FAILED', 'STOPPED']);
    assert.equal(done.status, 'STOPPED');
    await check(true);
  } finally {
    await s.stop();
  }
});
