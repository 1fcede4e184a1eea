// CreateStackGroup, UpdateStackGroup, DeleteStackGroup, GetStackGroup, ListStackGroups
// (ros-api.md §5.1–5.5, semantics.md §9.3, §9.5).
import { randomUUID } from 'node:crypto';
import { rosTime } from '../engine/clock.ts';
import { assertGroupIdle } from '../engine/accept.ts';
import { DEFAULT_TIMEOUT_MINUTES, GROUP_UPDATED_REASON, type OperationPreferences, type Parameter, type PermissionModel, type Tag } from '../engine/types.ts';
import { ApiError, invalidParameter } from '../protocol/errors.ts';
import type { Db } from '../store/db.ts';
import { stackGroups, type StackGroup } from '../store/repos/stack-groups.ts';
import { stackInstances, targetId, type Target } from '../store/repos/stack-instances.ts';
import { checkGroupTemplate, checkGroupTemplateSliced, templateParameterNames } from '../stacks/template/group-template.ts';
import { resolveTemplateSource, type TemplateSource } from '../stacks/sources/template-source.ts';
import { atMostOne, checkRegion, exactlyOne, idempotent, paging, requireGroup } from './common.ts';
import type { Params } from './action-params.ts';
import { resolveTargets, type DeploymentTargets } from './targets.ts';
import { checkedTags } from './tag-rules.ts';
import type { ActionTable, RequestContext } from './types.ts';

const DEFAULT_ADMIN_ROLE = 'AliyunROSStackGroupAdministrationRole';
const DEFAULT_EXECUTION_ROLE = 'AliyunROSStackGroupExecutionRole';
interface AutoDeployment {
  Enabled?: boolean;
  RetainStacksOnAccountRemoval?: boolean;
}

function serviceManagedFields(g: StackGroup, withFolders: boolean): Record<string, unknown> {
  if (g.permission_model !== 'SERVICE_MANAGED') return {};
  return {
    AutoDeployment: g.auto_deployment ? JSON.parse(g.auto_deployment) : undefined,
    ...(withFolders ? { RdFolderIds: g.rd_folder_ids } : {}),
  };
}

// AutoDeployment is required for SERVICE_MANAGED groups and meaningless for the others;
// RetainStacksOnAccountRemoval must be given when Enabled is true (ros-api.md §4.3).
function checkAutoDeployment(model: string, auto: AutoDeployment | undefined, required: boolean): void {
  if (model !== 'SERVICE_MANAGED') {
    if (auto !== undefined) throw invalidParameter('AutoDeployment', 'it applies to SERVICE_MANAGED stack groups only');
    return;
  }
  if (!auto) {
    if (required) throw new ApiError('MissingParameter', { name: 'AutoDeployment' });
    return;
  }
  if (auto.Enabled === undefined) throw invalidParameter('AutoDeployment', 'Enabled must be specified');
  if (auto.Enabled && auto.RetainStacksOnAccountRemoval === undefined) {
    throw invalidParameter('AutoDeployment', 'RetainStacksOnAccountRemoval must be specified when Enabled is true');
  }
}

function groupView(g: StackGroup): Record<string, unknown> {
  return {
    StackGroupId: g.id,
    StackGroupName: g.name,
    Status: g.status,
    Description: g.description ?? undefined,
    TemplateBody: g.template_body,
    TemplateContent: g.template_body,
    Parameters: g.parameters,
    PermissionModel: g.permission_model,
    AdministrationRoleName: g.administration_role_name ?? undefined,
    ExecutionRoleName: g.execution_role_name ?? undefined,
    ResourceGroupId: g.resource_group_id ?? undefined,
    Tags: g.tags,
    CreateTime: g.create_time,
    UpdateTime: g.update_time,
    ...serviceManagedFields(g, true),
  };
}

function summaryView(g: StackGroup): Record<string, unknown> {
  return {
    StackGroupId: g.id,
    StackGroupName: g.name,
    Status: g.status,
    Description: g.description ?? undefined,
    PermissionModel: g.permission_model,
    ResourceGroupId: g.resource_group_id ?? undefined,
    Tags: g.tags,
    CreateTime: g.create_time,
    UpdateTime: g.update_time,
    ...serviceManagedFields(g, false),
  };
}

