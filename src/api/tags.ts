// TagResources, UntagResources, ListTagResources, ListTagKeys, ListTagValues (ROS API reference,
// 2019-09-10) over the resource types ROS tags: stacks (by id), stack groups (by name) and
// templates (by id). Scenarios (templatescratch) do not exist in localros.
import type { Tag } from '../engine/types.ts';
import { ApiError, invalidParameter } from '../protocol/errors.ts';
import type { Db } from '../store/db.ts';
import { resourceTags, type TaggableType, type TagScope } from '../store/repos/tags.ts';
import { checkRegion } from './common.ts';
import { tokenPage } from './next-token.ts';
import type { Params } from './action-params.ts';
import { checkedTags, matchesTags, MAX_TAGS_PER_RESOURCE } from './tag-rules.ts';
import type { ActionTable, RequestContext } from './types.ts';

// Entries per answer of the listing actions, which take no page size.
const PAGE = 50;

const NOT_FOUND = {
  stack: (id: string) => new ApiError('StackNotFound', { name: id }),
  stackgroup: (id: string) => new ApiError('StackGroupNotFound', { name: id }),
  template: (id: string) => new ApiError('TemplateNotFound', { ID: id }),
} satisfies Record<TaggableType, (id: string) => ApiError>;

// The documentation spells the values in lower case and, in places, TemplateScratch.
function resourceType(p: { ResourceType: string }): TaggableType {
  const type = p.ResourceType.toLowerCase();
  if (type === 'stack' || type === 'stackgroup' || type === 'template') return type;
  if (type === 'templatescratch') throw new ApiError('NotSupported', { feature: 'Tagging scenarios (ResourceType templatescratch)' });
  throw invalidParameter('ResourceType', 'it must be one of stack, stackgroup, template, templatescratch');
}

function scopeOf(ctx: RequestContext, p: { RegionId: string }): TagScope {
  const regionId = p.RegionId;
  checkRegion('RegionId', regionId);
  return { accountId: ctx.accountId, regionId };
}

// Every named resource, or the error for the first missing one.
async function existing(db: Db, type: TaggableType, scope: TagScope, ids: string[]): Promise<Map<string, Tag[]>> {
  const found = await resourceTags.of(db, type, scope, ids);
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) throw NOT_FOUND[type](missing);
  return found;
}

// A tag given again replaces the value of its key; the call fails as a whole when a resource
// would pass the limit.
async function tagResources(ctx: RequestContext, p: Params<'TagResources'>) {
  const type = resourceType(p);
  const scope = scopeOf(ctx, p);
  const given = checkedTags('Tag', p.Tag);
  const ids = [...new Set(p.ResourceId)];
  await ctx.services.db.transaction(async (tx) => {
    for (const [id, own] of await existing(tx, type, scope, ids)) {
      const merged = [...own.filter((t) => !given.some((g) => g.Key === t.Key)), ...given];
      if (merged.length > MAX_TAGS_PER_RESOURCE) throw invalidParameter('Tag', `the resource ${id} would have ${merged.length} tags, more than ${MAX_TAGS_PER_RESOURCE}`);
      await resourceTags.set(tx, type, scope, id, merged);
    }
  });
  return {};
}

async function untagResources(ctx: RequestContext, p: Params<'UntagResources'>) {
  const type = resourceType(p);
  const scope = scopeOf(ctx, p);
  const keys = p.TagKey;
  if (!keys?.length && p.All !== true) throw new ApiError('MissingOneOfParameters', { names: 'TagKey, All' });
  const ids = [...new Set(p.ResourceId)];
  await ctx.services.db.transaction(async (tx) => {
    for (const [id, own] of await existing(tx, type, scope, ids)) {
      await resourceTags.set(tx, type, scope, id, keys?.length ? own.filter((t) => !keys.includes(t.Key)) : []);
    }
  });
  return {};
}

const pageOf = <T>(items: T[], p: { NextToken?: string }) => tokenPage(items, p, PAGE);

// Every tag of each resource that matches both filters (ResourceId and Tag): resources in the
// order given, or oldest first.
async function listTagResources(ctx: RequestContext, p: Params<'ListTagResources'>) {
  const type = resourceType(p);
  const scope = scopeOf(ctx, p);
  const ids = p.ResourceId;
  const filter = p.Tag;
  if (!ids?.length && !filter?.length) throw new ApiError('MissingOneOfParameters', { names: 'ResourceId, Tag' });
  const { db } = ctx.services;
  const candidates = ids?.length
    ? await resourceTags.of(db, type, scope, ids).then((found) => [...new Set(ids)].filter((id) => found.has(id)).map((id) => ({ id, tags: found.get(id)! })))
    : await resourceTags.tagged(db, type, scope);
  const rows = candidates
    .filter((r) => !filter?.length || matchesTags(r.tags, filter))
    .flatMap((r) => r.tags.map((t) => ({ ResourceId: r.id, ResourceType: type, TagKey: t.Key, TagValue: t.Value ?? '' })));
  const { items, NextToken } = pageOf(rows, p);
  return { TagResources: items, ...(NextToken ? { NextToken } : {}) };
}

async function listTagKeys(ctx: RequestContext, p: Params<'ListTagKeys'>) {
  const type = resourceType(p);
  const tagged = await resourceTags.tagged(ctx.services.db, type, scopeOf(ctx, p));
  const { items, NextToken } = pageOf([...new Set(tagged.flatMap((r) => r.tags.map((t) => t.Key)))], p);
  return { Keys: items, ...(NextToken ? { NextToken } : {}) };
}

async function listTagValues(ctx: RequestContext, p: Params<'ListTagValues'>) {
  const type = resourceType(p);
  const tagged = await resourceTags.tagged(ctx.services.db, type, scopeOf(ctx, p));
  const key = p.Key;
  const values = new Set(tagged.flatMap((r) => r.tags.filter((t) => t.Key === key).map((t) => t.Value ?? '')));
  const { items, NextToken } = pageOf([...values], p);
  return { Values: items, ...(NextToken ? { NextToken } : {}) };
}

export const tagActions: ActionTable = {
  TagResources: { handle: tagResources },
  UntagResources: { handle: untagResources },
  ListTagResources: { handle: listTagResources },
  ListTagKeys: { handle: listTagKeys },
  ListTagValues: { handle: listTagValues },
};
