import type { Db } from '../db.ts';
import { multiRowInsert, placeholders } from '../multi-row-insert.ts';

// Replicas' heartbeats, target assignments and workers' outcomes (migration 021,
// engine/target-sharing.ts). Times are ms since epoch.
export interface Assignment {
  operation_id: string;
  seq: number;
  account_id: string;
  region_id: string;
  worker: string;
}

export interface HandedOutcome {
  seq: number;
  account_id: string;
  region_id: string;
  outcome: string;
}

const insertAssignments = multiRowInsert<Assignment>(
  'target_assignments',
  ['operation_id', 'seq', 'account_id', 'region_id', 'worker'],
  100,
  'ON CONFLICT (operation_id, seq) DO UPDATE SET worker = excluded.worker',
);

export const replicas = {
  async beat(db: Db, id: string, untilMs: number): Promise<void> {
    await db.run(`INSERT INTO replicas (id, expires_ms) VALUES (@id, @untilMs) ON CONFLICT (id) DO UPDATE SET expires_ms = excluded.expires_ms`, { id, untilMs });
  },

  async live(db: Db, nowMs: number): Promise<string[]> {
    return (await db.all<{ id: string }>(`SELECT id FROM replicas WHERE expires_ms >= @nowMs ORDER BY id`, { nowMs })).map((r) => r.id);
  },

  async leave(db: Db, id: string): Promise<void> {
    await db.run(`DELETE FROM replicas WHERE id = @id`, { id });
  },
};

export const assignments = {
  insert: insertAssignments,

  async ofWorker(db: Db, worker: string): Promise<Assignment[]> {
    return db.all<Assignment>(`SELECT * FROM target_assignments WHERE worker = @worker`, { worker });
  },

  // With whether the worker has handed its outcome back (1) or not (0).
  async ofOperation(db: Db, operationId: string): Promise<(Assignment & { handed: number })[]> {
    return db.all<Assignment & { handed: number }>(
      `SELECT a.*, CASE WHEN EXISTS (SELECT 1 FROM target_outcomes o WHERE o.operation_id = a.operation_id AND o.seq = a.seq AND o.worker = a.worker)
         THEN 1 ELSE 0 END AS handed
       FROM target_assignments a WHERE a.operation_id = @operationId`,
      { operationId },
    );
  },

  // Targets whose outcome the coordinator wrote: their assignment and any outcome left by a
  // worker that was replaced.
  async release(db: Db, operationId: string, seqs: readonly number[]): Promise<void> {
    if (!seqs.length) return;
    const list = placeholders(seqs.length);
    await db.run(`DELETE FROM target_assignments WHERE operation_id = ? AND seq IN (${list})`, [operationId, ...seqs]);
    await db.run(`DELETE FROM target_outcomes WHERE operation_id = ? AND seq IN (${list})`, [operationId, ...seqs]);
  },

  async releaseOperation(db: Db, operationId: string): Promise<void> {
    await db.run(`DELETE FROM target_assignments WHERE operation_id = @operationId`, { operationId });
    await db.run(`DELETE FROM target_outcomes WHERE operation_id = @operationId`, { operationId });
  },

  // The targets of operations whose lease `owner` holds that are assigned to a replica not in
  // `live` and have no outcome from it: their worker died before finishing them.
  async orphaned(db: Db, owner: string, live: readonly string[]): Promise<Assignment[]> {
    return db.all<Assignment>(
      `SELECT a.* FROM target_assignments a JOIN operation_leases l ON l.operation_id = a.operation_id
       WHERE l.owner = @owner AND a.worker NOT IN (SELECT value FROM json_each(@live))
       AND NOT EXISTS (SELECT 1 FROM target_outcomes o WHERE o.operation_id = a.operation_id AND o.seq = a.seq AND o.worker = a.worker)`,
      { owner, live: JSON.stringify(live) },
    );
  },
};

export const handedOutcomes = {
  // Counts only while the target is still assigned to `worker` (the fence against a worker that
  // was replaced); false when it was not recorded.
  async record(db: Db, operationId: string, seq: number, worker: string, outcome: string): Promise<boolean> {
    const { changes } = await db.run(
      `INSERT INTO target_outcomes (operation_id, seq, worker, outcome)
       SELECT CAST(@operationId AS TEXT), CAST(@seq AS INTEGER), CAST(@worker AS TEXT), CAST(@outcome AS TEXT) WHERE EXISTS
         (SELECT 1 FROM target_assignments WHERE operation_id = @operationId AND seq = @seq AND worker = @worker)
       ON CONFLICT (operation_id, seq, worker) DO NOTHING`,
      { operationId, seq, worker, outcome },
    );
    return changes > 0;
  },

  // Which of `operationIds` have outcomes waiting.
  async waiting(db: Db, operationIds: readonly string[]): Promise<string[]> {
    const rows = await db.all<{ id: string }>(
      `SELECT DISTINCT operation_id AS id FROM target_outcomes WHERE operation_id IN (SELECT value FROM json_each(@ids))`,
      { ids: JSON.stringify(operationIds) },
    );
    return rows.map((r) => r.id);
  },

  // The outcomes of the operation's current workers, taken (stale ones are dropped with them).
  async take(db: Db, operationId: string): Promise<HandedOutcome[]> {
    const rows = await db.all<HandedOutcome>(
      `SELECT o.seq, a.account_id, a.region_id, o.outcome FROM target_outcomes o
       JOIN target_assignments a ON a.operation_id = o.operation_id AND a.seq = o.seq AND a.worker = o.worker
       WHERE o.operation_id = @operationId`,
      { operationId },
    );
    await db.run(`DELETE FROM target_outcomes WHERE operation_id = @operationId`, { operationId });
    return rows;
  },
};