async function createStackGroup(ctx: RequestContext, p: Params<'CreateStackGroup'>) {
  const regionId = p.RegionId;
  checkRegion('RegionId', regionId);
  exactlyOne(p, ['TemplateBody', 'TemplateURL', 'TemplateId', 'StackArn']);
  if (p.StackArn !== undefined && p.Parameters !== undefined) throw new ApiError('MultipleParameter', { names: 'StackArn, Parameters' });
  const model = p.PermissionModel ?? 'SELF_MANAGED';
  if (model === 'SERVICE_MANAGED' && p.StackArn !== undefined) throw invalidParameter('StackArn', 'it applies to SELF_MANAGED stack groups only');
  const autoDeployment = p.AutoDeployment;
  checkAutoDeployment(model, autoDeployment, true);
  const selfManaged = model === 'SELF_MANAGED';
  const { db, clock, config } = ctx.services;
  const template = await resolveTemplateSource(db, ctx.accountId, p);
  const parameters = p.Parameters ?? template!.parameters ?? [];
  await checkGroupTemplateSliced(ctx.services.templates, template!.body, parameters, { regionId, accountId: ctx.accountId });

  return idempotent(ctx, p, async (tx) => {
    const name = p.StackGroupName;
    if (await stackGroups.findActiveByName(tx, ctx.accountId, regionId, name)) throw new ApiError('StackGroupExists', { name });
    const limit = config.limits.stackGroupsPerAccount;
    if ((await stackGroups.countActive(tx, ctx.accountId)) >= limit) {
      throw new ApiError('RequestLimitExceeded', { reason: `an account can have at most ${limit} stack groups` });
    }
    const now = rosTime(clock.now());
    const group: StackGroup = {
      id: randomUUID(),
      account_id: ctx.accountId,
      region_id: regionId,
      name,
      status: 'ACTIVE',
      description: p.Description ?? null,
      template_body: template!.body,
      parameters,
      permission_model: model,
      // Roles belong to SELF_MANAGED groups; SERVICE_MANAGED ones use service-linked roles.
      administration_role_name: selfManaged ? (p.AdministrationRoleName ?? DEFAULT_ADMIN_ROLE) : null,
      execution_role_name: selfManaged ? (p.ExecutionRoleName ?? DEFAULT_EXECUTION_ROLE) : null,
      auto_deployment: autoDeployment ? JSON.stringify(autoDeployment) : null,
      resource_group_id: p.ResourceGroupId ?? null,
      tags: checkedTags('Tags', p.Tags),
      capabilities: p.Capabilities ?? [],
      rd_folder_ids: [],
      drift_detail: null,
      create_time: now,
      update_time: now,
    };
    await stackGroups.insert(tx, group);
    return { StackGroupId: group.id };
  });
}

// UpdateStackGroup changes the group and rolls the change out as an UPDATE operation: to every
// instance, or to the given accounts × regions, the others becoming OUTDATED (semantics.md §9.3).
async function updateStackGroup(ctx: RequestContext, p: Params<'UpdateStackGroup'>) {
  const regionId = p.RegionId;
  checkRegion('RegionId', regionId);
  atMostOne(p, ['TemplateBody', 'TemplateURL', 'TemplateId']);
  const targeted = p.AccountIds !== undefined || p.DeploymentTargets !== undefined;
  if (targeted !== (p.RegionIds !== undefined)) {
    throw new ApiError('MissingParameter', { name: targeted ? 'RegionIds' : 'AccountIds' });
  }
  const { db, clock } = ctx.services;
  const template = await resolveTemplateSource(db, ctx.accountId, p);
  // Checked in the transaction below (checkGroupTemplate); validated here in slices first.
  if (template) await ctx.services.templates.prepare(template.body);

  return idempotent(ctx, p, async (tx) => {
    const group = await requireGroup(tx, ctx, regionId, p.StackGroupName);
    await assertGroupIdle(tx, group);
    const model = p.PermissionModel ?? group.permission_model;
    if (model !== group.permission_model && (await stackInstances.count(tx, group.id)) > 0) {
      throw invalidParameter('PermissionModel', 'it cannot change while the stack group has stack instances');
    }
    const autoDeployment = p.AutoDeployment ?? (group.auto_deployment ? JSON.parse(group.auto_deployment) : undefined);
    checkAutoDeployment(model, p.AutoDeployment, model !== group.permission_model);
    const templateBody = template?.body ?? group.template_body;
    // Without new values, the current ones carry over for the parameters the template still has.
    const kept = template ? templateParameterNames(templateBody) : undefined;
    const parameters = p.Parameters ?? group.parameters.filter((x) => !kept || kept.has(x.ParameterKey));
    checkGroupTemplate(ctx.services.templates, templateBody, parameters, { regionId, accountId: ctx.accountId });

    const all = (await stackInstances.all(tx, group.id)).filter((i) => i.status !== 'INOPERABLE');
    let targets: Target[] = all.map((i) => ({ accountId: i.account_id, regionId: i.region_id, rdFolderId: i.rd_folder_id ?? undefined }));
    let regionOrder = [...new Set(targets.map((t) => t.regionId))];
    let deploymentTargets: DeploymentTargets | undefined;
    if (targeted) {
      const requested = await resolveTargets(tx, ctx, { ...group, permission_model: model }, p);
      const existing = new Set(all.map((i) => targetId(i.account_id, i.region_id)));
      if (requested.targets.some((t) => !existing.has(targetId(t.accountId, t.regionId)))) throw new ApiError('StackInstanceNotFound');
      targets = requested.targets;
      regionOrder = requested.regionOrder;
      deploymentTargets = requested.deploymentTargets;
    }
    const now = rosTime(clock.now());
    const updated: StackGroup = {
      ...group,
      template_body: templateBody,
      parameters,
      description: p.Description ?? group.description,
      administration_role_name: model === 'SELF_MANAGED' ? (p.AdministrationRoleName ?? group.administration_role_name ?? DEFAULT_ADMIN_ROLE) : null,
      execution_role_name: model === 'SELF_MANAGED' ? (p.ExecutionRoleName ?? group.execution_role_name ?? DEFAULT_EXECUTION_ROLE) : null,
      capabilities: p.Capabilities ?? group.capabilities,
      permission_model: model,
      auto_deployment: model === 'SERVICE_MANAGED' && autoDeployment ? JSON.stringify(autoDeployment) : null,
      update_time: now,
    };
    await stackGroups.update(tx, updated);
    const chosen = new Set(targets.map((t) => targetId(t.accountId, t.regionId)));
    await stackInstances.outdateAllBut(tx, group.id, chosen, GROUP_UPDATED_REASON);
    for (const t of targets) await stackInstances.setStatus(tx, group.id, t, 'OUTDATED', null);
    const operationId = await ctx.services.engine.submit(tx, {
      group: updated,
      action: 'UPDATE',
      regionOrder,
      targets,
      preferences: p.OperationPreferences ?? {},
      description: p.OperationDescription ?? null,
      retainStacks: null,
      deploymentTargets,
      runSpec: { templateBody, parameters, disableRollback: false, timeoutInMinutes: DEFAULT_TIMEOUT_MINUTES },
      now,
    });
    return { OperationId: operationId };
  });
}

