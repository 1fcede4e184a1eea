// The template library — CreateTemplate, GetTemplate, ListTemplates, UpdateTemplate,
// DeleteTemplate (parameters in catalogue-extra.ts) — and the template checks ValidateTemplate
// and GetTemplateSummary (ros-api.md §5.22, §5.23). Templates belong to the calling account and
// are not regional (their ARN is acs:ros:*:{AccountId}:template/{TemplateId}).
import { randomUUID } from 'node:crypto';
import { rosTime } from '../engine/clock.ts';
import type { Tag } from '../engine/types.ts';
import { ApiError } from '../protocol/errors.ts';
import { templates, type StoredTemplate, type TemplateVersion } from '../store/repos/templates.ts';
import { findTemplate, MAX_TEMPLATE_VERSIONS, versionName } from '../stacks/sources/template-library.ts';
import { resolveTemplateSource, resolveTemplateSourceAsWritten, type TemplateSource } from '../stacks/sources/template-source.ts';
import { expandModuleBody } from '../stacks/sources/template-modules.ts';
import { templateSummary, validateTemplateResult } from '../stacks/template/index.ts';
import { requireChangeSet } from './change-sets.ts';
import { atMostOne, checkRegion, exactlyOne, paging, requireGroup } from './common.ts';
import type { Params } from './action-params.ts';
import { requireStack } from './stacks.ts';
import { checkedTags } from './tag-rules.ts';
import type { ActionTable, RequestContext } from './types.ts';

// A template from TemplateBody or TemplateURL, checked as ROS checks it (its modules expanded),
// kept as written.
async function checkedBody(ctx: RequestContext, p: { TemplateBody?: string; TemplateURL?: string }): Promise<string> {
  const { db } = ctx.services;
  const { body } = (await resolveTemplateSourceAsWritten(db, ctx.accountId, p))!;
  await ctx.services.templates.loadChecked(await expandModuleBody(db, ctx.accountId, body));
  return body;
}

function regionOf(p: { RegionId?: string }): string {
  const regionId = p.RegionId;
  if (regionId === undefined) throw new ApiError('MissingParameter', { name: 'RegionId' });
  checkRegion('RegionId', regionId);
  return regionId;
}

function templateView(t: StoredTemplate, v: TemplateVersion, p: { IncludeTags?: 'Enabled' | 'Disabled' }): Record<string, unknown> {
  return {
    TemplateId: t.id,
    TemplateARN: `acs:ros:*:${t.account_id}:template/${t.id}`,
    TemplateName: v.name,
    TemplateVersion: versionName(v.version),
    Description: v.description ?? undefined,
    OwnerId: t.account_id,
    ShareType: 'Private',
    ResourceGroupId: t.resource_group_id ?? undefined,
    CreateTime: v.create_time,
    UpdateTime: v.update_time,
    ...(p.IncludeTags === 'Enabled' ? { Tags: t.tags } : {}),
  };
}

async function createTemplate(ctx: RequestContext, p: Params<'CreateTemplate'>) {
  exactlyOne(p, ['TemplateBody', 'TemplateURL']);
  const body = await checkedBody(ctx, p);
  const now = rosTime(ctx.services.clock.now());
  const id = randomUUID();
  await ctx.services.db.transaction((tx) =>
    templates.insert(
      tx,
      { id, account_id: ctx.accountId, resource_group_id: p.ResourceGroupId ?? null, tags: checkedTags('Tags', p.Tags), latest_version: 1, create_time: now },
      { template_id: id, version: 1, name: p.TemplateName, description: p.Description ?? null, body, create_time: now, update_time: now },
    ),
  );
  return { TemplateId: id };
}

// The template of a template version, a stack or a stack group (one of them).
async function getTemplate(ctx: RequestContext, p: Params<'GetTemplate'>) {
  const { db } = ctx.services;
  const by = exactlyOne(p, ['TemplateId', 'StackId', 'ChangeSetId', 'StackGroupName']);
  if (by.name === 'ChangeSetId') {
    const changeSet = await requireChangeSet(ctx, regionOf(p), by.value);
    return { ChangeSetId: changeSet.id, StackId: changeSet.stack_id, RegionId: changeSet.region_id, TemplateBody: changeSet.template_body };
  }
  if (by.name === 'StackId') {
    const regionId = regionOf(p);
    const stack = await requireStack(db, ctx, regionId, by.value);
    return { StackId: stack.id, RegionId: regionId, TemplateBody: stack.template_body };
  }
  if (by.name === 'StackGroupName') {
    const regionId = regionOf(p);
    const group = await requireGroup(db, ctx, regionId, by.value);
    return { StackGroupName: group.name, RegionId: regionId, TemplateBody: group.template_body };
  }
  const { template, version } = await findTemplate(db, ctx.accountId, by.value, p.TemplateVersion);
  return {
    ...templateView(template, version, p),
    TemplateBody: version.body,
    // Templates cannot be shared in localros.
    ...(p.IncludePermission === 'Enabled' ? { Permissions: [] } : {}),
  };
}

