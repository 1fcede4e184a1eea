// CreateStack, UpdateStack, DeleteStack, ContinueCreateStack, CancelUpdateStack,
// CancelStackOperation: each checks synchronously what the cloud refuses at once (template,
// parameters, name, state), then stores the operation on the stack, *_IN_PROGRESS, in the
// request's transaction; the stack-operation engine runs it after the commit.
import { randomUUID } from 'node:crypto';
import { rosTime } from '../../engine/clock.ts';
import { DEFAULT_TIMEOUT_MINUTES, type Parameter, type Tag } from '../../engine/types.ts';
import { ApiError } from '../../protocol/errors.ts';
import type { Db } from '../../store/db.ts';
import { stackGroups } from '../../store/repos/stack-groups.ts';
import { standaloneStacks } from '../../store/repos/stacks-standalone.ts';
import type { PendingOperation, Stack } from '../../store/repos/stacks.ts';
import { timeOrderedId } from '../../store/time-ordered-id.ts';
import { givenValues } from '../../stacks/template/given-parameters.ts';
import { pseudoOf } from '../../stacks/standalone/plan-run.ts';
import { checkPolicy } from '../../stacks/standalone/stack-policy.ts';
import { withFetchedPolicies } from '../../stacks/standalone/policy-source.ts';
import type { TemplateLoader } from '../../stacks/template/template-loader.ts';
import { resolveTemplateSource, type TemplateSource } from '../../stacks/sources/template-source.ts';
import { parseTemplate, planCreate, planCreateSteps, resolveParameters } from '../../stacks/template/index.ts';
import { inSlices } from '../../stacks/run/sliced.ts';
import { startedReason } from '../../stacks/run/deployment.ts';
import { atMostOne, checkRegion, exactlyOne, idempotent } from '../common.ts';
import type { Params } from '../action-params.ts';
import { requireStack } from '../stacks.ts';
import type { ActionTable, RequestContext } from '../types.ts';
import { checkedTags } from '../tag-rules.ts';
import { resourceTags } from '../../store/repos/tags.ts';

const TEMPLATE_SOURCES = ['TemplateBody', 'TemplateURL', 'TemplateId'] as const;
const IN_PROGRESS = /^(.*)_IN_PROGRESS$/;

function regionOf(p: { RegionId: string }): string {
  const regionId = p.RegionId;
  checkRegion('RegionId', regionId);
  return regionId;
}

// The template must load and the values resolve and plan against it, as CreateStack checks
// before it answers.
function checkDeployable(templates: TemplateLoader, body: string, parameters: Parameter[], stack: Pick<Stack, 'id' | 'name' | 'region_id' | 'account_id'>): void {
  const template = templates.cached(body);
  const pseudo = pseudoOf(stack);
  const { values } = resolveParameters(template, givenValues(parameters), pseudo);
  planCreate(template, values, pseudo);
}

// The same, validating and planning in slices that hand the event loop back (a 3,000-resource
// template takes tens of milliseconds, issue 18): outside a transaction.
async function checkDeployableSliced(templates: TemplateLoader, body: string, parameters: Parameter[], stack: Pick<Stack, 'id' | 'name' | 'region_id' | 'account_id'>): Promise<void> {
  const template = await templates.checked(body);
  const pseudo = pseudoOf(stack);
  const { values } = resolveParameters(template, givenValues(parameters), pseudo);
  await inSlices(planCreateSteps(template, values, pseudo));
}

// What the cloud refuses on a stack whatever the action: one operation at a time, and the stacks
// of stack instances change through their groups only.
export async function assertChangeable(db: Db, stack: Stack, action: string): Promise<void> {
  if (stack.group_id) {
    const group = await stackGroups.byIdUnscoped(db, stack.group_id);
    throw new ApiError('StackManagedByStackGroup', { action, group: group?.name ?? stack.group_id });
  }
  // A stack that a CREATE change set made, and nothing has created yet, may be deleted.
  const reviewed = stack.status === 'REVIEW_IN_PROGRESS' && action === 'DeleteStack';
  const busy = reviewed ? null : IN_PROGRESS.exec(stack.status);
  if (busy || stack.pending) throw new ApiError('ActionInProgress', { name: stack.name, action: busy?.[1] ?? stack.pending!.kind });
}

// The stack as the request's transaction sees it.
async function lockedStack(tx: Db, ctx: RequestContext, regionId: string, stackId: string, action: string): Promise<Stack> {
  const stack = await requireStack(tx, ctx, regionId, stackId);
  await assertChangeable(tx, stack, action);
  return stack;
}

const policyOf = (p: { StackPolicyBody?: string }): string | undefined =>
  p.StackPolicyBody === undefined ? undefined : checkPolicy(p.StackPolicyBody, 'StackPolicyBody');

