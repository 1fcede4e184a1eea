// GetStack, ListStacks, ListStackResources, ListStackEvents (ros-api.md §5.18–5.21). A stack
// belongs to the account it was deployed in (the stack instance's account) and is visible to that
// account's credentials only, in its region; a foreign or deleted stack answers StackNotFound.
import { ApiError, invalidParameter } from '../protocol/errors.ts';
import type { Db } from '../store/db.ts';
import { stackEvents, type StoredStackEvent } from '../store/repos/stack-events.ts';
import { stackResources, type StackResource } from '../store/repos/stack-resources.ts';
import { stacks, type Stack } from '../store/repos/stacks.ts';
import { givenValues } from '../stacks/template/given-parameters.ts';
import type { TemplateLoader } from '../stacks/template/template-loader.ts';
import { seededUuid } from '../stacks/template/ids.ts';
import { plainText } from '../stacks/template/json.ts';
import { resolveParameters, type ParameterEntry } from '../stacks/template/index.ts';
import { checkRegion, paging } from './common.ts';
import { resourceTags } from '../store/repos/tags.ts';
import { stackDrift } from '../store/repos/stack-drift.ts';
import type { Tag } from '../engine/types.ts';
import { matchesTags } from './tag-rules.ts';
import type { Params } from './action-params.ts';
import type { ActionTable, RequestContext } from './types.ts';

export async function requireStack(db: Db, ctx: RequestContext, regionId: string, stackId: string): Promise<Stack> {
  const stack = await stacks.visible(db, ctx.accountId, regionId, stackId);
  if (!stack) throw new ApiError('StackNotFound', { name: stackId });
  return stack;
}

async function stackOf(ctx: RequestContext, p: { RegionId: string; StackId: string }): Promise<Stack> {
  const regionId = p.RegionId;
  checkRegion('RegionId', regionId);
  return requireStack(ctx.services.db, ctx, regionId, p.StackId);
}

// Every template parameter with its effective value (defaults included) and the pseudo
// parameters, NoEcho values masked (the GetStack example of the ROS API reference).
function parameterView(templates: TemplateLoader, stack: Stack): ParameterEntry[] {
  const template = templates.cached(stack.template_body);
  const pseudo = { StackName: stack.name, StackId: stack.id, Region: stack.region_id, AccountId: stack.account_id };
  return resolveParameters(template, givenValues(stack.parameters), pseudo).maskedParameters;
}

function templateDescription(templates: TemplateLoader, stack: Stack): string | undefined {
  return plainText(templates.cached(stack.template_body).Description);
}

function summaryView(s: Stack, tags: Tag[]): Record<string, unknown> {
  return {
    StackId: s.id,
    StackName: s.name,
    RegionId: s.region_id,
    Status: s.status,
    StatusReason: s.status_reason ?? undefined,
    CreateTime: s.create_time,
    UpdateTime: s.update_time ?? undefined,
    DisableRollback: s.disable_rollback,
    TimeoutInMinutes: s.timeout_in_minutes,
    StackType: 'ROS',
    ServiceManaged: false,
    DeletionProtection: s.deletion_protection ?? 'Disabled',
    ParentStackId: s.parent_stack_id ?? undefined,
    ResourceGroupId: s.resource_group_id ?? undefined,
    StackDriftStatus: s.drift_status ?? 'NOT_CHECKED',
    DriftDetectionTime: s.drift_time ?? undefined,
    Tags: tags,
  };
}

// The outermost stack of a nested one.
async function rootOf(db: Db, stack: Stack): Promise<string> {
  let current = stack;
  while (current.parent_stack_id) {
    const parent = await stacks.get(db, current.parent_stack_id);
    if (!parent) break;
    current = parent;
  }
  return current.id;
}

async function getStack(ctx: RequestContext, p: Params<'GetStack'>) {
  const stack = await stackOf(ctx, p);
  const description = templateDescription(ctx.services.templates, stack);
  const tags = await resourceTags.of(ctx.services.db, 'stack', { accountId: ctx.accountId, regionId: stack.region_id }, [stack.id]);
  return {
    ...summaryView(stack, tags.get(stack.id) ?? []),
    Description: description ?? 'No description',
    TemplateDescription: description,
    Parameters: parameterView(ctx.services.templates, stack),
    NotificationURLs: stack.notification_urls ?? [],
    RamRoleName: stack.ram_role_name ?? undefined,
    RootStackId: stack.parent_stack_id ? await rootOf(ctx.services.db, stack) : undefined,
    ...(p.OutputOption === 'Disabled' ? {} : { Outputs: stack.outputs }),
  };
}

// ListStacks' times are `yyyy-MM-ddTHH:mm:ssZ`; stacks keep UTC without the zone.
function timeBound(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})Z?$/.exec(value as string);
  if (!m) throw invalidParameter(name, 'it must be a UTC time like 2019-08-01T04:07:39Z');
  return m[1];
}

// One StackId and a StackIds list narrow each other.
function idFilter(p: Params<'ListStacks'>): string[] | undefined {
  const list = p.StackIds;
  const one = p.StackId;
  if (one === undefined) return list;
  return !list || list.includes(one) ? [one] : [];
}

