import type { Db } from '../db.ts';

// Who runs an operation, until when (migration 020, engine/leases.ts). Times are ms since epoch.
export const operationLeases = {
  // Takes the lease if it is free, expired, or already ours; true when taken.
  async claim(db: Db, operationId: string, owner: string, nowMs: number, untilMs: number): Promise<boolean> {
    const { changes } = await db.run(
      `INSERT INTO operation_leases (operation_id, owner, expires_ms) VALUES (@operationId, @owner, @untilMs)
       ON CONFLICT (operation_id) DO UPDATE SET owner = excluded.owner, expires_ms = excluded.expires_ms
       WHERE operation_leases.expires_ms < @nowMs OR operation_leases.owner = excluded.owner`,
      { operationId, owner, nowMs, untilMs },
    );
    return changes > 0;
  },

  // Extends the leases still ours among `operationIds`; the ids it extended.
  async renew(db: Db, owner: string, operationIds: readonly string[], untilMs: number): Promise<Set<string>> {
    const ids = JSON.stringify(operationIds);
    await db.run(`UPDATE operation_leases SET expires_ms = @untilMs WHERE owner = @owner AND operation_id IN (SELECT value FROM json_each(@ids))`, {
      owner,
      ids,
      untilMs,
    });
    const rows = await db.all<{ id: string }>(
      `SELECT operation_id AS id FROM operation_leases WHERE owner = @owner AND operation_id IN (SELECT value FROM json_each(@ids))`,
      { owner, ids },
    );
    return new Set(rows.map((r) => r.id));
  },

  // The status of each of `operationIds` whose lease is still ours: inside an engine turn, the
  // fence that keeps a replica that lost a lease from writing, and how a Stop answered by another
  // replica is seen.
  async heldStatuses(db: Db, owner: string, operationIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await db.all<{ id: string; status: string }>(
      `SELECT o.id, o.status FROM operations o JOIN operation_leases l ON l.operation_id = o.id
       WHERE l.owner = @owner AND o.id IN (SELECT value FROM json_each(@ids))`,
      { owner, ids: JSON.stringify(operationIds) },
    );
    return new Map(rows.map((r) => [r.id, r.status]));
  },

  async release(db: Db, operationId: string): Promise<void> {
    await db.run(`DELETE FROM operation_leases WHERE operation_id = @operationId`, { operationId });
  },

  async releaseAll(db: Db, owner: string): Promise<void> {
    await db.run(`DELETE FROM operation_leases WHERE owner = @owner`, { owner });
  },

  // Operations in flight that no live lease covers: their replica died (or none claimed them).
  // Standalone stacks' operations are keyed `stack:<stack id>` (engine/stack-operations.ts).
  async orphans(db: Db, nowMs: number): Promise<string[]> {
    const groups = await db.all<{ id: string }>(
      `SELECT o.id FROM operations o LEFT JOIN operation_leases l ON l.operation_id = o.id
       WHERE o.status IN ('RUNNING', 'STOPPING') AND (l.operation_id IS NULL OR l.expires_ms < @nowMs) ORDER BY o.rowid`,
      { nowMs },
    );
    const stacks = await db.all<{ id: string }>(
      `SELECT 'stack:' || s.id AS id FROM stacks s LEFT JOIN operation_leases l ON l.operation_id = 'stack:' || s.id
       WHERE s.pending IS NOT NULL AND (l.operation_id IS NULL OR l.expires_ms < @nowMs) ORDER BY s.rowid`,
      { nowMs },
    );
    return [...groups, ...stacks].map((r) => r.id);
  },
};
