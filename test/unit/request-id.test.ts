// Request ids: the gateway's form (an upper-case version 4 UUID), new for every answer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newRequestId } from '../../src/protocol/request-id.ts';

const UPPER_UUID_V4 = /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/;

describe('request ids', () => {
  it('are upper-case version 4 UUIDs, all distinct, across many refills of the random pool', () => {
    const ids = Array.from({ length: 5000 }, newRequestId);
    for (const id of ids) assert.match(id, UPPER_UUID_V4);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('use every hex digit in every free position', () => {
    // 4,000 ids: a position stuck at a few values (a wrong shift or mask) would show here.
    const ids = Array.from({ length: 4000 }, newRequestId);
    for (let i = 0; i < 36; i++) {
      if ([8, 13, 14, 18, 19, 23].includes(i)) continue;
      assert.equal(new Set(ids.map((id) => id[i])).size, 16, `position ${i}`);
    }
    assert.deepEqual(new Set(ids.map((id) => id[19])), new Set(['8', '9', 'A', 'B']));
  });
});