async function deleteStackGroup(ctx: RequestContext, p: Params<'DeleteStackGroup'>) {
  const regionId = p.RegionId;
  checkRegion('RegionId', regionId);
  await ctx.services.db.transaction(async (tx: Db) => {
    const group = await requireGroup(tx, ctx, regionId, p.StackGroupName);
    if ((await stackInstances.count(tx, group.id)) > 0) throw new ApiError('StackGroupNotEmpty', { name: group.name });
    await assertGroupIdle(tx, group);
    await stackGroups.update(tx, { ...group, status: 'DELETED', update_time: rosTime(ctx.services.clock.now()) });
  });
  return {};
}

async function getStackGroup(ctx: RequestContext, p: Params<'GetStackGroup'>) {
  const regionId = p.RegionId;
  checkRegion('RegionId', regionId);
  const by = exactlyOne(p, ['StackGroupName', 'StackGroupId']);
  const { db } = ctx.services;
  const group =
    by.name === 'StackGroupName'
      ? await stackGroups.findActiveByName(db, ctx.accountId, regionId, by.value)
      : await stackGroups.findById(db, ctx.accountId, regionId, by.value);
  if (!group) throw new ApiError('StackGroupNotFound', { name: by.value });
  return { StackGroup: { ...groupView(group), ...(group.drift_detail ? { StackGroupDriftDetectionDetail: JSON.parse(group.drift_detail) } : {}) } };
}

async function listStackGroups(ctx: RequestContext, p: Params<'ListStackGroups'>) {
  const regionId = p.RegionId;
  checkRegion('RegionId', regionId);
  const page = paging(p);
  const filter = {
    accountId: ctx.accountId,
    regionId,
    ...(p.Status !== undefined ? { status: p.Status } : {}),
    ...(p.ResourceGroupId !== undefined ? { resourceGroupId: p.ResourceGroupId } : {}),
  };
  const tags = p.Tags;
  let rows: StackGroup[];
  let total: number;
  if (tags?.length) {
    const matching = (await stackGroups.listAll(ctx.services.db, filter)).filter((g) =>
      tags.every((t) => g.tags.some((gt) => gt.Key === t.Key && (t.Value === undefined || gt.Value === t.Value))),
    );
    total = matching.length;
    rows = matching.slice(page.offset, page.offset + page.limit);
  } else {
    ({ rows, total } = await stackGroups.list(ctx.services.db, filter, page.limit, page.offset));
  }
  const views = rows.map((g) => {
    const detail = g.drift_detail ? (JSON.parse(g.drift_detail) as { StackGroupDriftStatus: string; DriftDetectionTime: string }) : undefined;
    return { ...summaryView(g), ...(detail ? { StackGroupDriftStatus: detail.StackGroupDriftStatus, DriftDetectionTime: detail.DriftDetectionTime } : {}) };
  });
  return { StackGroups: views, TotalCount: total, PageNumber: page.PageNumber, PageSize: page.PageSize };
}

export const stackGroupActions: ActionTable = {
  CreateStackGroup: { handle: createStackGroup },
  UpdateStackGroup: { handle: updateStackGroup },
  DeleteStackGroup: { handle: deleteStackGroup },
  GetStackGroup: { handle: getStackGroup },
  ListStackGroups: { handle: listStackGroups },
};
