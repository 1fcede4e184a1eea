// CreateChangeSet, GetChangeSet, ListChangeSets, ExecuteChangeSet, DeleteChangeSet (issue 12).
// CreateChangeSet answers with the change set CREATE_PENDING and the engine computes it
// (src/engine/change-set-creation.ts; the stack is left as it is; a CREATE change set makes its
// stack, REVIEW_IN_PROGRESS, at once); ExecuteChangeSet starts its create or update as the
// stack's operation, through the same path as CreateStack / UpdateStack, and the end of that
// operation settles its ExecutionStatus (src/engine/stack-operations.ts).
import { randomUUID } from 'node:crypto';
import { rosTime } from '../engine/clock.ts';
import { DEFAULT_TIMEOUT_MINUTES, type Parameter } from '../engine/types.ts';
import { ApiError } from '../protocol/errors.ts';
import { changeSets, type ChangeSetRow } from '../store/repos/change-sets.ts';
import { standaloneStacks } from '../store/repos/stacks-standalone.ts';
import type { PendingOperation } from '../store/repos/stacks.ts';
import { withFetchedPolicies } from '../stacks/standalone/policy-source.ts';
import { timeOrderedId } from '../store/time-ordered-id.ts';
import { startedReason } from '../stacks/run/deployment.ts';
import { checkPolicy } from '../stacks/standalone/stack-policy.ts';
import { resolveTemplateSource, type TemplateSource } from '../stacks/sources/template-source.ts';
import { atMostOne, checkRegion, exactlyOne, idempotent, paging } from './common.ts';
import type { Params } from './action-params.ts';
import { requireStack } from './stacks.ts';
import { assertChangeable, updateParameters } from './stacks/lifecycle.ts';
import type { ActionTable, RequestContext } from './types.ts';

const TEMPLATE_SOURCES = ['TemplateBody', 'TemplateURL', 'TemplateId'] as const;

function regionOf(p: { RegionId: string }): string {
  const regionId = p.RegionId;
  checkRegion('RegionId', regionId);
  return regionId;
}

// Also GetTemplate / GetTemplateSummary with ChangeSetId.
export async function requireChangeSet(ctx: RequestContext, regionId: string, id: string): Promise<ChangeSetRow> {
  const changeSet = await changeSets.get(ctx.services.db, ctx.accountId, regionId, id);
  if (!changeSet) throw new ApiError('ChangeSetNotFound', { ID: id });
  return changeSet;
}

