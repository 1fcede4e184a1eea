import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inRolloutOrder } from '../../src/engine/accept.ts';

// Targets as the API resolves them: region by region, accounts in request order.
const targets = ['r1', 'r2', 'r3'].flatMap((regionId) => ['a', 'b'].map((accountId) => ({ accountId, regionId })));
const ids = (ts: readonly { accountId: string; regionId: string }[]) => ts.map((t) => `${t.regionId}/${t.accountId}`);

describe('the order rows are stored in', () => {
  it('is region after region for SEQUENTIAL (the default), in the given region order', () => {
    const order = ['r2', 'r1', 'r3'];
    assert.deepEqual(ids(inRolloutOrder(targets, (t) => t.regionId, order, {})), ['r2/a', 'r2/b', 'r1/a', 'r1/b', 'r3/a', 'r3/b']);
    assert.deepEqual(ids(inRolloutOrder(targets, (t) => t.regionId, order, { RegionConcurrencyType: 'SEQUENTIAL' })), ids(inRolloutOrder(targets, (t) => t.regionId, order, {})));
  });

  it('is the n-th target of every region together for PARALLEL, regions of unequal size included', () => {
    const uneven = [...targets, { accountId: 'c', regionId: 'r3' }];
    assert.deepEqual(ids(inRolloutOrder(uneven, (t) => t.regionId, ['r1', 'r2', 'r3'], { RegionConcurrencyType: 'PARALLEL' })), [
      'r1/a',
      'r2/a',
      'r3/a',
      'r1/b',
      'r2/b',
      'r3/b',
      'r3/c',
    ]);
  });

  it('keeps every item: a region missing from the order comes last', () => {
    const out = inRolloutOrder(targets, (t) => t.regionId, ['r3', 'r1'], { RegionConcurrencyType: 'PARALLEL' });
    assert.deepEqual(ids(out), ['r3/a', 'r1/a', 'r2/a', 'r3/b', 'r1/b', 'r2/b']);
    assert.deepEqual(ids(inRolloutOrder(targets, (t) => t.regionId, ['r3', 'r1'], {})), ['r3/a', 'r3/b', 'r1/a', 'r1/b', 'r2/a', 'r2/b']);
  });
});
