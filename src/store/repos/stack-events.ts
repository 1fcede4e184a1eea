import type { Db } from '../db.ts';

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

const EVENT_COLUMNS = ['logical_resource_id', 'resource_type', 'physical_resource_id', 'status', 'status_reason', 'create_time'] as const;
const MAX_EVENTS_PER_STATEMENT = 50;
const insertSql = new Map<number, string>();

function insertEvents(count: number): string {
  let sql = insertSql.get(count);
  if (!sql) {
    const rows = Array.from({ length: count }, (_, i) => `(@stack_id, @seq${i}, ${EVENT_COLUMNS.map((c) => `@${c}${i}`).join(', ')})`);
    sql = `INSERT INTO stack_events (stack_id, seq, ${EVENT_COLUMNS.join(', ')}) VALUES ${rows.join(', ')}`;
    insertSql.set(count, sql);
  }
  return sql;
}

export const stackEvents = {
  // Events are numbered per stack in the order they happened; `firstSeq` is 0 for a stack that
  // has none yet, else found. One multi-row statement per count of events: SQLite's JSON
  // functions, which would take any count, cost more than the statements they save.
  async append(db: Db, stackId: string, events: readonly StackEvent[], firstSeq?: number): Promise<void> {
    if (events.length === 0) return;
    const base =
      firstSeq ?? ((await db.get<{ n: number | null }>(`SELECT MAX(seq) AS n FROM stack_events WHERE stack_id = @stackId`, { stackId }))?.n ?? -1) + 1;
    for (let from = 0; from < events.length; from += MAX_EVENTS_PER_STATEMENT) {
      const chunk = events.slice(from, from + MAX_EVENTS_PER_STATEMENT);
      const params: Record<string, unknown> = { stack_id: stackId };
      chunk.forEach((e, i) => {
        params[`seq${i}`] = base + from + i;
        for (const column of EVENT_COLUMNS) params[`${column}${i}`] = e[column];
      });
      await db.run(insertEvents(chunk.length), params);
    }
  },

  // Newest first, as the ROS console lists them.
  async page(db: Db, stackId: string, filter: EventFilter, limit: number, offset: number): Promise<{ rows: StoredStackEvent[]; total: number }> {
    const params = { stackId, statuses: list(filter.statuses), types: list(filter.resourceTypes), ids: list(filter.logicalIds), limit, offset };
    const rows = await db.all<StoredStackEvent>(`SELECT * FROM stack_events WHERE ${WHERE} ORDER BY seq DESC LIMIT @limit OFFSET @offset`, params);
    const total = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM stack_events WHERE ${WHERE}`, params))?.n ?? 0;
    return { rows, total };
  },
};
