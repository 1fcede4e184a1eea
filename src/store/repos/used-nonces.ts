import type { Db } from '../db.ts';
import { multiRowInsert } from '../multi-row-insert.ts';

export interface UsedNonce {
  key: string;
  until_ms: number;
}

// Rows are keyed by the end of their window first (`<until_ms, 15 digits> <key>`), so that the
// claims of one flush, all ending within a few ms of each other, land at the end of the key
// index instead of on one random page each: under load a flush wrote hundreds of index pages
// every 50 ms (17 µs of CPU per nonce, and the event loop waited tens of ms on each commit);
// in time order it touches a few (2.3 µs per nonce), bench/README.md. The cache's own key
// (access key, space, nonce) is unique in memory, where a lone server checks claims; its store
// is read back only at start. Rows without the prefix (written before this layout, or claimed
// through `claim` by replicas sharing a database, which need the bare key unique) read as they
// are: a row is prefixed when its key starts with its own window end.
const UNTIL_DIGITS = 15;
const untilPrefix = (untilMs: number) => `${String(untilMs).padStart(UNTIL_DIGITS, '0')} `;

const stored = (row: UsedNonce) => ({ key: untilPrefix(row.until_ms) + row.key, until_ms: row.until_ms });
const cacheKey = (row: UsedNonce): string => {
  const prefix = untilPrefix(row.until_ms);
  // This layout, or its first form, which joined the window end with NUL.
  if (row.key.startsWith(prefix) || row.key.startsWith(`${prefix.slice(0, UNTIL_DIGITS)}\u0000`)) return row.key.slice(UNTIL_DIGITS + 1);
  // Rows of the first layout held `access key NUL nonce`; the cache now keys `access key SPACE
  // percent-encoded nonce` (PostgreSQL text holds no NUL), so they are read in the cache's form.
  const nul = row.key.indexOf('\u0000');
  return nul < 0 ? row.key : `${row.key.slice(0, nul)} ${encodeURIComponent(row.key.slice(nul + 1))}`;
};

// Positional rows, 50 a statement: naming each value (`@k0`, `@u0`, …) cost more than the
// insert. Every distinct row count is a statement the driver keeps prepared, so the chunk stays
// small (at most 50 such statements).
const insertNonces = multiRowInsert<UsedNonce>('used_nonces', ['key', 'until_ms'], 50, 'ON CONFLICT (key) DO UPDATE SET until_ms = excluded.until_ms');

export const usedNonces = {
  // The nonces still inside their window, oldest window end first (the cache's eviction order).
  async live(db: Db, nowMs: number): Promise<UsedNonce[]> {
    const rows = await db.all<UsedNonce>(`SELECT key, until_ms FROM used_nonces WHERE until_ms >= @nowMs ORDER BY until_ms`, { nowMs });
    return rows.map((row) => ({ key: cacheKey(row), until_ms: row.until_ms }));
  },

  async upsert(db: Db, rows: readonly UsedNonce[]): Promise<void> {
    await insertNonces(db, rows.map(stored));
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

  // Rows whose window ends before `beforeMs`: the expired ones, and those the cache forgot for
  // its size bound (its store keeps what it remembers).
  async forgetExpired(db: Db, beforeMs: number): Promise<void> {
    await db.run(`DELETE FROM used_nonces WHERE until_ms < @beforeMs`, { beforeMs });
  },
};
