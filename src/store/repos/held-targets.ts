import type { HeldTarget } from '../../domain/fault.ts';
import type { Db } from '../db.ts';

// Targets held by hold faults, per replica (migration 022, engine/fault-registry.ts). A replica
// is alive while it holds an unexpired operation lease: every held target belongs to an
// operation that its replica runs under a lease.
const LIVE_REPLICA = `EXISTS (SELECT 1 FROM operation_leases l WHERE l.owner = held_targets.replica AND l.expires_ms > @nowMs)`;

export const heldTargets = {
  async insert(db: Db, faultId: string, replica: string, target: HeldTarget): Promise<void> {
    await db.run(`INSERT INTO held_targets (fault_id, replica, target) VALUES (@faultId, @replica, @target)`, { faultId, replica, target: JSON.stringify(target) });
  },

  async removeFault(db: Db, faultId: string): Promise<void> {
    await db.run(`DELETE FROM held_targets WHERE fault_id = @faultId`, { faultId });
  },

  // Held targets of live replicas, by fault.
  async live(db: Db, nowMs: number): Promise<Map<string, HeldTarget[]>> {
    const rows = await db.all<{ fault_id: string; target: string }>(`SELECT fault_id, target FROM held_targets WHERE ${LIVE_REPLICA} ORDER BY rowid`, { nowMs });
    const byFault = new Map<string, HeldTarget[]>();
    for (const r of rows) {
      const list = byFault.get(r.fault_id) ?? [];
      list.push(JSON.parse(r.target) as HeldTarget);
      byFault.set(r.fault_id, list);
    }
    return byFault;
  },

  // The rows of replicas that died holding targets.
  async removeDead(db: Db, nowMs: number): Promise<number> {
    return (await db.run(`DELETE FROM held_targets WHERE NOT ${LIVE_REPLICA}`, { nowMs })).changes;
  },
};
