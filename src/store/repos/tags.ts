// The tags of the taggable ROS resources (TagResources & co.). Each resource keeps its tags as a
// JSON list in its own row: stack groups and templates since their first migrations, stacks since
// 012. A resource is addressed as the tag APIs address it: a stack by id, a stack group by name
// (ROS: "use the name of the stack group as the resource ID"), a template by id; only live
// resources of the caller count.
import type { Tag } from '../../engine/types.ts';
import type { Db } from '../db.ts';

export type TaggableType = 'stack' | 'stackgroup' | 'template';

export interface TagScope {
  accountId: string;
  regionId: string;
}

interface Table {
  table: string;
  id: string;
  // Templates are global: the region does not narrow them.
  live: string;
}

const TABLES: Record<TaggableType, Table> = {
  stack: { table: 'stacks', id: 'id', live: `account_id = @accountId AND region_id = @regionId AND status <> 'DELETE_COMPLETE'` },
  stackgroup: { table: 'stack_groups', id: 'name', live: `account_id = @accountId AND region_id = @regionId AND status = 'ACTIVE'` },
  template: { table: 'templates', id: 'id', live: `account_id = @accountId` },
};

export interface TaggedResource {
  id: string;
  tags: Tag[];
}

export const resourceTags = {
  // The given resources that exist, with their tags; unknown ids are left out.
  async of(db: Db, type: TaggableType, scope: TagScope, ids: readonly string[]): Promise<Map<string, Tag[]>> {
    const t = TABLES[type];
    const rows = await db.all<{ id: string; tags: string }>(
      `SELECT ${t.id} AS id, tags FROM ${t.table} WHERE ${t.live} AND ${t.id} IN (SELECT value FROM json_each(@ids))`,
      { ...scope, ids: JSON.stringify(ids) },
    );
    return new Map(rows.map((r) => [r.id, JSON.parse(r.tags) as Tag[]]));
  },

  // Every live resource of the type that has a tag, oldest first.
  async tagged(db: Db, type: TaggableType, scope: TagScope): Promise<TaggedResource[]> {
    const t = TABLES[type];
    const rows = await db.all<{ id: string; tags: string }>(`SELECT ${t.id} AS id, tags FROM ${t.table} WHERE ${t.live} AND tags <> '[]' ORDER BY rowid`, { ...scope });
    return rows.map((r) => ({ id: r.id, tags: JSON.parse(r.tags) as Tag[] }));
  },

  async set(db: Db, type: TaggableType, scope: TagScope, id: string, tags: readonly Tag[]): Promise<void> {
    const t = TABLES[type];
    await db.run(`UPDATE ${t.table} SET tags = @tags WHERE ${t.live} AND ${t.id} = @id`, { ...scope, id, tags: JSON.stringify(tags) });
  },
};