async function createChangeSet(ctx: RequestContext, p: Params<'CreateChangeSet'>) {
  const regionId = regionOf(p);
  const type = p.ChangeSetType ?? 'UPDATE';
  // CREATE names the stack it makes; UPDATE names the stack it changes.
  const stackRef = type === 'CREATE' ? p.StackName : p.StackId;
  if (type === 'CREATE') {
    if (stackRef === undefined) throw new ApiError('InvalidParameter', { name: 'StackName', reason: 'it is required when ChangeSetType is CREATE' });
    exactlyOne(p, TEMPLATE_SOURCES);
  } else {
    if (stackRef === undefined) throw new ApiError('InvalidParameter', { name: 'StackId', reason: 'it is required when ChangeSetType is UPDATE' });
    atMostOne(p, TEMPLATE_SOURCES);
  }
  atMostOne(p, ['StackPolicyBody', 'StackPolicyURL']);
  atMostOne(p, ['StackPolicyDuringUpdateBody', 'StackPolicyDuringUpdateURL']);
  const policies = await withFetchedPolicies(p);
  for (const name of ['StackPolicyBody', 'StackPolicyDuringUpdateBody'] as const) {
    const policy = policies[name];
    if (policy !== undefined) checkPolicy(policy, name);
  }
  const { db, clock } = ctx.services;
  const source = await resolveTemplateSource(db, ctx.accountId, p);
  const name = p.ChangeSetName;
  const time = rosTime(clock.now());
  const body = await idempotent(ctx, p, async (tx) => {
    const id = timeOrderedId();
    let stack: { id: string; name: string; region_id: string; account_id: string };
    let templateBody: string;
    let parameters: Parameter[];
    let disableRollback: boolean;
    let timeoutInMinutes: number;
    if (type === 'CREATE') {
      const stackName = stackRef;
      if (await standaloneStacks.nameTaken(tx, ctx.accountId, regionId, stackName)) throw new ApiError('StackExists', { name: stackName });
      stack = { id: timeOrderedId(), name: stackName, region_id: regionId, account_id: ctx.accountId };
      templateBody = source!.body;
      parameters = p.Parameters ?? [];
      disableRollback = p.DisableRollback ?? false;
      timeoutInMinutes = p.TimeoutInMinutes ?? DEFAULT_TIMEOUT_MINUTES;
    } else {
      const existing = await requireStack(tx, ctx, regionId, stackRef);
      await assertChangeable(tx, existing, 'CreateChangeSet');
      stack = existing;
      templateBody = source?.body ?? existing.template_body;
      parameters = updateParameters(p, existing, templateBody);
      disableRollback = p.DisableRollback ?? existing.disable_rollback;
      timeoutInMinutes = p.TimeoutInMinutes ?? existing.timeout_in_minutes;
    }
    if (await changeSets.nameTaken(tx, stack.id, name)) throw new ApiError('ChangeSetExists', { name, stack: stack.name });
    if (type === 'CREATE') {
      await standaloneStacks.insert(tx, {
        id: stack.id,
        accountId: ctx.accountId,
        regionId,
        name: stack.name,
        templateBody,
        parameters,
        disableRollback,
        timeoutInMinutes,
        deletionProtection: 'Disabled',
        stackPolicy: policies.StackPolicyBody ?? null,
        notificationUrls: p.NotificationURLs ?? [],
        ramRoleName: p.RamRoleName ?? null,
        resourceGroupId: p.ResourceGroupId ?? null,
        parentStackId: null,
        pending: null,
        reason: 'Stack created by change set',
        time,
      });
    }
    await changeSets.insert(tx, {
      id,
      accountId: ctx.accountId,
      regionId,
      stackId: stack.id,
      stackName: stack.name,
      name,
      type,
      description: p.Description ?? null,
      // Computed in the background (engine/change-set-creation.ts).
      status: 'CREATE_PENDING',
      statusReason: null,
      executionStatus: 'UNAVAILABLE',
      templateBody,
      parameters,
      shownParameters: parameters,
      disableRollback,
      timeoutInMinutes,
      changes: [],
      // A CREATE change set gave its policy to the stack it made.
      stackPolicy: type === 'UPDATE' ? (policies.StackPolicyBody ?? null) : null,
      policyDuringUpdate: policies.StackPolicyDuringUpdateBody ?? null,
      time,
    });
    return { ChangeSetId: id, StackId: stack.id };
  });
  ctx.services.engine.stacks.changeSets.start(body.ChangeSetId as string);
  return body;
}

function summary(c: ChangeSetRow) {
  return {
    ChangeSetId: c.id,
    ChangeSetName: c.name,
    ChangeSetType: c.type,
    CreateTime: c.create_time,
    Description: c.description ?? undefined,
    ExecutionStatus: c.execution_status,
    RegionId: c.region_id,
    StackId: c.stack_id,
    StackName: c.stack_name,
    Status: c.status,
    StatusReason: c.status_reason ?? undefined,
  };
}

async function getChangeSet(ctx: RequestContext, p: Params<'GetChangeSet'>) {
  const c = await requireChangeSet(ctx, regionOf(p), p.ChangeSetId);
  return {
    ...summary(c),
    Changes: JSON.parse(c.changes) as unknown[],
    Parameters: JSON.parse(c.shown_parameters) as Parameter[],
    DisableRollback: c.disable_rollback === 1,
    TimeoutInMinutes: c.timeout_in_minutes,
    ...(p.ShowTemplate === true ? { TemplateBody: c.template_body } : {}),
  };
}

