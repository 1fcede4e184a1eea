// What the operation page shows, built from GetStackGroupOperation and
// ListStackGroupOperationResults only. Windows and tolerances are derived with the engine's own
// planRegion from the preferences the API echoes, so the console's numbers cannot drift from
// the scheduler's.
import { planRegion } from '../engine/plan.ts';
import type { OperationPreferences, ResultStatus } from '../engine/types.ts';
import type { Caller } from './call.ts';

export interface OperationKey {
  accountId: string;
  regionId: string;
  operationId: string;
}

export interface TargetView {
  accountId: string;
  regionId: string;
  status: ResultStatus;
  reason?: string;
}

export interface RegionProgress {
  regionId: string;
  total: number;
  window: number;
  tolerance: number;
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  // Failures the region may still take before it fails; 0 once exceeded.
  toleranceLeft: number;
  state: 'waiting' | 'running' | 'finished' | 'cancelled' | 'tolerance exceeded';
}

export interface OperationSnapshot {
  operation: Record<string, unknown> & { OperationId: string; Status: string; CreateTime: string };
  regions: RegionProgress[];
  targets: TargetView[];
}

interface ResultRow {
  AccountId: string;
  RegionId: string;
  Status: ResultStatus;
  StatusReason?: string;
}

export const TERMINAL_OPERATION_STATUSES = new Set(['SUCCEEDED', 'FAILED', 'STOPPED']);

function regionProgress(prefs: OperationPreferences, regionId: string, targets: TargetView[]): RegionProgress {
  const mine = targets.filter((t) => t.regionId === regionId);
  const count = (s: ResultStatus) => mine.filter((t) => t.status === s).length;
  const plan = planRegion(prefs, regionId, mine.length);
  const [pending, running, failed] = [count('PENDING'), count('RUNNING'), count('FAILED')];
  const exceeded = failed > plan.tolerance;
  const cancelled = count('CANCELLED');
  const state: RegionProgress['state'] = exceeded
    ? 'tolerance exceeded'
    : running > 0 || (pending > 0 && pending < mine.length)
      ? 'running'
      : pending > 0
        ? 'waiting'
        : cancelled === mine.length && cancelled > 0
          ? 'cancelled'
          : 'finished';
  return {
    regionId,
    total: mine.length,
    window: plan.window,
    tolerance: plan.tolerance,
    pending,
    running,
    succeeded: count('SUCCEEDED'),
    failed,
    cancelled,
    toleranceLeft: Math.max(0, plan.tolerance - failed),
    state,
  };
}

export async function loadOperation(caller: Caller, { accountId, regionId, operationId }: OperationKey): Promise<OperationSnapshot> {
  const params = { RegionId: regionId, OperationId: operationId };
  const body = await caller.call('GetStackGroupOperation', accountId, params);
  const operation = body.StackGroupOperation as OperationSnapshot['operation'];
  const rows = await caller.all<ResultRow>('ListStackGroupOperationResults', accountId, params, 'StackGroupOperationResults');
  const targets: TargetView[] = rows.map((r) => ({
    accountId: r.AccountId,
    regionId: r.RegionId,
    status: r.Status,
    ...(r.StatusReason ? { reason: r.StatusReason } : {}),
  }));
  const prefs = (operation.OperationPreferences ?? {}) as OperationPreferences & { RegionIdsOrder?: string[] };
  const order = prefs.RegionIdsOrder ?? [...new Set(targets.map((t) => t.regionId))];
  return { operation, regions: order.map((r) => regionProgress(prefs, r, targets)), targets };
}