async function listTemplates(ctx: RequestContext, p: Params<'ListTemplates'>) {
  const page = paging(p);
  const answer = (rows: Record<string, unknown>[], total: number) => ({ Templates: rows, TotalCount: total, PageNumber: page.PageNumber, PageSize: page.PageSize });
  // Only the caller's own (Private) templates exist in localros.
  if ((p.ShareType ?? 'Private') !== 'Private') return answer([], 0);
  const filter = { accountId: ctx.accountId, name: p.TemplateName, resourceGroupId: p.ResourceGroupId };
  const tags = p.Tag;
  const { db } = ctx.services;
  if (!tags?.length) {
    const { rows, total } = await templates.page(db, filter, page.limit, page.offset);
    return answer(rows.map((r) => templateView(r.template, r.latest, p)), total);
  }
  // Tag filtering needs every candidate.
  const matching = (await templates.page(db, filter, -1, 0)).rows.filter((r) =>
    tags.every((t) => r.template.tags.some((own) => own.Key === t.Key && (t.Value === undefined || own.Value === t.Value))),
  );
  return answer(matching.slice(page.offset, page.offset + page.limit).map((r) => templateView(r.template, r.latest, p)), matching.length);
}

// A new body makes a new version (named and described as given, else as the latest); without
// one, the latest version's name and description change in place (UpdateTemplate reference).
async function updateTemplate(ctx: RequestContext, p: Params<'UpdateTemplate'>) {
  if (p.IsDraft === true) throw new ApiError('NotSupported', { feature: 'Draft template versions (IsDraft=true)' });
  const hasBody = atMostOne(p, ['TemplateBody', 'TemplateURL']) !== undefined;
  const body = hasBody ? await checkedBody(ctx, p) : undefined;
  const { db, clock } = ctx.services;
  const now = rosTime(clock.now());
  return db.transaction(async (tx) => {
    const { template, version: latest } = await findTemplate(tx, ctx.accountId, p.TemplateId);
    const name = p.TemplateName ?? latest.name;
    const description = p.Description ?? latest.description;
    if (body === undefined) {
      await templates.putVersion(tx, { ...latest, name, description, update_time: now });
      return { TemplateId: template.id, TemplateVersion: versionName(latest.version) };
    }
    if (latest.version >= MAX_TEMPLATE_VERSIONS) {
      throw new ApiError('RequestLimitExceeded', { reason: `a template can have at most ${MAX_TEMPLATE_VERSIONS} versions` });
    }
    const version = latest.version + 1;
    await templates.putVersion(tx, { template_id: template.id, version, name, description, body, create_time: now, update_time: now });
    await templates.setLatest(tx, template.id, version);
    return { TemplateId: template.id, TemplateVersion: versionName(version) };
  });
}

async function deleteTemplate(ctx: RequestContext, p: Params<'DeleteTemplate'>) {
  await ctx.services.db.transaction(async (tx) => {
    const { template } = await findTemplate(tx, ctx.accountId, p.TemplateId);
    await templates.remove(tx, template.id);
  });
  return {};
}

async function validateTemplate(ctx: RequestContext, p: Params<'ValidateTemplate'>) {
  if (p.RegionId !== undefined) checkRegion('RegionId', p.RegionId);
  exactlyOne(p, ['TemplateBody', 'TemplateURL']);
  const { body } = (await resolveTemplateSource(ctx.services.db, ctx.accountId, p))!;
  return { ...validateTemplateResult(await ctx.services.templates.loadChecked(body)) };
}

// The template to summarise: given, from the library, or held by a stack or a stack group.
async function summarisedBody(ctx: RequestContext, p: Params<'GetTemplateSummary'>): Promise<string> {
  const { db } = ctx.services;
  const by = exactlyOne(p, ['TemplateBody', 'TemplateURL', 'TemplateId', 'StackId', 'ChangeSetId', 'StackGroupName']);
  if (by.name === 'ChangeSetId') return (await requireChangeSet(ctx, regionOf(p), by.value)).template_body;
  if (by.name === 'StackId') return (await requireStack(db, ctx, regionOf(p), by.value)).template_body;
  if (by.name === 'StackGroupName') return (await requireGroup(db, ctx, regionOf(p), by.value)).template_body;
  if (p.RegionId !== undefined) checkRegion('RegionId', p.RegionId);
  return (await resolveTemplateSource(db, ctx.accountId, p))!.body;
}

async function getTemplateSummary(ctx: RequestContext, p: Params<'GetTemplateSummary'>) {
  return { ...templateSummary(await ctx.services.templates.loadChecked(await summarisedBody(ctx, p))) };
}

export const templateActions: ActionTable = {
  CreateTemplate: { handle: createTemplate },
  GetTemplate: { handle: getTemplate },
  ListTemplates: { handle: listTemplates },
  UpdateTemplate: { handle: updateTemplate },
  DeleteTemplate: { handle: deleteTemplate },
  ValidateTemplate: { handle: validateTemplate },
  GetTemplateSummary: { handle: getTemplateSummary },
};
