import type { Db } from '../db.ts';
import type { TargetKey } from './stack-instances.ts';

// Drift state across stacks, results and groups (migration 003).
export const driftRows = {
  async driftedResources(db: Db, stackId: string): Promise<number> {
    return (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM stack_resources WHERE stack_id = @stackId AND drift IS NOT NULL`, { stackId }))?.n ?? 0;
  },

  // The stack of an instance, found by the instance's key in the same statement.
  async setStackOf(db: Db, groupId: string, target: TargetKey, status: string, time: string): Promise<void> {
    await db.run(
      `UPDATE stacks SET drift_status = @status, drift_time = @time
       WHERE id = (SELECT stack_id FROM stack_instances WHERE group_id = @groupId AND account_id = @accountId AND region_id = @regionId)`,
      { groupId, accountId: target.accountId, regionId: target.regionId, status, time },
    );
  },

  async resultCounts(db: Db, operationId: string): Promise<{ status: string; drift_status: string | null; n: number }[]> {
    return db.all(`SELECT status, drift_status, COUNT(*) AS n FROM operation_results WHERE operation_id = @operationId GROUP BY status, drift_status`, { operationId });
  },

  async setGroupDetail(db: Db, groupId: string, detail: string): Promise<void> {
    await db.run(`UPDATE stack_groups SET drift_detail = @detail WHERE id = @groupId`, { groupId, detail });
  },
};
