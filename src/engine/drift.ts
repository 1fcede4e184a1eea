// Drift detection of a stack group (semantics.md §12): each instance's stack is DRIFTED when any
// of its resources was changed outside ROS (through the control plane), IN_SYNC otherwise; an
// instance without a stack cannot be checked and fails. Stacks and instance statuses are not
// changed; the findings land on the instance, the stack, the result (written by the runner with
// the result's status) and, when the operation succeeds, the group.
import type { Db } from '../store/db.ts';
import { driftRows } from '../store/repos/drift.ts';
import type { Operation } from '../store/repos/operations.ts';
import { stackInstances, type TargetKey } from '../store/repos/stack-instances.ts';
import type { Outcome } from '../stacks/run/stack-run.ts';
import type { TargetContext } from './target-context.ts';
import type { ResultStatus } from './types.ts';
import { stacks } from '../store/repos/stacks.ts';
import { checkResources } from '../stacks/drift/stack-drift.ts';
import { resultStatusAsRead } from './stop-view.ts';

export async function detectDrift(db: Db, op: Operation, target: TargetKey): Promise<Outcome> {
  const instance = await stackInstances.get(db, op.group_id, target);
  if (!instance?.stack_id) return { ok: false, reason: 'The stack instance has no stack to check for drift' };
  return { ok: true, drift: (await driftRows.driftedResources(db, instance.stack_id)) > 0 ? 'DRIFTED' : 'IN_SYNC' };
}

export async function applyDrift(ctx: TargetContext, outcome: Outcome): Promise<void> {
  if (!outcome.ok || !outcome.drift) return;
  await stackInstances.setDrift(ctx.db, ctx.op.group_id, ctx.target, outcome.drift, ctx.now);
  await driftRows.setStackOf(ctx.db, ctx.op.group_id, ctx.target, outcome.drift, ctx.now);
  // Each resource's finding too, which ListStackResources and ListStackResourceDrifts show.
  const stackId = (await stackInstances.get(ctx.db, ctx.op.group_id, ctx.target))?.stack_id;
  const stack = stackId ? await stacks.get(ctx.db, stackId) : undefined;
  if (stack) await checkResources(ctx.db, ctx.templates, stack, ctx.now);
}

// A detection is never QUEUED: only auto-deployment queues operations (accept.ts).
const DETECTION_STATUS: Record<string, string> = { RUNNING: 'IN_PROGRESS', STOPPING: 'IN_PROGRESS', FAILED: 'FAILED', STOPPED: 'STOPPED' };

// StackGroupDriftDetectionDetail, derived from the operation's results.
export async function driftDetail(db: Db, op: Pick<Operation, 'id' | 'status' | 'end_time' | 'create_time'>): Promise<Record<string, unknown>> {
  const counts = { total: 0, drifted: 0, inSync: 0, inProgress: 0, failed: 0, cancelled: 0 };
  for (const row of await driftRows.resultCounts(db, op.id)) {
    const status = resultStatusAsRead(op.status, row.status as ResultStatus);
    counts.total += row.n;
    if (status === 'SUCCEEDED') counts[row.drift_status === 'DRIFTED' ? 'drifted' : 'inSync'] += row.n;
    else if (status === 'FAILED') counts.failed += row.n;
    else if (status === 'CANCELLED') counts.cancelled += row.n;
    else counts.inProgress += row.n;
  }
  const status = DETECTION_STATUS[op.status] ?? (counts.failed ? 'PARTIAL_SUCCESS' : 'COMPLETED');
  return {
    DriftDetectionStatus: status,
    StackGroupDriftStatus: counts.drifted ? 'DRIFTED' : counts.inSync ? 'IN_SYNC' : 'NOT_CHECKED',
    DriftDetectionTime: op.end_time ?? op.create_time,
    TotalStackInstancesCount: counts.total,
    DriftedStackInstancesCount: counts.drifted,
    InSyncStackInstancesCount: counts.inSync,
    InProgressStackInstancesCount: counts.inProgress,
    FailedStackInstancesCount: counts.failed,
    CancelledStackInstancesCount: counts.cancelled,
  };
}

// GetStackGroup shows the last successful detection only, never one in progress.
export async function recordGroupDrift(db: Db, op: Operation): Promise<void> {
  if (op.action !== 'DETECT_DRIFT' || op.status !== 'SUCCEEDED') return;
  await driftRows.setGroupDetail(db, op.group_id, JSON.stringify(await driftDetail(db, op)));
}
