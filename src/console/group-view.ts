// What the group page shows: the group, its instances and its newest operations, each instance
// with the outcome of the latest operation that ran on it. ROS leaves an instance OUTDATED
// whether its stack failed to deploy, its target was cancelled, or it simply was not deployed
// yet; only the operation results say which, so a failure can be told apart from the rest.
import type { Caller, ParamValue } from './call.ts';

// The newest operations of a group; older ones stay reachable through the API.
export const OPERATIONS_PER_GROUP = 50;

// Drift detection reads stacks without changing an instance, so its results say nothing about
// the instance's state.
const DEPLOYING_ACTIONS = new Set(['CREATE', 'UPDATE', 'DELETE']);

interface OperationSummary {
  OperationId: string;
  Action: string;
  Status: string;
}

interface ResultRow {
  AccountId: string;
  RegionId: string;
  Status: string;
}

interface InstanceRow {
  AccountId: string;
  RegionId: string;
}

export interface LastResult {
  OperationId: string;
  Action: string;
  Status: string;
}

export async function loadGroup(caller: Caller, accountId: string, params: Record<string, ParamValue | undefined>) {
  const group = (await caller.call('GetStackGroup', accountId, params)).StackGroup;
  const instances = await caller.all<InstanceRow & Record<string, unknown>>('ListStackInstances', accountId, params, 'StackInstances');
  const ops = await caller.call('ListStackGroupOperations', accountId, { ...params, PageSize: OPERATIONS_PER_GROUP });
  const operations = (ops.StackGroupOperations as OperationSummary[] | undefined) ?? [];

  // Newest first: the first operation that holds a target is the latest one that ran on it.
  const last = new Map<string, LastResult>();
  const key = (r: InstanceRow) => `${r.AccountId}/${r.RegionId}`;
  const wanted = new Set(instances.map(key));
  for (const op of operations) {
    if (last.size >= wanted.size) break;
    if (!DEPLOYING_ACTIONS.has(op.Action)) continue;
    const rows = await caller.all<ResultRow>('ListStackGroupOperationResults', accountId, { RegionId: params.RegionId, OperationId: op.OperationId }, 'StackGroupOperationResults');
    for (const r of rows) {
      const k = key(r);
      if (wanted.has(k) && !last.has(k)) last.set(k, { OperationId: op.OperationId, Action: op.Action, Status: r.Status });
    }
  }
  return {
    group,
    instances: instances.map((i) => ({ ...i, LastResult: last.get(key(i)) })),
    operations,
    operationCount: ops.TotalCount,
  };
}
