// The live poller behind the event stream: one poller per watched operation, shared by every
// page, pushing only changes, and gone when the last page leaves. The poller sleeps through the
// injected clock, so the test steps through polls instead of sleeping.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { LiveOperations, type LivePayload } from '../../src/console/live.ts';
import type { OperationSnapshot } from '../../src/console/operation-view.ts';

const KEY = { accountId: '1', regionId: 'cn-hangzhou', operationId: 'op' };

// A clock whose sleeps end only when the test says so.
class ManualClock {
  private sleepers: (() => void)[] = [];
  now = () => Date.parse('2026-01-01T00:00:00Z');
  sleep = () => new Promise<void>((resolve) => this.sleepers.push(resolve));
  // Ends the current sleeps and lets the polls they start settle.
  async tick(): Promise<void> {
    const woken = this.sleepers;
    this.sleepers = [];
    for (const wake of woken) wake();
    await settle();
  }
}

function snapshot(status: string, target: string): OperationSnapshot {
  return {
    operation: { OperationId: 'op', Status: status, CreateTime: '2026-01-01T00:00:00' },
    regions: [],
    targets: [{ accountId: '1001', regionId: 'cn-hangzhou', status: target as 'PENDING' }],
  };
}

// Lets the poller's awaited load settle.
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('live operations', () => {
  let state: OperationSnapshot;
  let loads: number;
  let live: LiveOperations;
  let clock: ManualClock;

  beforeEach(() => {
    clock = new ManualClock();
    state = snapshot('RUNNING', 'PENDING');
    loads = 0;
    live = new LiveOperations(async () => {
      loads++;
      return state;
    }, clock);
  });

  it('shares one poller, pushes only changes with the time they were seen, and stops when the last watcher leaves', async () => {
    const a: LivePayload[] = [];
    const b: LivePayload[] = [];
    const stopA = live.subscribe(KEY, { snapshot: (p) => a.push(structuredClone(p)), end: () => {} });
    await settle();
    const stopB = live.subscribe(KEY, { snapshot: (p) => b.push(structuredClone(p)), end: () => {} });
    assert.equal(loads, 1, 'the second watcher shares the first poll');
    assert.equal(a.length, 1);
    assert.equal(b.length, 1, 'a late watcher gets the current state at once');

    await clock.tick();
    assert.equal(loads, 2);
    assert.equal(a.length, 1, 'nothing changed, nothing pushed');

    state = snapshot('RUNNING', 'RUNNING');
    await clock.tick();
    assert.equal(a.length, 2);
    assert.deepEqual(a[1].seen.targets['1001/cn-hangzhou'], { RUNNING: '2026-01-01T00:00:00' });
    assert.deepEqual(a[0].seen.targets['1001/cn-hangzhou'], {}, 'what was so before anyone watched has no time');

    stopA();
    stopB();
    const before = loads;
    await clock.tick();
    await clock.tick();
    assert.equal(loads, before, 'no polling once nobody watches');
    assert.deepEqual(live.observations(KEY).targets['1001/cn-hangzhou'], { RUNNING: '2026-01-01T00:00:00' }, 'observations outlive the watch');
  });

  it('ends every watcher when the operation finishes', async () => {
    const events: string[] = [];
    live.subscribe(KEY, { snapshot: (p) => events.push(p.operation.Status), end: (problem) => events.push(problem ? problem.code : 'end') });
    await settle();
    state = snapshot('SUCCEEDED', 'SUCCEEDED');
    await clock.tick();
    assert.deepEqual(events, ['RUNNING', 'SUCCEEDED', 'end']);
    await clock.tick();
    await clock.tick();
    assert.equal(loads, 2);
  });

  it('gives no time to a status that was already so when watching began, even once other things change', async () => {
    state = snapshot('RUNNING', 'RUNNING');
    const seen: LivePayload[] = [];
    live.subscribe(KEY, { snapshot: (p) => seen.push(structuredClone(p)), end: () => {} });
    await settle();
    state = snapshot('STOPPING', 'RUNNING');
    await clock.tick();
    assert.equal(seen.length, 2);
    assert.deepEqual(seen[1].seen.targets['1001/cn-hangzhou'], {});
    assert.deepEqual(seen[1].seen.operation, { STOPPING: '2026-01-01T00:00:00' });
  });
});
