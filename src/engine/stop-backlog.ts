// Writing a stop down after its answer (issue 17). StopStackGroupOperation only marks the
// operation (stop_backlog, migration 018): its unstarted results already read as CANCELLED
// (stop-view.ts), and the rows themselves, with their instances (semantics.md R4, I4), are
// written here a chunk of results per transaction, so that the Stop call costs the same at any
// size and no transaction holds the database for long. The marker is durable: a restart goes on
// where the writing stopped. A group's backlog is written whole before another operation of the
// group is accepted, so nothing it writes can land on a newer operation's instances.
import type { Db } from '../store/db.ts';
import { results } from '../store/repos/operations.ts';
import { stopBacklog, type StopBacklogRow } from '../store/repos/stop-backlog.ts';
import { STOP_REASON } from './types.ts';

// Results a transaction writes: ~250 results and as many instances, under a millisecond.
export const SETTLE_CHUNK = 250;

// In the Stop's transaction: what makes the unstarted targets CANCELLED, at a constant cost.
export async function markStopped(db: Db, op: { id: string; group_id: string }): Promise<void> {
  await stopBacklog.add(db, op.id, op.group_id);
}

// Writes the next chunk of one backlog; true while something may be left.
async function settleChunkOf(db: Db, b: StopBacklogRow): Promise<boolean> {
  const total = await results.count(db, b.operation_id);
  const to = Math.min(total, b.next_seq + SETTLE_CHUNK);
  // CREATE and UPDATE targets leave their instance OUTDATED with the reason; DELETE and drift
  // detection leave it as it was (apply.ts, applyCancel).
  await stopBacklog.cancelRange(db, b, b.next_seq, to, STOP_REASON, b.action === 'CREATE' || b.action === 'UPDATE');
  if (to >= total) {
    await stopBacklog.remove(db, b.operation_id);
    return false;
  }
  await stopBacklog.advance(db, b.operation_id, to);
  b.next_seq = to;
  return true;
}

// One chunk of the oldest backlog of a STOPPED operation, inside the caller's transaction; false
// when none is left. A STOPPING operation's waits: the outcomes in flight, which its STOPPED
// waits for, go first.
export async function settleChunk(db: Db): Promise<boolean> {
  const b = await stopBacklog.firstStopped(db);
  if (!b) return false;
  await settleChunkOf(db, b);
  return true;
}

// Everything left of a group's backlog, in the caller's transaction: before a new operation of
// the group writes its instances.
export async function settleGroup(db: Db, groupId: string): Promise<void> {
  const b = await stopBacklog.forGroup(db, groupId);
  if (b) while (await settleChunkOf(db, b));
}
