// Tokens of wait condition handles and the signals they received (migration 019).
import { randomBytes } from 'node:crypto';
import type { Db } from '../db.ts';
import { multiRowInsert } from '../multi-row-insert.ts';

const HANDLES_PER_CHUNK = 200;
const insertHandles = multiRowInsert<{ stack_id: string; logical_id: string; token: string }>(
  'wait_condition_handles',
  ['stack_id', 'logical_id', 'token'],
  HANDLES_PER_CHUNK,
  'ON CONFLICT (stack_id, logical_id) DO NOTHING',
);
// Lets waiting requests run between chunks.
const handBack = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface WaitSignal {
  handle: string;
  id: string;
  seq: number;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING';
  reason: string | null;
  data: string | null;
  receivedMs: number;
}

interface SignalRow {
  handle: string;
  signal_id: string;
  seq: number;
  status: WaitSignal['status'];
  reason: string | null;
  data: string | null;
  received_ms: number;
}

export const waitConditions = {
  // The tokens of the stack's handles, made (random, kept for good) for those that have none.
  // Written a chunk per transaction, the event loop handed back between chunks: one statement
  // (and commit) per handle held the server for ~40 ms with 3,000 handles (issue 18).
  async tokens(db: Db, stackId: string, logicalIds: readonly string[]): Promise<Map<string, string>> {
    for (let from = 0; from < logicalIds.length; from += HANDLES_PER_CHUNK) {
      const rows = logicalIds.slice(from, from + HANDLES_PER_CHUNK).map((logical_id) => ({ stack_id: stackId, logical_id, token: randomBytes(24).toString('hex') }));
      await db.transaction((tx) => insertHandles(tx, rows));
      if (from + HANDLES_PER_CHUNK < logicalIds.length) await handBack();
    }
    const rows = await db.all<{ logical_id: string; token: string }>(`SELECT logical_id, token FROM wait_condition_handles WHERE stack_id = @stackId`, { stackId });
    return new Map(rows.map((r) => [r.logical_id, r.token]));
  },

  async token(db: Db, stackId: string, logicalId: string): Promise<string | undefined> {
    const row = await db.get<{ token: string }>(`SELECT token FROM wait_condition_handles WHERE stack_id = @stackId AND logical_id = @logicalId`, { stackId, logicalId });
    return row?.token;
  },

  // A signal with the id of an earlier one replaces it. Answers the id given to it.
  async addSignal(db: Db, stackId: string, s: Omit<WaitSignal, 'seq' | 'id'> & { id?: string }): Promise<string> {
    const { n } = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM wait_condition_signals WHERE stack_id = @stackId AND handle = @handle`, { stackId, handle: s.handle }))!;
    const id = s.id ?? String(n + 1);
    await db.run(
      `INSERT INTO wait_condition_signals (stack_id, handle, signal_id, seq, status, reason, data, received_ms)
       VALUES (@stackId, @handle, @id, @seq, @status, @reason, @data, @receivedMs)
       ON CONFLICT (stack_id, handle, signal_id) DO UPDATE SET status = excluded.status, reason = excluded.reason, data = excluded.data, received_ms = excluded.received_ms`,
      { stackId, handle: s.handle, id, seq: n + 1, status: s.status, reason: s.reason, data: s.data, receivedMs: s.receivedMs },
    );
    return id;
  },

  async signals(db: Db, stackId: string): Promise<WaitSignal[]> {
    const rows = await db.all<SignalRow>(
      `SELECT handle, signal_id, seq, status, reason, data, received_ms FROM wait_condition_signals WHERE stack_id = @stackId ORDER BY seq`,
      { stackId },
    );
    return rows.map((r) => ({ handle: r.handle, id: r.signal_id, seq: r.seq, status: r.status, reason: r.reason, data: r.data, receivedMs: r.received_ms }));
  },
};