async function createStack(ctx: RequestContext, p: Params<'CreateStack'>) {
  const regionId = regionOf(p);
  exactlyOne(p, TEMPLATE_SOURCES);
  atMostOne(p, ['StackPolicyBody', 'StackPolicyURL']);
  const policies = await withFetchedPolicies(p);
  const { db, clock, engine } = ctx.services;
  const template = (await resolveTemplateSource(db, ctx.accountId, p))!;
  const parameters = p.Parameters ?? [];
  const name = p.StackName;
  const id = timeOrderedId();
  await checkDeployableSliced(ctx.services.templates, template.body, parameters, { id, name, region_id: regionId, account_id: ctx.accountId });
  const stackPolicy = policyOf(policies) ?? null;
  const tags = checkedTags('Tags', p.Tags);
  const body = await idempotent(ctx, p, async (tx) => {
    if (await standaloneStacks.nameTaken(tx, ctx.accountId, regionId, name)) throw new ApiError('StackExists', { name });
    const pending: PendingOperation = {
      id: randomUUID(),
      kind: 'CREATE',
      templateBody: template.body,
      parameters,
      disableRollback: p.DisableRollback ?? false,
      timeoutInMinutes: p.TimeoutInMinutes ?? DEFAULT_TIMEOUT_MINUTES,
    };
    await standaloneStacks.insert(tx, {
      id,
      accountId: ctx.accountId,
      regionId,
      name,
      templateBody: template.body,
      parameters,
      disableRollback: pending.disableRollback,
      timeoutInMinutes: pending.timeoutInMinutes,
      deletionProtection: p.DeletionProtection ?? 'Disabled',
      stackPolicy,
      notificationUrls: p.NotificationURLs ?? [],
      ramRoleName: p.RamRoleName ?? null,
      resourceGroupId: p.ResourceGroupId ?? null,
      parentStackId: null,
      pending,
      reason: startedReason('CREATE'),
      time: rosTime(clock.now()),
    });
    if (tags.length) await resourceTags.set(tx, 'stack', { accountId: ctx.accountId, regionId }, id, tags);
    return { StackId: id };
  });
  engine.stacks.start(body.StackId as string);
  return body;
}

// UsePreviousParameters keeps the stack's values for the parameters the new template still has;
// values given in the call win.
export function updateParameters(p: { Parameters?: Parameter[]; UsePreviousParameters?: boolean }, stack: Stack, templateBody: string): Parameter[] {
  const given = p.Parameters ?? [];
  if (p.UsePreviousParameters !== true) return given;
  const names = new Set(Object.keys(parseTemplate(templateBody).Parameters));
  const merged = new Map(stack.parameters.filter((x) => names.has(x.ParameterKey)).map((x) => [x.ParameterKey, x.ParameterValue]));
  for (const x of given) merged.set(x.ParameterKey, x.ParameterValue);
  return [...merged].map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
}

async function updateStack(ctx: RequestContext, p: Params<'UpdateStack'>) {
  const regionId = regionOf(p);
  atMostOne(p, TEMPLATE_SOURCES);
  atMostOne(p, ['StackPolicyBody', 'StackPolicyURL']);
  atMostOne(p, ['StackPolicyDuringUpdateBody', 'StackPolicyDuringUpdateURL']);
  const policies = await withFetchedPolicies(p);
  const { db, clock, engine } = ctx.services;
  const source = await resolveTemplateSource(db, ctx.accountId, p);
  // Checked in the transaction below (checkDeployable); validated here in slices first.
  if (source) await ctx.services.templates.prepare(source.body);
  const stackPolicy = policyOf(policies);
  const duringUpdate =
    policies.StackPolicyDuringUpdateBody === undefined ? undefined : checkPolicy(policies.StackPolicyDuringUpdateBody, 'StackPolicyDuringUpdateBody');
  const tags = p.Tags === undefined ? undefined : checkedTags('Tags', p.Tags);
  const body = await idempotent(ctx, p, async (tx) => {
    const stack = await lockedStack(tx, ctx, regionId, p.StackId, 'UpdateStack');
    // Without a template the stack keeps its own, with new values.
    const templateBody = source?.body ?? stack.template_body;
    const parameters = updateParameters(p, stack, templateBody);
    checkDeployable(ctx.services.templates, templateBody, parameters, stack);
    const pending: PendingOperation = {
      id: randomUUID(),
      kind: 'UPDATE',
      templateBody,
      parameters,
      disableRollback: p.DisableRollback ?? stack.disable_rollback,
      timeoutInMinutes: p.TimeoutInMinutes ?? stack.timeout_in_minutes,
      ...(duringUpdate !== undefined ? { policyDuringUpdate: duringUpdate } : {}),
    };
    // A new stack policy applies from this update on (the previous one guards nothing more).
    if (stackPolicy !== undefined) await standaloneStacks.setPolicy(tx, stack.id, stackPolicy);
    // Tags given replace the stack's.
    if (tags) await resourceTags.set(tx, 'stack', { accountId: ctx.accountId, regionId }, stack.id, tags);
    await standaloneStacks.begin(tx, stack.id, 'UPDATE_IN_PROGRESS', startedReason('UPDATE'), pending, rosTime(clock.now()));
    return { StackId: stack.id };
  });
  engine.stacks.start(body.StackId as string);
  return body;
}