async function listChangeSets(ctx: RequestContext, p: Params<'ListChangeSets'>) {
  const regionId = regionOf(p);
  const stack = await requireStack(ctx.services.db, ctx, regionId, p.StackId);
  const page = paging(p);
  const { rows, total } = await changeSets.list(
    ctx.services.db,
    {
      accountId: ctx.accountId,
      regionId,
      stackId: stack.id,
      ...(p.ChangeSetId !== undefined ? { changeSetId: p.ChangeSetId } : {}),
      ...(p.ChangeSetName !== undefined ? { names: p.ChangeSetName } : {}),
      ...(p.Status !== undefined ? { statuses: p.Status } : {}),
      ...(p.ExecutionStatus !== undefined ? { executionStatuses: p.ExecutionStatus } : {}),
    },
    page.limit,
    page.offset,
  );
  return { ChangeSets: rows.map(summary), PageNumber: page.PageNumber, PageSize: page.PageSize, TotalCount: total };
}

async function executeChangeSet(ctx: RequestContext, p: Params<'ExecuteChangeSet'>) {
  const regionId = regionOf(p);
  const { clock, engine } = ctx.services;
  const body = await idempotent(ctx, p, async (tx) => {
    const c = await changeSets.get(tx, ctx.accountId, regionId, p.ChangeSetId);
    if (!c) throw new ApiError('ChangeSetNotFound', { ID: p.ChangeSetId });
    if (c.execution_status !== 'AVAILABLE') throw new ApiError('InvalidChangeSetStatus', { ID: c.id, action: 'executed', status: c.execution_status });
    const stack = await requireStack(tx, ctx, regionId, c.stack_id);
    // A CREATE change set creates the stack it made, which waits in REVIEW_IN_PROGRESS.
    if (c.type === 'CREATE') {
      if (stack.status !== 'REVIEW_IN_PROGRESS' || stack.pending) {
        throw new ApiError('InvalidStackStatus', { reason: `the stack status is ${stack.status}, not REVIEW_IN_PROGRESS` });
      }
    } else {
      await assertChangeable(tx, stack, 'ExecuteChangeSet');
    }
    const pending: PendingOperation = {
      id: randomUUID(),
      kind: c.type === 'CREATE' ? 'CREATE' : 'UPDATE',
      templateBody: c.template_body,
      parameters: JSON.parse(c.parameters) as Parameter[],
      disableRollback: c.disable_rollback === 1,
      timeoutInMinutes: c.timeout_in_minutes,
      ...(c.policy_during_update !== null ? { policyDuringUpdate: c.policy_during_update } : {}),
    };
    // A new stack policy applies from this update on, as with UpdateStack.
    if (c.stack_policy !== null) await standaloneStacks.setPolicy(tx, stack.id, c.stack_policy);
    await standaloneStacks.begin(tx, stack.id, `${pending.kind}_IN_PROGRESS`, startedReason(pending.kind as 'CREATE' | 'UPDATE'), pending, rosTime(clock.now()));
    await changeSets.execute(tx, c.id, stack.id, pending.id);
    return { StackId: stack.id };
  });
  engine.stacks.start(body.StackId as string);
  return {};
}

async function deleteChangeSet(ctx: RequestContext, p: Params<'DeleteChangeSet'>) {
  const regionId = regionOf(p);
  await ctx.services.db.transaction(async (tx) => {
    const c = await changeSets.get(tx, ctx.accountId, regionId, p.ChangeSetId);
    if (!c) throw new ApiError('ChangeSetNotFound', { ID: p.ChangeSetId });
    if (c.execution_status === 'EXECUTE_IN_PROGRESS') throw new ApiError('InvalidChangeSetStatus', { ID: c.id, action: 'deleted', status: c.execution_status });
    await changeSets.delete(tx, c.id);
  });
  return {};
}

export const changeSetActions: ActionTable = {
  CreateChangeSet: { handle: createChangeSet },
  GetChangeSet: { handle: getChangeSet },
  ListChangeSets: { handle: listChangeSets },
  ExecuteChangeSet: { handle: executeChangeSet },
  DeleteChangeSet: { handle: deleteChangeSet },
};
