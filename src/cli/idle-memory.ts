// Gives V8's room back to the system once the server has been idle for a while. After a burst
// of work (100,000 instances created) the live heap is back to ~22 MB, but V8 keeps the old
// space it grew (~90 MB) and the young generation at its 32 MB maximum until its next collection,
// which an idle server never triggers: ~115 MB of RSS for nothing (bench/README.md, round six).
// One compacting full collection after `idleMs` of an idle event loop empties and returns the old
// space's pages, and, since V8 then sees a low allocation rate over its last seconds, shrinks the
// young generation too. It runs only when the loop has been under 5% busy for `idleMs` (never
// during a bulk rollout or a request load) and the heap grew since the last one.
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Below this share of the interval spent running JavaScript or I/O callbacks, the loop is idle
// (an idle server's own timers use well under 1%).
const IDLE_UTILIZATION = 0.05;
// Growth of V8's resident heap since the last collection (or the start) worth one collection.
const GROWTH_BYTES = 16 * 2 ** 20;
const CHECK_MS = 1000;

export interface HeapSample {
  now: number;
  // Share of the last interval the event loop was busy, 0 to 1.
  utilization: number;
  // V8's resident heap, in bytes.
  heapBytes: number;
}

// The decision alone, fed one sample per interval: collect once the loop has been idle for
// `idleMs` and the heap grew by GROWTH_BYTES since the last collection.
export class IdleCollectionPolicy {
  private idleSince: number | undefined;
  private floorBytes: number | undefined;

  constructor(private readonly idleMs: number) {}

  shouldCollect(sample: HeapSample): boolean {
    this.floorBytes = Math.min(this.floorBytes ?? sample.heapBytes, sample.heapBytes);
    if (sample.utilization >= IDLE_UTILIZATION) {
      this.idleSince = undefined;
      return false;
    }
    this.idleSince ??= sample.now;
    return sample.now - this.idleSince >= this.idleMs && sample.heapBytes - this.floorBytes >= GROWTH_BYTES;
  }

  collected(heapBytesAfter: number): void {
    this.floorBytes = heapBytesAfter;
  }
}

// A full collection: the one `--expose-gc` provides, taken without exposing `gc` to the
// application (the flag is set only while one new context is made).
function fullCollection(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  try {
    return runInNewContext('gc') as () => void;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

// Starts the checks; the timer never keeps the process alive. `idleMs` 0 turns them off.
export function releaseMemoryWhenIdle(idleMs: number): { stop(): void } {
  if (idleMs === 0) return { stop: () => undefined };
  const policy = new IdleCollectionPolicy(idleMs);
  const collect = fullCollection();
  const heapBytes = () => getHeapStatistics().total_physical_size;
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const sample = { now: performance.now(), utilization: performance.eventLoopUtilization(now, last).utilization, heapBytes: heapBytes() };
    last = now;
    if (!policy.shouldCollect(sample)) return;
    // V8 compacts only its most fragmented pages by default, which left ~35 MB of old space
    // three quarters empty after 100,000 instances; compacting them all moves ~20 MB once.
    setFlagsFromString('--compact-on-every-full-gc');
    try {
      collect();
    } finally {
      setFlagsFromString('--no-compact-on-every-full-gc');
    }
    policy.collected(heapBytes());
    // The collection's own time is not the application's: the next interval starts after it.
    last = performance.eventLoopUtilization();
  }, CHECK_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
