// CreateStackInstances, UpdateStackInstances, DeleteStackInstances, GetStackInstance,
// ListStackInstances (ros-api.md §5.6–5.10; semantics.md §4, §9.1, §9.2, §9.4, §10).
import { rosTime } from '../engine/clock.ts';
import { assertGroupIdle, inRolloutOrder } from '../engine/accept.ts';
import { instancesAsRead, stopInProgress } from '../engine/stop-view.ts';
import { DEFAULT_TIMEOUT_MINUTES, type OperationAction, type OperationPreferences, type Parameter } from '../engine/types.ts';
import { ApiError, invalidParameter } from '../protocol/errors.ts';
import type { Db } from '../store/db.ts';
import type { StackGroup, StackGroupHeader } from '../store/repos/stack-groups.ts';
import { outdatedInstance, stackInstances, targetId, type StackInstance, type Target } from '../store/repos/stack-instances.ts';
import { templateParameterNames } from '../stacks/template/group-template.ts';
import type { OutputItem } from '../stacks/template/index.ts';
import { stacks } from '../store/repos/stacks.ts';
import { checkRegion, idempotent, paging, requireGroup, requireGroupHeader } from './common.ts';
import type { Params } from './action-params.ts';
import { resolveTargets, type TargetParams } from './targets.ts';
import { stackGroups } from '../store/repos/stack-groups.ts';
import type { ActionTable, RequestContext } from './types.ts';

function instanceView(g: StackGroupHeader, i: StackInstance): Record<string, unknown> {
  return {
    StackGroupId: g.id,
    StackGroupName: g.name,
    AccountId: i.account_id,
    RegionId: i.region_id,
    Status: i.status,
    // StatusReason accompanies a status that is not CURRENT (ros-api.md §5.9).
    StatusReason: i.status !== 'CURRENT' ? (i.status_reason ?? undefined) : undefined,
    // Whenever a stack exists, not only when CURRENT (semantics.md §14.5).
    StackId: i.stack_id ?? undefined,
    ...(g.permission_model === 'SERVICE_MANAGED' ? { RdFolderId: i.rd_folder_id ?? undefined } : {}),
    ...(i.drift_status ? { StackDriftStatus: i.drift_status, DriftDetectionTime: i.drift_time ?? undefined } : {}),
  };
}

function checkOverrides(group: StackGroup, overrides: Parameter[] | undefined): void {
  // Without overrides there is nothing to check: a large template is not parsed for nothing.
  if (!overrides?.length) return;
  const known = templateParameterNames(group.template_body);
  for (const o of overrides) if (!known.has(o.ParameterKey)) throw new ApiError('UnknownUserParameter', { name: o.ParameterKey });
}

// What the three instance operations take.
interface InstanceOperationParams extends TargetParams {
  RegionId: string;
  StackGroupName: string;
  ClientToken?: string;
  OperationPreferences?: OperationPreferences;
  OperationDescription?: string;
  DisableRollback?: boolean;
  TimeoutInMinutes?: number;
}

interface InstanceOperationSpec {
  action: OperationAction;
  prepare(tx: Db, group: StackGroup, targets: Target[], now: string, regionOrder: string[]): Promise<Target[]>;
  retainStacks?: boolean;
}

// The common path of the three instance operations: validate, claim the group, let the action
// set its instances up, accept the operation, then hand it to the engine once committed.
async function instanceOperation(ctx: RequestContext, p: InstanceOperationParams, spec: InstanceOperationSpec) {
  const regionId = p.RegionId;
  checkRegion('RegionId', regionId);
  return idempotent(ctx, p, async (tx) => {
    const group = await requireGroup(tx, ctx, regionId, p.StackGroupName);
    const requested = await resolveTargets(tx, ctx, group, p);
    await assertGroupIdle(tx, group);
    const now = rosTime(ctx.services.clock.now());
    const targets = await spec.prepare(tx, group, requested.targets, now, requested.regionOrder);
    const operationId = await ctx.services.engine.submit(tx, {
      group,
      action: spec.action,
      regionOrder: requested.regionOrder,
      targets,
      preferences: p.OperationPreferences ?? {},
      description: p.OperationDescription ?? null,
      retainStacks: spec.retainStacks ?? null,
      deploymentTargets: requested.deploymentTargets,
      runSpec: {
        templateBody: group.template_body,
        parameters: group.parameters,
        disableRollback: p.DisableRollback ?? false,
        timeoutInMinutes: p.TimeoutInMinutes ?? DEFAULT_TIMEOUT_MINUTES,
      },
      now,
    });
    return { OperationId: operationId };
  });
}

const IGNORE_EXISTING = 'IgnoreExisting';

function deploymentOptions(group: StackGroup, p: { DeploymentOptions?: string[] }): string[] {
  const options = p.DeploymentOptions ?? [];
  if (options.length && group.permission_model !== 'SERVICE_MANAGED') throw invalidParameter('DeploymentOptions', 'it applies to SERVICE_MANAGED stack groups only');
  for (const o of options) if (o !== IGNORE_EXISTING) throw invalidParameter('DeploymentOptions', `${o} is not a deployment option (${IGNORE_EXISTING} is)`);
  return options;
}

