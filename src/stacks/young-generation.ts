// A young-generation collection between two slices of a large computation (run/sliced.ts) once
// the young generation holds 4 MiB. A large deploy keeps what it builds (plan, records, ids,
// attributes, events) until it is written, so a scavenge V8 starts by itself, with a 16 MiB
// semi-space full, copies ~2 MiB of it in one pause that any request waiting meanwhile sits
// through (issue 18). Started at 4 MiB, a scavenge copies ~0.8 MiB: the effect of a smaller
// semi-space (a flag only a re-launched `node` takes), while a large computation runs and no
// longer. At every slice boundary instead (~10× the scavenges), each copied ~0.13 MiB but the
// deploy took 1.18× the CPU: every scavenge has a fixed cost. Measured in bench/README.md,
// round seven.
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const FULL_BYTES = 4 * 1024 * 1024;

// `gc` is installed only in contexts created after the flag is set: the server's own global is
// left as it was (threads started later, the YAML and jq ones, get one; they run only
// localros's code). Undefined until first needed; null where the runtime refuses.
let minorGc: (() => void) | null | undefined;

function load(): (() => void) | null {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? () => gc({ type: 'minor' }) : null;
  } catch {
    return null;
  }
}

// Whether it collected: the caller hands the event loop back after it, so that the collection
// is a task of its own (run/sliced.ts).
export function collectYoungIfFull(): boolean {
  const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  if (!young || young.space_used_size < FULL_BYTES) return false;
  if (minorGc === undefined) minorGc = load();
  if (!minorGc) return false;
  minorGc();
  return true;
}
