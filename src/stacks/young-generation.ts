// Young-generation collections on demand, for computations that run in slices (run/sliced.ts).
// A large deploy keeps what it builds (plan, records, ids, attributes, events: ~1.5 KB a
// resource) until it is written, so each scavenge V8 starts by itself copies most of a 16 MB
// semi-space in one pause (25–40 ms at load 13 in the hostile scenario, each one a probe could
// wait for; issue 18), and a mark-compact landing meanwhile evacuates it too. Collected at the
// slice boundaries, the young generation only ever holds what one slice built: the effect of a
// small semi-space (a flag only a re-launched `node` can take), while a large computation runs
// and no longer.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// At most one forced collection per this many ms, however many computations are sliced at once.
const MIN_INTERVAL_MS = 2;

// `gc` is installed only in contexts created after the flag is set: the server's own global is
// left as it was. Undefined until first needed; null where the runtime refuses.
let minorGc: (() => void) | null | undefined;
let last = Number.NEGATIVE_INFINITY;

function load(): (() => void) | null {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? () => gc({ type: 'minor' }) : null;
  } catch {
    return null;
  }
}

export function collectYoung(): void {
  const now = performance.now();
  if (now - last < MIN_INTERVAL_MS) return;
  last = now;
  if (minorGc === undefined) minorGc = load();
  minorGc?.();
}
