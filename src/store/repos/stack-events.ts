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

// The events one stack action appends, numbered from firstSeq (migration 017); `packed`: the same
// events already packed a row at a time (packEvents of each EVENTS_PER_ROW), by a writer that
// packed them ahead in slices.
export interface EventBatch {
  stackId: string;
  firstSeq: number;
  events: readonly StackEvent[];
  packed?: readonly string[];
}

// An action's events are stored EVENTS_PER_ROW to a row: SQLite writes one ~870 KB row (a
// 3,000-resource create's 6,002 events) 3–6× slower than the same bytes in rows of 1,000 events
// (~145 KB; bench/README.md, issue 18 round six), and that write is in the one transaction that
// records the target's result.
export const EVENTS_PER_ROW = 1000;

type Packed = [string, string, string | null, string, string | null, string];

// Events as stored: a JSON array of arrays.
export const packEvents = (events: readonly StackEvent[]): string =>
  JSON.stringify(events.map((e): Packed => [e.logical_resource_id, e.resource_type, e.physical_resource_id, e.status, e.status_reason, e.create_time]));

const insertBatches = multiRowInsert<{ stack_id: string; first_seq: number; event_count: number; events: string }>(
  'stack_event_batches',
  ['stack_id', 'first_seq', 'event_count', 'events'],
  100,
);

const matcher = (filter: EventFilter): ((e: Packed) => boolean) => {
  const statuses = filter.statuses?.length ? new Set(filter.statuses) : undefined;
  const types = filter.resourceTypes?.length ? new Set(filter.resourceTypes) : undefined;
  const ids = filter.logicalIds?.length ? new Set(filter.logicalIds) : undefined;
  return (e) => (!statuses || statuses.has(e[3])) && (!types || types.has(e[1])) && (!ids || ids.has(e[0]));
};

export const stackEvents = {
  // Events are numbered per stack in the order they happened; `firstSeq` is 0 for a stack that
  // has none yet, else found. Answers the number of the first appended event.
  async append(db: Db, stackId: string, events: readonly StackEvent[], firstSeq?: number, packed?: readonly string[]): Promise<number> {
    if (events.length === 0) return firstSeq ?? 0;
    const base =
      firstSeq ??
      (
        await db.get<{ n: number | null }>(
          `SELECT first_seq + event_count AS n FROM stack_event_batches WHERE stack_id = @stackId ORDER BY first_seq DESC LIMIT 1`,
          { stackId },
        )
      )?.n ??
      0;
    await this.appendAll(db, [{ stackId, firstSeq: base, events, ...(packed === undefined ? {} : { packed }) }]);
    return base;
  },

  // Drops the stack's events from number `seq` on (what an operation showed while it waited,
  // which it writes again). Batches never straddle it: an operation writes its own.
  async removeFrom(db: Db, stackId: string, seq: number): Promise<void> {
    await db.run(`DELETE FROM stack_event_batches WHERE stack_id = @stackId AND first_seq >= @seq`, { stackId, seq });
  },

  // Many stacks' batches at once (the targets finishing in one engine turn), each in rows of at
  // most EVENTS_PER_ROW events.
  async appendAll(db: Db, batches: readonly EventBatch[]): Promise<void> {
    const rows = [];
    for (const b of batches) {
      for (let from = 0, row = 0; from < b.events.length; from += EVENTS_PER_ROW, row++) {
        const part = b.events.length <= EVENTS_PER_ROW ? b.events : b.events.slice(from, from + EVENTS_PER_ROW);
        rows.push({ stack_id: b.stackId, first_seq: b.firstSeq + from, event_count: part.length, events: b.packed?.[row] ?? packEvents(part) });
      }
    }
    await insertBatches(db, rows);
  },

  // Newest first, as the ROS console lists them. A stack's events are read whole: a page is cut
  // from them after filtering.
  async page(db: Db, stackId: string, filter: EventFilter, limit: number, offset: number): Promise<{ rows: StoredStackEvent[]; total: number }> {
    const batches = await db.all<{ first_seq: number; events: string }>(
      `SELECT first_seq, events FROM stack_event_batches WHERE stack_id = @stackId ORDER BY first_seq DESC`,
      { stackId },
    );
    const matches = matcher(filter);
    const rows: StoredStackEvent[] = [];
    let total = 0;
    for (const b of batches) {
      const events = JSON.parse(b.events) as Packed[];
      for (let i = events.length - 1; i >= 0; i--) {
        const e = events[i]!;
        if (!matches(e)) continue;
        if (total >= offset && rows.length < limit) {
          rows.push({
            stack_id: stackId,
            seq: b.first_seq + i,
            logical_resource_id: e[0],
            resource_type: e[1],
            physical_resource_id: e[2],
            status: e[3],
            status_reason: e[4],
            create_time: e[5],
          });
        }
        total++;
      }
    }
    return { rows, total };
  },
};
