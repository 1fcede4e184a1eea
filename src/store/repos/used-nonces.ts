import type { Db } from '../db.ts';

export interface UsedNonce {
  key: string;
  until_ms: number;
}

// Rows per INSERT: SQLite allows 32,766 bound parameters.
const ROWS_PER_STATEMENT = 500;

export const usedNonces = {
  // The nonces still inside their window, oldest window end first (the cache's eviction order).
  async live(db: Db, nowMs: number): Promise<UsedNonce[]> {
    return db.all<UsedNonce>(`SELECT key, until_ms FROM used_nonces WHERE until_ms >= @nowMs ORDER BY until_ms`, { nowMs });
  },

  async upsert(db: Db, rows: readonly UsedNonce[]): Promise<void> {
    for (let from = 0; from < rows.length; from += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(from, from + ROWS_PER_STATEMENT);
      const params: Record<string, unknown> = {};
      const values = chunk.map((row, i) => {
        params[`k${i}`] = row.key;
        params[`u${i}`] = row.until_ms;
        return `(@k${i}, @u${i})`;
      });
      await db.run(`INSERT INTO used_nonces (key, until_ms) VALUES ${values.join(', ')} ON CONFLICT (key) DO UPDATE SET until_ms = excluded.until_ms`, params);
    }
  },

  // Claims a nonce for all the replicas of a shared database: false when another request holds
  // it and its window is still open.
  async claim(db: Db, key: string, nowMs: number, untilMs: number): Promise<boolean> {
    const { changes } = await db.run(
      `INSERT INTO used_nonces (key, until_ms) VALUES (@key, @untilMs)
       ON CONFLICT (key) DO UPDATE SET until_ms = excluded.until_ms WHERE used_nonces.until_ms < @nowMs`,
      { key, untilMs, nowMs },
    );
    return changes > 0;
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
