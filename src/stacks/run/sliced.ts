// Runs a computation written as a generator (it yields at points where it may pause) in slices
// of SLICE_MS, handing the event loop back between them: planning or simulating a
// 3,000-resource stack must not stall /health or GetStackGroupOperation (issue 18). The
// computation's state is its own, so pausing it changes nothing in its result.
import { collectYoungIfFull } from '../young-generation.ts';

const SLICE_MS = 2;

// Lets whatever waits on the event loop (requests, timers) run before going on.
export const handBack = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

// The first slice waits its turn too: a target's action is launched from inside the request
// that started the operation, which should answer before the planning begins.
export async function runSliced<T>(steps: Generator<void, T>): Promise<T> {
  await handBack();
  return inSlices(steps);
}

// The same, the first slice at once: a request checking a small template answers in one turn.
export function inSlices<T>(steps: Generator<void, T>): Promise<T> {
  return inSlice(steps, new Slice());
}

// A slice of the event loop that several computations share, one after the other: a target's
// plan and then its simulation run in one slice when they fit, instead of waiting a turn of the
// event loop each (10,000 targets paid 20,000 turns for small stacks), and never hold the event
// loop longer than one slice together. A computation that finds the slice over (a simulation
// after a hold, which a request released) hands back before its first step.
export class Slice {
  end = performance.now() + SLICE_MS;
}

export async function inSlice<T>(steps: Generator<void, T>, slice: Slice): Promise<T> {
  // Whether this computation has run a step since it last handed back.
  let stepped = false;
  for (;;) {
    if (performance.now() >= slice.end) {
      await handBack();
      // A short scavenge here rather than a long one when V8 finds the young generation full
      // (young-generation.ts), but only where a computation ran out of its slice working: one
      // that finds its slice already over (a held target's simulation after its release) is a
      // small one whose answer someone waits for, and a scavenge then only delays it. Between
      // two hand-backs: a request that came during the slice does not wait for the scavenge
      // too, nor one that comes during the scavenge for the next slice (issue 18, round eight).
      if (stepped && collectYoungIfFull()) await handBack();
      slice.end = performance.now() + SLICE_MS;
    }
    const step = steps.next();
    stepped = true;
    if (step.done) return step.value;
  }
}
