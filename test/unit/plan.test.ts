import assert from 'node:assert/strict';
import { it } from 'node:test';
import { echoPreferences, planRegion } from '../../src/engine/plan.ts';

// [preferences, targets in the region, window, tolerance] — semantics.md §7.2.
const CASES: [Record<string, number>, number, number, number][] = [
  [{}, 5, 1, 0],
  [{ MaxConcurrentCount: 3 }, 5, 3, 0],
  [{ MaxConcurrentCount: 20 }, 5, 5, 0],
  [{ MaxConcurrentPercentage: 50 }, 5, 2, 0],
  [{ MaxConcurrentPercentage: 10 }, 5, 1, 0],
  [{ MaxConcurrentPercentage: 100 }, 7, 7, 0],
  [{ FailureToleranceCount: 2 }, 5, 1, 2],
  [{ FailureTolerancePercentage: 50 }, 5, 1, 2],
  [{ FailureTolerancePercentage: 10 }, 5, 1, 0],
  [{ FailureTolerancePercentage: 100 }, 4, 1, 4],
];

for (const [prefs, total, window, tolerance] of CASES) {
  it(`${JSON.stringify(prefs)} over ${total} targets: window ${window}, tolerance ${tolerance}`, () => {
    const plan = planRegion(prefs, 'cn-beijing', total);
    assert.equal(plan.window, window);
    assert.equal(plan.tolerance, tolerance);
  });
}

it('echoes one key of each exclusive pair, with defaults and the region order', () => {
  assert.deepEqual(echoPreferences({}, ['a']), { FailureToleranceCount: 0, MaxConcurrentCount: 1, RegionConcurrencyType: 'SEQUENTIAL', RegionIdsOrder: ['a'] });
  assert.deepEqual(echoPreferences({ FailureTolerancePercentage: 10, MaxConcurrentPercentage: 20, RegionConcurrencyType: 'PARALLEL' }, ['b', 'a']), {
    FailureTolerancePercentage: 10,
    MaxConcurrentPercentage: 20,
    RegionConcurrencyType: 'PARALLEL',
    RegionIdsOrder: ['b', 'a'],
  });
});
