// Targets of an instance operation: AccountIds × RegionIds for SELF_MANAGED groups, with the
// per-call limits (ros-api.md §5.6; semantics.md §9.1). Region order is the request's order.
import { ApiError, invalidParameter } from '../protocol/errors.ts';
import type { TargetKey } from '../store/repos/stack-instances.ts';
import { checkRegion } from './common.ts';
import type { Decoded } from './decode.ts';
import type { RequestContext } from './types.ts';

const ACCOUNT_ID_RE = /^\d{1,32}$/;

export function serviceManagedNotSupported(): ApiError {
  return new ApiError('NotSupported', { feature: 'The SERVICE_MANAGED permission model (DeploymentTargets, AutoDeployment) in localros' });
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

export function resolveSelfManagedTargets(ctx: RequestContext, p: Decoded): { targets: TargetKey[]; regionOrder: string[] } {
  if (p.DeploymentTargets !== undefined) {
    if (p.AccountIds !== undefined) throw new ApiError('MultipleParameter', { names: 'AccountIds, DeploymentTargets' });
    throw invalidParameter('DeploymentTargets', 'it applies to SERVICE_MANAGED stack groups only, use AccountIds');
  }
  if (p.AccountIds === undefined) throw new ApiError('MissingParameter', { name: 'AccountIds' });
  const { limits } = ctx.services.config;
  const accounts = unique(p.AccountIds as string[]);
  const regions = unique(p.RegionIds as string[]);
  if (accounts.length === 0) throw invalidParameter('AccountIds', 'it must have at least 1 item(s)');
  if (accounts.length > limits.accountsPerCall) throw invalidParameter('AccountIds', `it must have at most ${limits.accountsPerCall} item(s)`);
  if (regions.length === 0) throw invalidParameter('RegionIds', 'it must have at least 1 item(s)');
  if (regions.length > limits.regionsPerCall) throw invalidParameter('RegionIds', `it must have at most ${limits.regionsPerCall} item(s)`);
  for (const a of accounts) if (!ACCOUNT_ID_RE.test(a)) throw invalidParameter('AccountIds', `${JSON.stringify(a)} is not an Alibaba Cloud account ID`);
  for (const r of regions) checkRegion('RegionIds', r);
  return { targets: regions.flatMap((regionId) => accounts.map((accountId) => ({ accountId, regionId }))), regionOrder: regions };
}
