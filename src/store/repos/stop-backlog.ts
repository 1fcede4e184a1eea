import type { Db } from '../db.ts';
import type { OperationAction } from '../../engine/types.ts';
import type { TargetKey } from './stack-instances.ts';
import { valueRows } from '../multi-row-insert.ts';

// Stopped operations whose unstarted results (and their instances) are yet to be written
// CANCELLED (migration 018). `next_seq`: results below it are written.
export interface StopBacklogRow {
  operation_id: string;
  group_id: string;
  action: OperationAction;
  next_seq: number;
}

const SELECT = `SELECT b.operation_id, b.group_id, o.action, b.next_seq FROM stop_backlog b JOIN operations o ON o.id = b.operation_id`;

export const stopBacklog = {
  async add(db: Db, operationId: string, groupId: string): Promise<void> {
    await db.run(`INSERT INTO stop_backlog (operation_id, group_id) VALUES (@operationId, @groupId) ON CONFLICT (operation_id) DO NOTHING`, { operationId, groupId });
  },

  // The oldest stop still to write of an operation that has ended (STOPPED).
  async firstStopped(db: Db): Promise<StopBacklogRow | undefined> {
    return db.get<StopBacklogRow>(`${SELECT} WHERE o.status = 'STOPPED' ORDER BY b.rowid LIMIT 1`);
  },

  // A group has at most one: a group's backlog is written whole before its next operation.
  async forGroup(db: Db, groupId: string): Promise<StopBacklogRow | undefined> {
    return db.get<StopBacklogRow>(`${SELECT} WHERE b.group_id = @groupId LIMIT 1`, { groupId });
  },

  async advance(db: Db, operationId: string, nextSeq: number): Promise<void> {
    await db.run(`UPDATE stop_backlog SET next_seq = @nextSeq WHERE operation_id = @operationId`, { operationId, nextSeq });
  },

  async remove(db: Db, operationId: string): Promise<void> {
    await db.run(`DELETE FROM stop_backlog WHERE operation_id = @operationId`, { operationId });
  },

  // The results numbered [from, to) still PENDING: their instances first (the join needs them
  // PENDING), then the results themselves. Two statements whatever the chunk's size.
  async cancelRange(db: Db, b: StopBacklogRow, from: number, to: number, reason: string, withInstances: boolean): Promise<number> {
    if (withInstances) {
      await db.run(
        `UPDATE stack_instances SET status = 'OUTDATED', status_reason = @reason
         FROM (SELECT account_id, region_id FROM operation_results
               WHERE operation_id = @operationId AND seq >= @from AND seq < @to AND status = 'PENDING') AS r
         WHERE stack_instances.group_id = @groupId AND stack_instances.account_id = r.account_id AND stack_instances.region_id = r.region_id`,
        { reason, operationId: b.operation_id, from, to, groupId: b.group_id },
      );
    }
    const { changes } = await db.run(
      `UPDATE operation_results SET status = 'CANCELLED', status_reason = @reason
       WHERE operation_id = @operationId AND seq >= @from AND seq < @to AND status = 'PENDING'`,
      { reason, operationId: b.operation_id, from, to },
    );
    return changes;
  },

  // Of these targets, those whose result in the operation, from `next_seq` on (as read), is
  // PENDING, or was written CANCELLED for the stop since `b` was read (a chunk committed between
  // the caller's reads: its instances may have been read before it). One pass over the
  // unwritten results (results have no index by target): it runs only while a stop is being
  // written, for the instances a read returns.
  async cancelledAmong(db: Db, b: StopBacklogRow, reason: string, targets: readonly TargetKey[]): Promise<{ account_id: string; region_id: string }[]> {
    if (!targets.length) return [];
    const values: unknown[] = [b.operation_id, b.next_seq, reason];
    for (const t of targets) values.push(t.accountId, t.regionId);
    return db.all(
      `SELECT account_id, region_id FROM operation_results
       WHERE operation_id = ? AND seq >= ? AND (status = 'PENDING' OR (status = 'CANCELLED' AND status_reason = ?))
         AND (account_id, region_id) IN (VALUES ${valueRows(targets.length, 2)})`,
      values,
    );
  },
};
