// What a stack action does to each resource, grouped in phases: the resources of a phase do not
// depend on each other and run in parallel; a phase starts when the one before has finished.
import type { StackResource } from '../../store/repos/stack-resources.ts';
import { topologicalLevels, type Graph } from '../template/graph.ts';
import type { DeployPlan, FaultInjection } from '../template/index.ts';

export type ResourceOp = 'CREATE' | 'UPDATE' | 'DELETE';

export interface WorkItem {
  op: ResourceOp;
  logicalId: string;
  type: string;
  dependsOn: string[];
  deletionPolicy: 'Delete' | 'Retain';
  fault: FaultInjection;
}

export type Phase = WorkItem[];

// A resource exists in the cloud once it has a physical id; a failed create or a resource that
// never started (INIT_COMPLETE) has none.
export const isLive = (r: StackResource): boolean => r.physical_resource_id !== null;

function planned(op: ResourceOp, plan: DeployPlan, logicalId: string): WorkItem {
  const r = plan.resources[logicalId]!;
  return { op, logicalId, type: r.type, dependsOn: r.dependsOn, deletionPolicy: r.deletionPolicy, fault: r.fault };
}

export function createPhases(plan: DeployPlan): Phase[] {
  return plan.levels.map((level) => level.map((id) => planned('CREATE', plan, id)));
}

// Dependents go first: the reverse of the order in which the resources were created.
export function deletePhases(resources: readonly StackResource[]): Phase[] {
  const live = resources.filter(isLive);
  const byId = new Map(live.map((r) => [r.logical_resource_id, r]));
  const graph: Graph = new Map(live.map((r) => [r.logical_resource_id, new Set(r.depends_on)]));
  return topologicalLevels(graph)
    .reverse()
    .map((level) =>
      level.map((id): WorkItem => {
        const r = byId.get(id)!;
        return { op: 'DELETE', logicalId: id, type: r.resource_type, dependsOn: r.depends_on, deletionPolicy: r.deletion_policy, fault: {} };
      }),
    );
}

// An update creates what the stack lacks (including resources whose create failed before),
// updates what changed (`modified`, from the template diff; every resource when the previous
// template cannot be read) or failed to update before, then deletes what the new template no
// longer has. Unchanged resources are left alone.
export function updatePhases(plan: DeployPlan, modified: ReadonlySet<string> | undefined, existing: readonly StackResource[]): Phase[] {
  const live = new Map(existing.filter(isLive).map((r) => [r.logical_resource_id, r]));
  const deploy = plan.levels
    .map((level) =>
      level.flatMap((id): WorkItem[] => {
        const current = live.get(id);
        if (!current) return [planned('CREATE', plan, id)];
        const changed = !modified || modified.has(id) || current.status === 'UPDATE_FAILED' || current.resource_type !== plan.resources[id]!.type;
        return changed ? [planned('UPDATE', plan, id)] : [];
      }),
    )
    .filter((phase) => phase.length > 0);
  const removed = [...live.values()].filter((r) => !Object.hasOwn(plan.resources, r.logical_resource_id));
  return [...deploy, ...deletePhases(removed)];
}
