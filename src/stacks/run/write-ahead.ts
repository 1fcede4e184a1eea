// A large stack action's resources are written ahead of its result, a chunk per transaction with
// the event loop handed back between chunks (issue 18): the one transaction that wrote a
// 3,000-resource stack with the target's result held the server for ~80 ms. Its events are
// packed ahead the same way, a row at a time, to be written with the result. In the cloud a
// stack's resources appear as they are created, so readers seeing some of them while the stack
// is *_IN_PROGRESS is faithful; the stack's status, its events and the target's result are still
// written last, together (stack-writer.ts then leaves the resources alone). Every chunk writes
// over what is there and what the stack holds beyond the action's resources is removed at the
// end, so a target run again after a crash (kill -9 mid-way) writes over what the first run left.
import type { Db } from '../../store/db.ts';
import { EVENTS_PER_ROW, packEvents, type StackEvent } from '../../store/repos/stack-events.ts';
import { stackResources, type StackResource } from '../../store/repos/stack-resources.ts';
import { stacks } from '../../store/repos/stacks.ts';
import type { StackAction } from './deployment.ts';
import { handBack } from './sliced.ts';

// Resources per transaction: 200 took 2–4 ms of CPU each, with the commit, in the profiles of
// bench/long-tasks.ts; 100, half that.
export const RESOURCES_PER_CHUNK = 100;

// Large actions are written ahead; so is a create run again after a crash that wrote some of
// its resources, which only writing over can finish (a first create inserts).
export function writesAhead(action: StackAction, resources: number, existing: number): boolean {
  return resources > RESOURCES_PER_CHUNK || existing > RESOURCES_PER_CHUNK || (action === 'CREATE' && existing > 0);
}

async function inTransactions<T>(db: Db, items: readonly T[], write: (tx: Db, chunk: readonly T[]) => Promise<boolean>): Promise<boolean> {
  for (let from = 0; from < items.length; from += RESOURCES_PER_CHUNK) {
    const chunk = items.slice(from, from + RESOURCES_PER_CHUNK);
    if (!(await db.transaction((tx) => write(tx, chunk)))) return false;
    await handBack();
  }
  return true;
}

// Leaves the stack holding exactly `resources`. Answers false when the stack is gone (a reset
// meanwhile): there is nothing to write to.
export async function writeResourcesAhead(db: Db, stackId: string, resources: readonly StackResource[]): Promise<boolean> {
  const upserted = await inTransactions(db, resources, async (tx, chunk) => {
    if (!(await stacks.exists(tx, stackId))) return false;
    await stackResources.upsert(tx, stackId, chunk);
    return true;
  });
  if (!upserted) return false;
  const keep = new Set(resources.map((r) => r.logical_resource_id));
  const stale = (await stackResources.logicalIds(db, stackId)).filter((id) => !keep.has(id));
  return inTransactions(db, stale, async (tx, chunk) => {
    await stackResources.remove(tx, stackId, chunk);
    return true;
  });
}

// The events as stackEvents stores them, a row at a time (packing 6,000 events at once took
// ~5 ms), handing the event loop back between rows.
export async function packEventsAhead(events: readonly StackEvent[]): Promise<string[]> {
  const rows: string[] = [];
  for (let from = 0; from < events.length; from += EVENTS_PER_ROW) {
    rows.push(packEvents(events.slice(from, from + EVENTS_PER_ROW)));
    await handBack();
  }
  return rows;
}
