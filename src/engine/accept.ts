// Accepting an operation: the operation row and one PENDING result per target are written in
// the caller's transaction, so the operation exists exactly when the request succeeds.
import { randomUUID } from 'node:crypto';
import { ApiError } from '../protocol/errors.ts';
import type { Db } from '../store/db.ts';
import { operations, results } from '../store/repos/operations.ts';
import type { StackGroup } from '../store/repos/stack-groups.ts';
import type { Target } from '../store/repos/stack-instances.ts';
import { settleGroup } from './stop-backlog.ts';
import type { OperationAction, OperationPreferences, RunSpec } from './types.ts';

export interface OperationRequest {
  group: StackGroup;
  action: OperationAction;
  regionOrder: string[];
  targets: Target[];
  // QUEUED only for auto-deployment arriving while the group is busy (semantics.md O2).
  status?: 'RUNNING' | 'QUEUED';
  deploymentTargets?: { RdFolderIds?: string[]; AccountIds?: string[] };
  preferences: OperationPreferences;
  description: string | null;
  retainStacks: boolean | null;
  runSpec: RunSpec;
  now: string;
}

// One operation at a time per group (semantics.md §5); QUEUED and STOPPING count as busy. An
// idle group's last stop is written down here, before the caller writes its instances.
export async function assertGroupIdle(db: Db, group: StackGroup): Promise<void> {
  if (await operations.activeForGroup(db, group.id)) throw new ApiError('StackGroupOperationInProgress', { name: group.name });
  await settleGroup(db, group.id);
}

export async function acceptOperation(db: Db, req: OperationRequest): Promise<string> {
  // Auto-deployment accepts without assertGroupIdle (it queues instead).
  await settleGroup(db, req.group.id);
  const id = randomUUID();
  await operations.insert(db, {
    id,
    group_id: req.group.id,
    action: req.action,
    status: req.status ?? 'RUNNING',
    description: req.description,
    preferences: req.preferences,
    region_order: req.regionOrder,
    retain_stacks: req.retainStacks,
    deployment_targets: req.deploymentTargets ? JSON.stringify(req.deploymentTargets) : null,
    administration_role_name: req.group.administration_role_name,
    execution_role_name: req.group.execution_role_name,
    run_spec: req.runSpec,
    create_time: req.now,
    end_time: null,
  });
  // Results are numbered region by region in execution order, accounts in request order.
  const ordered = req.regionOrder.flatMap((regionId) => req.targets.filter((t) => t.regionId === regionId));
  const rows = ordered.map((t, seq) => ({ seq, account_id: t.accountId, region_id: t.regionId, status: 'PENDING' as const, status_reason: null, rd_folder_id: t.rdFolderId ?? null }));
  await results.insertAll(db, id, inRolloutOrder(rows, (r) => r.region_id, req.regionOrder, req.preferences));
  return id;
}

// A target's rows (its instance, its result) are stored in the order the rollout reaches them,
// so that one engine turn's updates land on a few adjacent pages instead of one page per region:
// SEQUENTIAL runs region after region, PARALLEL the n-th target of every region together (a
// PARALLEL 10,000-target turn wrote ~21 pages of instances and ~16 of results, region by region;
// bench/README.md, round nine). Only the physical order changes: every read orders by a key.
// Within a region, the given order is kept; regions missing from `regionOrder` come last.
export function inRolloutOrder<T>(items: readonly T[], regionOf: (item: T) => string, regionOrder: readonly string[], preferences: OperationPreferences): T[] {
  const byRegion = new Map<string, T[]>(regionOrder.map((r) => [r, []]));
  for (const item of items) {
    const region = regionOf(item);
    const list = byRegion.get(region);
    if (list) list.push(item);
    else byRegion.set(region, [item]);
  }
  const lists = [...byRegion.values()];
  if (preferences.RegionConcurrencyType !== 'PARALLEL') return lists.flat();
  const out: T[] = [];
  const longest = Math.max(0, ...lists.map((l) => l.length));
  for (let n = 0; n < longest; n++) for (const list of lists) if (n < list.length) out.push(list[n]);
  return out;
}