// A Tag filter narrows the stacks to those carrying every tag given.
async function withTagFilter(ids: string[] | undefined, filter: Tag[] | undefined, tagged: () => Promise<{ id: string; tags: Tag[] }[]>): Promise<string[] | undefined> {
  if (!filter?.length) return ids;
  const matching = (await tagged()).filter((r) => matchesTags(r.tags, filter)).map((r) => r.id);
  return ids ? ids.filter((id) => matching.includes(id)) : matching;
}

async function listStacks(ctx: RequestContext, p: Params<'ListStacks'>) {
  const regionId = p.RegionId;
  checkRegion('RegionId', regionId);
  const page = paging(p);
  const { db } = ctx.services;
  const scope = { accountId: ctx.accountId, regionId };
  const ids = await withTagFilter(idFilter(p), p.Tag, () => resourceTags.tagged(db, 'stack', scope));
  const empty = { Stacks: [], TotalCount: 0, PageNumber: page.PageNumber, PageSize: page.PageSize };
  if (ids?.length === 0) return empty;
  const { rows, total } = await stacks.page(
    db,
    {
      accountId: ctx.accountId,
      regionId,
      names: p.StackName,
      statuses: p.Status,
      ids,
      startTime: timeBound('StartTime', p.StartTime),
      endTime: timeBound('EndTime', p.EndTime),
      parentStackId: p.ParentStackId,
      showNested: p.ShowNestedStack === true,
      resourceGroupId: p.ResourceGroupId,
    },
    page.limit,
    page.offset,
  );
  const tags = await resourceTags.of(db, 'stack', scope, rows.map((s) => s.id));
  return { ...empty, Stacks: rows.map((s) => summaryView(s, tags.get(s.id) ?? [])), TotalCount: total };
}

function resourceView(stack: Stack, r: StackResource, drift: { status: string; time: string } | undefined): Record<string, unknown> {
  return {
    StackId: stack.id,
    StackName: stack.name,
    LogicalResourceId: r.logical_resource_id,
    PhysicalResourceId: r.physical_resource_id ?? undefined,
    ResourceType: r.resource_type,
    Status: r.status,
    StatusReason: r.status_reason ?? undefined,
    CreateTime: r.create_time,
    UpdateTime: r.update_time ?? undefined,
    ResourceDriftStatus: drift?.status ?? 'NOT_CHECKED',
    DriftDetectionTime: drift?.time,
  };
}

async function getStackResource(ctx: RequestContext, p: Params<'GetStackResource'>) {
  const stack = await stackOf(ctx, p);
  const logicalId = p.LogicalResourceId;
  const r = (await stackResources.list(ctx.services.db, stack.id)).find((x) => x.logical_resource_id === logicalId);
  if (!r) throw new ApiError('StackResourceNotFound', { resource: logicalId, name: stack.name });
  const wanted = p.ResourceAttributes;
  const attributes = Object.entries(r.attributes).filter(([k]) => !wanted || wanted.includes(k));
  return {
    ...resourceView(stack, r, (await stackDrift.statuses(ctx.services.db, stack.id)).get(logicalId)),
    ...(p.ShowResourceAttributes === true || wanted ? { ResourceAttributes: attributes.map(([Key, Value]) => ({ Key, Value })) } : {}),
  };
}

async function listStackResources(ctx: RequestContext, p: Params<'ListStackResources'>) {
  const stack = await stackOf(ctx, p);
  const drift = await stackDrift.statuses(ctx.services.db, stack.id);
  return { Resources: (await stackResources.list(ctx.services.db, stack.id)).map((r) => resourceView(stack, r, drift.get(r.logical_resource_id))) };
}

function eventView(stack: Stack, e: StoredStackEvent): Record<string, unknown> {
  return {
    // Derived from the stack and the event's number, so it is stable across reads.
    EventId: seededUuid(`${stack.id}#event#${e.seq}`),
    StackId: stack.id,
    StackName: stack.name,
    LogicalResourceId: e.logical_resource_id,
    PhysicalResourceId: e.physical_resource_id ?? undefined,
    ResourceType: e.resource_type,
    Status: e.status,
    StatusReason: e.status_reason ?? undefined,
    CreateTime: e.create_time,
  };
}

async function listStackEvents(ctx: RequestContext, p: Params<'ListStackEvents'>) {
  const stack = await stackOf(ctx, p);
  const page = paging(p);
  const filter = {
    statuses: p.Status,
    resourceTypes: p.ResourceType,
    logicalIds: p.LogicalResourceId,
  };
  const { rows, total } = await stackEvents.page(ctx.services.db, stack.id, filter, page.limit, page.offset);
  return { Events: rows.map((e) => eventView(stack, e)), TotalCount: total, PageNumber: page.PageNumber, PageSize: page.PageSize };
}

export const stackActions: ActionTable = {
  GetStack: { handle: getStack },
  ListStacks: { handle: listStacks },
  GetStackResource: { handle: getStackResource },
  ListStackResources: { handle: listStackResources },
  ListStackEvents: { handle: listStackEvents },
};
