import type { Db } from '../db.ts';
import { multiRowInsert } from '../multi-row-insert.ts';

export interface StackEvent {
  logical_resource_id: string;
  resource_type: string;
  physical_resource_id: string | null;
  status: string;
  status_reason: string | null;
  create_time: string;
}

export interface StoredStackEvent extends StackEvent {
  stack_id: string;
  seq: number;
}

export interface EventFilter {
  statuses?: string[];
  resourceTypes?: string[];
  logicalIds?: string[];
}

const list = (items: string[] | undefined): string | null => (items?.length ? JSON.stringify(items) : null);

const WHERE = `stack_id = @stackId
  AND (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
  AND (@types IS NULL OR resource_type IN (SELECT value FROM json_each(@types)))
  AND (@ids IS NULL OR logical_resource_id IN (SELECT value FROM json_each(@ids)))`;

// Multi-row statements: SQLite's JSON functions, which would take any count of events in one
// statement, cost more than the statements they save.
const insertEvents = multiRowInsert<StoredStackEvent>(
  'stack_events',
  ['stack_id'],
  ['seq', 'logical_resource_id', 'resource_type', 'physical_resource_id', 'status', 'status_reason', 'create_time'],
  50,
);

export const stackEvents = {
  // Events are numbered per stack in the order they happened; `firstSeq` is 0 for a stack that
  // has none yet, else found.
  // Answers the number of the first appended event.
  async append(db: Db, stackId: string, events: readonly StackEvent[], firstSeq?: number): Promise<number> {
    if (events.length === 0) return firstSeq ?? 0;
    const base =
      firstSeq ?? ((await db.get<{ n: number | null }>(`SELECT MAX(seq) AS n FROM stack_events WHERE stack_id = @stackId`, { stackId }))?.n ?? -1) + 1;
    await insertEvents(db, { stack_id: stackId }, events.map((e, i) => ({ ...e, stack_id: stackId, seq: base + i })));
    return base;
  },

  // Newest first, as the ROS console lists them.
  async page(db: Db, stackId: string, filter: EventFilter, limit: number, offset: number): Promise<{ rows: StoredStackEvent[]; total: number }> {
    const params = { stackId, statuses: list(filter.statuses), types: list(filter.resourceTypes), ids: list(filter.logicalIds), limit, offset };
    const rows = await db.all<StoredStackEvent>(`SELECT * FROM stack_events WHERE ${WHERE} ORDER BY seq DESC LIMIT @limit OFFSET @offset`, params);
    const total = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM stack_events WHERE ${WHERE}`, params))?.n ?? 0;
    return { rows, total };
  },
};
