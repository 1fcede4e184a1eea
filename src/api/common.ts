// Helpers shared by the stack-group action families.
import { createHash } from 'node:crypto';
import { ApiError, invalidParameter } from '../protocol/errors.ts';
import type { Db } from '../store/db.ts';
import { clientTokens } from '../store/repos/client-tokens.ts';
import { stackGroups, type StackGroup, type StackGroupHeader } from '../store/repos/stack-groups.ts';
import { rosTime } from '../engine/clock.ts';
import { KNOWN_REGION_IDS } from './regions.ts';
import type { RequestContext, ResponseBody } from './types.ts';

export function checkRegion(name: string, regionId: string): void {
  if (!KNOWN_REGION_IDS.has(regionId)) throw invalidParameter(name, `${regionId} is not a supported region`);
}

export function paging(params: { PageNumber?: number; PageSize?: number }): { PageNumber: number; PageSize: number; limit: number; offset: number } {
  const PageNumber = params.PageNumber ?? 1;
  const PageSize = params.PageSize ?? 10;
  return { PageNumber, PageSize, limit: PageSize, offset: (PageNumber - 1) * PageSize };
}

export async function requireGroup(db: Db, ctx: RequestContext, regionId: string, name: string): Promise<StackGroup> {
  const group = await stackGroups.findActiveByName(db, ctx.accountId, regionId, name);
  if (!group) throw new ApiError('StackGroupNotFound', { name });
  return group;
}

// The same check for readers that need only the group's identity.
export async function requireGroupHeader(db: Db, ctx: RequestContext, regionId: string, name: string): Promise<StackGroupHeader> {
  const group = await stackGroups.findActiveHeader(db, ctx.accountId, regionId, name);
  if (!group) throw new ApiError('StackGroupNotFound', { name });
  return group;
}

function fingerprint(params: { ClientToken?: string }): string {
  const { ClientToken: _token, ...rest } = params;
  const canonical = JSON.stringify(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1)));
  return createHash('sha256').update(canonical).digest('hex');
}

// ClientToken idempotency (semantics.md §6): the same token with the same parameters returns
// the first answer; with other parameters it is InvalidIdempotenceParameter. The token is
// recorded in the transaction that does the work, so a rejected call does not consume it.
export async function idempotent(
  ctx: RequestContext,
  params: { ClientToken?: string },
  work: (tx: Db) => Promise<ResponseBody>,
): Promise<ResponseBody> {
  const token = params.ClientToken;
  return ctx.services.db.transaction(async (tx) => {
    if (token === undefined) return work(tx);
    const print = fingerprint(params);
    const seen = await clientTokens.find(tx, ctx.accountId, ctx.action, token);
    if (seen) {
      if (seen.fingerprint !== print) throw new ApiError('InvalidIdempotenceParameter');
      return JSON.parse(seen.response) as ResponseBody;
    }
    const body = await work(tx);
    await clientTokens.insert(tx, {
      accountId: ctx.accountId,
      action: ctx.action,
      token,
      fingerprint: print,
      response: JSON.stringify(body),
      createTime: rosTime(ctx.services.clock.now()),
    });
    return body;
  });
}

// The one parameter given among `names`, with its value: a union the caller narrows by `name`.
export type OneOf<P, N extends keyof P> = { [K in N]-?: { name: K; value: NonNullable<P[K]> } }[N];

export function exactlyOne<P extends object, N extends keyof P & string>(params: P, names: readonly N[]): OneOf<P, N> {
  const given = names.filter((n) => params[n] !== undefined);
  if (given.length === 0) throw new ApiError('MissingOneOfParameters', { names: names.join(', ') });
  if (given.length > 1) throw new ApiError('MultipleParameter', { names: given.join(', ') });
  const name = given[0];
  const value = params[name];
  // TypeScript cannot relate one key of a generic to the union of its keys' pairs.
  return { name, value } as OneOf<P, N>;
}

export function atMostOne<P extends object, N extends keyof P & string>(params: P, names: readonly N[]): N | undefined {
  const given = names.filter((n) => params[n] !== undefined);
  if (given.length > 1) throw new ApiError('MultipleParameter', { names: given.join(', ') });
  return given[0];
}