async function deleteStack(ctx: RequestContext, p: Params<'DeleteStack'>) {
  const regionId = regionOf(p);
  const { db, clock, engine } = ctx.services;
  let stackId = '';
  await db.transaction(async (tx) => {
    const stack = await lockedStack(tx, ctx, regionId, p.StackId, 'DeleteStack');
    if (stack.deletion_protection === 'Enabled') throw new ApiError('InvalidOperation.DeletionProtection', { ID: stack.id });
    const retain = p.RetainAllResources === true ? 'ALL' : p.RetainResources;
    const pending: PendingOperation = {
      id: randomUUID(),
      kind: 'DELETE',
      templateBody: stack.template_body,
      parameters: stack.parameters,
      disableRollback: true,
      timeoutInMinutes: stack.timeout_in_minutes,
      ...(retain ? { retain } : {}),
    };
    await standaloneStacks.begin(tx, stack.id, 'DELETE_IN_PROGRESS', startedReason('DELETE'), pending, rosTime(clock.now()));
    stackId = stack.id;
  });
  engine.stacks.start(stackId);
  return {};
}

// Only a create that failed without rollback can go on (the ROS API reference: "a stack that
// failed to be created").
async function continueCreateStack(ctx: RequestContext, p: Params<'ContinueCreateStack'>) {
  const regionId = regionOf(p);
  atMostOne(p, TEMPLATE_SOURCES);
  const { db, clock, engine } = ctx.services;
  const source = await resolveTemplateSource(db, ctx.accountId, p);
  if (source) await ctx.services.templates.prepare(source.body);
  let stackId = '';
  await db.transaction(async (tx) => {
    const stack = await lockedStack(tx, ctx, regionId, p.StackId, 'ContinueCreateStack');
    if (stack.status !== 'CREATE_FAILED') throw new ApiError('InvalidStackStatus', { reason: `the stack status is ${stack.status}, not CREATE_FAILED` });
    const templateBody = source?.body ?? stack.template_body;
    const parameters = p.Parameters ?? stack.parameters;
    checkDeployable(ctx.services.templates, templateBody, parameters, stack);
    const pending: PendingOperation = {
      id: randomUUID(),
      kind: 'CONTINUE',
      templateBody,
      parameters,
      // What the continued create adds stays when it fails again, as the failed create's did.
      disableRollback: true,
      timeoutInMinutes: stack.timeout_in_minutes,
    };
    await standaloneStacks.begin(tx, stack.id, 'CREATE_IN_PROGRESS', startedReason('CREATE'), pending, rosTime(clock.now()));
    stackId = stack.id;
  });
  engine.stacks.start(stackId);
  return { StackId: stackId };
}

// Marks the running operation cancelled (so that a restart finishes it cancelled too) and stops
// it once that has committed. `kinds`: the operations this action may cancel.
async function cancel(ctx: RequestContext, p: { RegionId: string; StackId: string }, kinds: PendingOperation['kind'][]): Promise<void> {
  const regionId = regionOf(p);
  const { db, engine } = ctx.services;
  const stackId = await db.transaction(async (tx) => {
    const stack = await requireStack(tx, ctx, regionId, p.StackId);
    const op = stack.pending;
    if (!op || !kinds.includes(op.kind)) throw new ApiError('InvalidStackStatus', { reason: `the stack has no ${kinds.join(' or ')} operation in progress (its status is ${stack.status})` });
    if (!op.cancelled) await standaloneStacks.setPending(tx, stack.id, { ...op, cancelled: true });
    return stack.id;
  });
  engine.stacks.cancel(stackId);
}

async function cancelUpdateStack(ctx: RequestContext, p: Params<'CancelUpdateStack'>) {
  await cancel(ctx, p, ['UPDATE']);
  return {};
}

// AllowedStackOperations narrows what may be cancelled (CREATE / UPDATE); a delete is never
// cancelled.
async function cancelStackOperation(ctx: RequestContext, p: Params<'CancelStackOperation'>) {
  const allowed = p.AllowedStackOperations ?? ['CREATE', 'UPDATE'];
  const kinds = (['CREATE', 'UPDATE', 'CONTINUE'] as const).filter((k) => allowed.includes(k === 'CONTINUE' ? 'CREATE' : k));
  await cancel(ctx, p, kinds);
  return {};
}

export const stackLifecycleActions: ActionTable = {
  CreateStack: { handle: createStack },
  UpdateStack: { handle: updateStack },
  DeleteStack: { handle: deleteStack },
  ContinueCreateStack: { handle: continueCreateStack },
  CancelUpdateStack: { handle: cancelUpdateStack },
  CancelStackOperation: { handle: cancelStackOperation },
};
