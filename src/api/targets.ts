// Targets of an instance operation (ros-api.md §5.6–5.8; semantics.md §9.1): AccountIds ×
// RegionIds for SELF_MANAGED groups, DeploymentTargets (folders, sub-folders included, and/or
// member accounts) × RegionIds for SERVICE_MANAGED ones. Region order is the request's order.
import { expandTargets, loadDirectory } from '../engine/resource-directory.ts';
import { ApiError, invalidParameter } from '../protocol/errors.ts';
import type { Db } from '../store/db.ts';
import type { StackGroup } from '../store/repos/stack-groups.ts';
import type { Target } from '../store/repos/stack-instances.ts';
import { checkRegion } from './common.ts';
import type { Params } from './action-params.ts';
import type { RequestContext } from './types.ts';

const ACCOUNT_ID_RE = /^\d{1,32}$/;

// The parameters naming an instance operation's targets.
// RegionIds is optional in UpdateStackGroup, where it comes with the other two or not at all.
export type TargetParams = Pick<Params<'UpdateStackGroup'>, 'AccountIds' | 'DeploymentTargets' | 'RegionIds'>;

export type DeploymentTargets = NonNullable<TargetParams['DeploymentTargets']>;

export interface ResolvedTargets {
  targets: Target[];
  regionOrder: string[];
  deploymentTargets?: DeploymentTargets;
}

const unique = (list: string[]): string[] => [...new Set(list)];

function checkRegions(ctx: RequestContext, p: TargetParams): string[] {
  const regions = unique(p.RegionIds ?? []);
  const { regionsPerCall } = ctx.services.config.limits;
  if (regions.length === 0) throw invalidParameter('RegionIds', 'it must have at least 1 item(s)');
  if (regions.length > regionsPerCall) throw invalidParameter('RegionIds', `it must have at most ${regionsPerCall} item(s)`);
  for (const r of regions) checkRegion('RegionIds', r);
  return regions;
}

function selfManaged(ctx: RequestContext, p: TargetParams): ResolvedTargets {
  if (p.DeploymentTargets !== undefined) {
    if (p.AccountIds !== undefined) throw new ApiError('MultipleParameter', { names: 'AccountIds, DeploymentTargets' });
    throw invalidParameter('DeploymentTargets', 'it applies to SERVICE_MANAGED stack groups only, use AccountIds');
  }
  if (p.AccountIds === undefined) throw new ApiError('MissingParameter', { name: 'AccountIds' });
  const { accountsPerCall } = ctx.services.config.limits;
  const accounts = unique(p.AccountIds);
  if (accounts.length === 0) throw invalidParameter('AccountIds', 'it must have at least 1 item(s)');
  if (accounts.length > accountsPerCall) throw invalidParameter('AccountIds', `it must have at most ${accountsPerCall} item(s)`);
  for (const a of accounts) if (!ACCOUNT_ID_RE.test(a)) throw invalidParameter('AccountIds', `${JSON.stringify(a)} is not an Alibaba Cloud account ID`);
  const regions = checkRegions(ctx, p);
  return { targets: regions.flatMap((regionId) => accounts.map((accountId) => ({ accountId, regionId }))), regionOrder: regions };
}

async function serviceManaged(db: Db, ctx: RequestContext, p: TargetParams): Promise<ResolvedTargets> {
  if (p.AccountIds !== undefined) {
    if (p.DeploymentTargets !== undefined) throw new ApiError('MultipleParameter', { names: 'AccountIds, DeploymentTargets' });
    throw invalidParameter('AccountIds', 'it applies to SELF_MANAGED stack groups only, use DeploymentTargets');
  }
  const deploymentTargets = p.DeploymentTargets;
  if (!deploymentTargets) throw new ApiError('MissingParameter', { name: 'DeploymentTargets' });
  if (!deploymentTargets.RdFolderIds?.length && !deploymentTargets.AccountIds?.length) {
    throw invalidParameter('DeploymentTargets', 'it must name at least one of RdFolderIds and AccountIds');
  }
  const regions = checkRegions(ctx, p);
  const members = expandTargets(await loadDirectory(db, ctx.accountId), deploymentTargets);
  return {
    targets: regions.flatMap((regionId) => members.map((m) => ({ accountId: m.accountId, regionId, rdFolderId: m.folderId }))),
    regionOrder: regions,
    deploymentTargets,
  };
}

export function resolveTargets(db: Db, ctx: RequestContext, group: StackGroup, p: TargetParams): Promise<ResolvedTargets> | ResolvedTargets {
  return group.permission_model === 'SERVICE_MANAGED' ? serviceManaged(db, ctx, p) : selfManaged(ctx, p);
}
