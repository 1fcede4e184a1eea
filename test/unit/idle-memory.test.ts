import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IdleCollectionPolicy } from '../../src/cli/idle-memory.ts';

const MB = 2 ** 20;
const IDLE_MS = 5000;

// One sample a second from `start`: [utilization, heap in MB] each.
function feed(policy: IdleCollectionPolicy, samples: [number, number][], start = 0): boolean[] {
  return samples.map(([utilization, heapMb], i) => policy.shouldCollect({ now: start + i * 1000, utilization, heapBytes: heapMb * MB }));
}

describe('releasing memory when idle: the decision', () => {
  it('collects once the loop has been idle for the delay after the heap grew', () => {
    const policy = new IdleCollectionPolicy(IDLE_MS);
    const busy = feed(policy, [[0, 50], [0.9, 90], [0.8, 130]]);
    const idle = feed(policy, [[0.01, 130], [0.01, 130], [0.01, 130], [0.01, 130], [0.01, 130], [0.01, 130]], 3000);
    assert.deepEqual(busy, [false, false, false]);
    assert.deepEqual(idle, [false, false, false, false, false, true]);
  });

  it('starts the idle delay again after any busy interval', () => {
    const policy = new IdleCollectionPolicy(IDLE_MS);
    feed(policy, [[0, 50], [0.9, 130]]);
    const decisions = feed(policy, [[0, 130], [0, 130], [0, 130], [0, 130], [0.5, 130], [0, 130], [0, 130], [0, 130], [0, 130], [0, 130], [0, 130]], 2000);
    assert.deepEqual(decisions, [false, false, false, false, false, false, false, false, false, false, true]);
  });

  it('does not collect an idle heap that has not grown by 16 MB', () => {
    const policy = new IdleCollectionPolicy(IDLE_MS);
    const decisions = feed(policy, Array.from({ length: 10 }, (): [number, number] => [0, 60]).concat([[0.9, 75], [0, 75], [0, 75], [0, 75], [0, 75], [0, 75], [0, 75]]));
    assert.ok(decisions.every((d) => !d));
  });

  it('measures the growth from the heap left by the last collection, so it collects once per burst', () => {
    const policy = new IdleCollectionPolicy(IDLE_MS);
    feed(policy, [[0, 50], [0.9, 130]]);
    const first = feed(policy, [[0, 130], [0, 130], [0, 130], [0, 130], [0, 130], [0, 130]], 2000);
    assert.equal(first.at(-1), true);
    policy.collected(60 * MB);
    const after = feed(policy, [[0, 70], [0, 70], [0, 70]], 8000);
    assert.deepEqual(after, [false, false, false]);
    const nextBurst = feed(policy, [[0.9, 80], [0, 80], [0, 80], [0, 80], [0, 80], [0, 80], [0, 80]], 11000);
    assert.equal(nextBurst.at(-1), true);
  });
});
