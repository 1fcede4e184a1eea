import type { HeldTarget } from '../../domain/fault.ts';
import type { Db } from '../db.ts';

// Targets held by hold faults, per replica (migration 022, engine/fault-registry.ts). A replica
// is alive while its heartbeat is (migration 021, engine/target-sharing.ts): it may hold a target
// of an operation another replica coordinates.
const LIVE_REPLICA = `EXISTS (SELECT 1 FROM replicas r WHERE r.id = held_targets.replica AND r.expires_ms > @nowMs)`;

export const heldTargets = {
  async insert(db: Db, faultId: string, replica: string, target: HeldTarget): Promise<void> {
    await db.run(`INSERT INTO held_targets (fault_id, replica, target) VALUES (@faultId, @replica, @target)`, { faultId, replica, target: JSON.stringify(target) });
  },

  async removeFault(db: Db, faultId: string): Promise<void> {
    await db.run(`DELETE FROM held_targets WHERE fault_id = @faultId`, { faultId });
  },

  // Held targets of live replicas, by fault, and whether rows of dead replicas are left.
  async live(db: Db, nowMs: number): Promise<{ byFault: Map<string, HeldTarget[]>; dead: boolean }> {
    const rows = await db.all<{ fault_id: string; target: string; live: number }>(`SELECT fault_id, target, ${LIVE_REPLICA} AS live FROM held_targets ORDER BY rowid`, { nowMs });
    const byFault = new Map<string, HeldTarget[]>();
    for (const r of rows.filter((row) => row.live)) {
      const list = byFault.get(r.fault_id) ?? [];
      list.push(JSON.parse(r.target) as HeldTarget);
      byFault.set(r.fault_id, list);
    }
    return { byFault, dead: rows.some((r) => !r.live) };
  },

  // The rows of replicas that died holding targets.
  async removeDead(db: Db, nowMs: number): Promise<void> {
    await db.run(`DELETE FROM held_targets WHERE NOT ${LIVE_REPLICA}`, { nowMs });
  },
};
