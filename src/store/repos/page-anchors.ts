// Deep pages of a group's instances without walking OFFSET rows: SQLite steps over every
// skipped row, so the last page of 100,000 instances cost 10× the first. The key of every
// ANCHOR_EVERY-th instance, in page order, is kept per group; a page starts its range scan at
// the anchor below its offset and skips fewer than ANCHOR_EVERY rows. Anchors are rebuilt in one
// statement when the group's membership version (migration 005) has moved.
import type { Db } from '../db.ts';

const ANCHOR_EVERY = 1000;

export interface InstanceKey {
  account_id: string;
  region_id: string;
}

interface Anchors {
  version: number;
  keys: InstanceKey[];
}

const anchorsByDb = new WeakMap<Db, Map<string, Anchors>>();

export interface PageStart {
  // Start the scan at this key (inclusive) and skip `skip` rows; no key: from the beginning.
  from?: InstanceKey;
  skip: number;
}

export async function pageStart(db: Db, groupId: string, version: number, offset: number): Promise<PageStart> {
  if (offset < ANCHOR_EVERY) return { skip: offset };
  let cache = anchorsByDb.get(db);
  if (!cache) anchorsByDb.set(db, (cache = new Map()));
  let anchors = cache.get(groupId);
  if (anchors?.version !== version) {
    anchors = await build(db, groupId);
    cache.set(groupId, anchors);
  }
  const index = Math.floor(offset / ANCHOR_EVERY);
  const from = anchors.keys[index];
  // Past the end: the page is empty however it is read.
  if (!from) return { skip: offset };
  return { from, skip: offset - index * ANCHOR_EVERY };
}

// In a transaction, so that no writer moves the membership between the version and the keys.
function build(db: Db, groupId: string): Promise<Anchors> {
  return db.transaction(async (tx) => {
    const version = (await tx.get<{ v: number }>(`SELECT membership_version AS v FROM stack_group_sizes WHERE group_id = @groupId`, { groupId }))?.v ?? 0;
    const keys = await tx.all<InstanceKey>(
      `SELECT account_id, region_id FROM (
         SELECT account_id, region_id, ROW_NUMBER() OVER (ORDER BY account_id, region_id) - 1 AS n FROM stack_instances WHERE group_id = @groupId
       ) AS numbered WHERE n % @every = 0 ORDER BY n`,
      { groupId, every: ANCHOR_EVERY },
    );
    return { version, keys };
  });
}
