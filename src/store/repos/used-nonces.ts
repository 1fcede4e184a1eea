import type { Db } from '../db.ts';
import { multiRowInsert } from '../multi-row-insert.ts';

export interface UsedNonce {
  key: string;
  until_ms: number;
}

// Positional rows, 50 a statement: a flush every 50 ms under load writes hundreds of rows, and
// naming each value (`@k0`, `@u0`, …) cost more than the insert. Every distinct row count is a
// statement the driver keeps prepared, so the chunk stays small (at most 50 such statements).
const insertNonces = multiRowInsert<UsedNonce>('used_nonces', ['key', 'until_ms'], 50, 'ON CONFLICT (key) DO UPDATE SET until_ms = excluded.until_ms');

export const usedNonces = {
  // The nonces still inside their window, oldest window end first (the cache's eviction order).
  async live(db: Db, nowMs: number): Promise<UsedNonce[]> {
    return db.all<UsedNonce>(`SELECT key, until_ms FROM used_nonces WHERE until_ms >= @nowMs ORDER BY until_ms`, { nowMs });
  },

  async upsert(db: Db, rows: readonly UsedNonce[]): Promise<void> {
    await insertNonces(db, rows);
  },

  async forgetExpired(db: Db, nowMs: number): Promise<void> {
    await db.run(`DELETE FROM used_nonces WHERE until_ms < @nowMs`, { nowMs });
  },

  // Keeps the `keep` rows whose windows end last, as the in-memory cache does.
  async keepNewest(db: Db, keep: number): Promise<void> {
    await db.run(
      `DELETE FROM used_nonces WHERE key IN (SELECT key FROM used_nonces ORDER BY until_ms DESC LIMIT 2147483647 OFFSET @keep)`,
      { keep },
    );
  },
};
