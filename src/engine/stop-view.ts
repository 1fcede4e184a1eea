// What a stop looks like before stop-backlog.ts has written it down, in the one place every read
// goes through (issue 17). A result still PENDING under a STOPPING or STOPPED operation never
// starts: it reads as the backlog will write it, CANCELLED with the stop reason (semantics.md
// R4); its instance, for CREATE and UPDATE, OUTDATED with the same reason (I4). Nothing else
// leaves a result PENDING under those statuses: a failure tolerance cancels its targets at once.
import type { Db } from '../store/db.ts';
import type { ResultRow } from '../store/repos/operations.ts';
import { targetId, type StackInstance } from '../store/repos/stack-instances.ts';
import { stopBacklog, type StopBacklogRow } from '../store/repos/stop-backlog.ts';
import { STOP_REASON, type OperationStatus, type ResultStatus } from './types.ts';

const isStopped = (status: OperationStatus): boolean => status === 'STOPPING' || status === 'STOPPED';

export function resultStatusAsRead(opStatus: OperationStatus, status: ResultStatus): ResultStatus {
  return status === 'PENDING' && isStopped(opStatus) ? 'CANCELLED' : status;
}

export function resultsAsRead<R extends Pick<ResultRow, 'status' | 'status_reason'>>(opStatus: OperationStatus, rows: R[]): R[] {
  if (!isStopped(opStatus)) return rows;
  return rows.map((r) => (r.status === 'PENDING' ? { ...r, status: 'CANCELLED', status_reason: STOP_REASON } : r));
}

// The stop being written down in a group, if any: read before the group's instances, so that
// instancesAsRead sees every chunk that stop-backlog.ts writes (each its own transaction) after
// it, whether before or after the instances were read. Read after them, a last chunk written in
// between would leave an instance read without its reason and the stop already gone.
export async function stopInProgress(db: Db, groupId: string): Promise<StopBacklogRow | undefined> {
  const b = await stopBacklog.forGroup(db, groupId);
  return b && (b.action === 'CREATE' || b.action === 'UPDATE') ? b : undefined;
}

// Instances of a group as read, given the stop in progress read before them: only then one
// lookup for the instances that could be affected.
export async function instancesAsRead(db: Db, stop: StopBacklogRow | undefined, rows: StackInstance[]): Promise<StackInstance[]> {
  if (!stop) return rows;
  // An unstarted target's instance is OUTDATED since its accept; one with the reason already
  // reads the same either way. The lookup scans the unwritten results, so only the others go.
  const candidates = rows.filter((i) => i.status === 'OUTDATED' && i.status_reason !== STOP_REASON);
  const cancelled = await stopBacklog.cancelledAmong(db, stop, STOP_REASON, candidates.map((i) => ({ accountId: i.account_id, regionId: i.region_id })));
  if (!cancelled.length) return rows;
  const stopped = new Set(cancelled.map((r) => targetId(r.account_id, r.region_id)));
  return rows.map((i) => (stopped.has(targetId(i.account_id, i.region_id)) ? { ...i, status: 'OUTDATED', status_reason: STOP_REASON } : i));
}
