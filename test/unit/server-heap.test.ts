import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HEAP_GROWING_PERCENT, serverHeapFlag } from '../../src/server-heap.ts';

describe('the server heap flag', () => {
  it('sets the growing percent when the process was started without one', () => {
    assert.equal(serverHeapFlag(['--enable-source-maps', '--max-old-space-size=512']), `--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    assert.equal(serverHeapFlag([]), `--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  });

  it('leaves a value given on the command line, in either spelling', () => {
    assert.equal(serverHeapFlag(['--heap-growing-percent=0']), undefined);
    assert.equal(serverHeapFlag(['--trace-gc', '--heap_growing_percent=100']), undefined);
  });
});