async function createStackInstances(ctx: RequestContext, p: Params<'CreateStackInstances'>) {
  const overrides = p.ParameterOverrides ?? [];
  return instanceOperation(ctx, p, {
    action: 'CREATE',
    async prepare(tx, group, requested, now, regionOrder) {
      checkOverrides(group, overrides);
      // IgnoreExisting skips targets that already have an instance (semantics.md §9.1).
      const ignoreExisting = deploymentOptions(group, p).includes(IGNORE_EXISTING);
      // Instances exist from the moment the operation is accepted. A refused call rolls back the
      // instances it inserted before it found the problem.
      const created = await stackInstances.insertManyIfAbsent(
        tx,
        inRolloutOrder(requested, (t) => t.regionId, regionOrder, p.OperationPreferences ?? {}).map((t) => outdatedInstance(group.id, t, overrides)),
      );
      const targets: Target[] = [];
      for (const t of requested) {
        if (created.delete(targetId(t.accountId, t.regionId))) targets.push(t);
        else if (!ignoreExisting) throw new ApiError('StackInstanceExists', { instance: `${t.accountId}/${t.regionId}` });
      }
      const limit = ctx.services.config.limits.stackInstancesPerGroup;
      if ((await stackInstances.count(tx, group.id)) > limit) {
        throw new ApiError('RequestLimitExceeded', { reason: `a stack group can have at most ${limit} stack instances` });
      }
      const folders = p.DeploymentTargets?.RdFolderIds ?? [];
      if (folders.some((f) => !group.rd_folder_ids.includes(f))) {
        await stackGroups.update(tx, { ...group, rd_folder_ids: [...new Set([...group.rd_folder_ids, ...folders])], update_time: now });
      }
      return targets;
    },
  });
}

async function updateStackInstances(ctx: RequestContext, p: Params<'UpdateStackInstances'>) {
  const overrides = p.ParameterOverrides;
  return instanceOperation(ctx, p, {
    action: 'UPDATE',
    async prepare(tx, group, targets) {
      checkOverrides(group, overrides);
      const instances = await Promise.all(targets.map((t) => stackInstances.get(tx, group.id, t)));
      if (instances.some((i) => !i)) throw new ApiError('StackInstanceNotFound');
      // INOPERABLE instances are left out of updates (semantics.md I12).
      const live = targets.filter((_t, n) => instances[n]!.status !== 'INOPERABLE');
      for (const t of live) {
        // Given overrides replace the instance's set; absent, they stay (semantics.md §10).
        if (overrides) await stackInstances.setOverrides(tx, group.id, t, overrides);
        await stackInstances.setStatus(tx, group.id, t, 'OUTDATED', null);
      }
      return live;
    },
  });
}

async function deleteStackInstances(ctx: RequestContext, p: Params<'DeleteStackInstances'>) {
  return instanceOperation(ctx, p, {
    action: 'DELETE',
    retainStacks: p.RetainStacks,
    async prepare(tx, group, targets) {
      // Targets without an instance are skipped (semantics.md §9.4).
      const existing = await Promise.all(targets.map((t) => stackInstances.get(tx, group.id, t)));
      return targets.filter((_t, n) => existing[n]);
    },
  });
}

// The outputs of the instance's stack, as GetStack answers them (none without a stack).
async function stackOutputs(db: Db, stackId: string | null): Promise<OutputItem[]> {
  const stack = stackId ? await stacks.get(db, stackId) : undefined;
  return stack && stack.status !== 'DELETE_COMPLETE' ? stack.outputs : [];
}

async function getStackInstance(ctx: RequestContext, p: Params<'GetStackInstance'>) {
  const regionId = p.RegionId;
  checkRegion('RegionId', regionId);
  const { db } = ctx.services;
  const group = await requireGroupHeader(db, ctx, regionId, p.StackGroupName);
  const stop = await stopInProgress(db, group.id);
  const stored = await stackInstances.get(db, group.id, {
    accountId: p.StackInstanceAccountId,
    regionId: p.StackInstanceRegionId,
  });
  if (!stored) throw new ApiError('StackInstanceNotFound');
  const [instance] = await instancesAsRead(db, stop, [stored]);
  return {
    StackInstance: {
      ...instanceView(group, instance),
      ParameterOverrides: instance.parameter_overrides,
      ...(p.OutputOption === 'Enabled' ? { Outputs: await stackOutputs(db, instance.stack_id) } : {}),
    },
  };
}

async function listStackInstances(ctx: RequestContext, p: Params<'ListStackInstances'>) {
  const regionId = p.RegionId;
  checkRegion('RegionId', regionId);
  const { db } = ctx.services;
  const group = await requireGroupHeader(db, ctx, regionId, p.StackGroupName);
  const page = paging(p);
  const filter = {
    ...(p.StackInstanceAccountId !== undefined ? { accountId: p.StackInstanceAccountId } : {}),
    ...(p.StackInstanceRegionId !== undefined ? { regionId: p.StackInstanceRegionId } : {}),
  };
  const stop = await stopInProgress(db, group.id);
  const { rows, total } = await stackInstances.page(db, group.id, filter, page.limit, page.offset);
  return { StackInstances: (await instancesAsRead(db, stop, rows)).map((i) => instanceView(group, i)), TotalCount: total, PageNumber: page.PageNumber, PageSize: page.PageSize };
}

export const stackInstanceActions: ActionTable = {
  CreateStackInstances: { handle: createStackInstances },
  UpdateStackInstances: { handle: updateStackInstances },
  DeleteStackInstances: { handle: deleteStackInstances },
  GetStackInstance: { handle: getStackInstance },
  ListStackInstances: { handle: listStackInstances },
};
