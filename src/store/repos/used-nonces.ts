import type { Db } from '../db.ts';

export interface UsedNonce {
  key: string;
  until_ms: number;
}

// A flush writes one row, a batch of the claims since the last (migration 023). The rows of
// used_nonces are read too: those a flush wrote before batches, keyed by the end of their window
// first (`<until_ms, 15 digits> <key>`, or in their first form the bare key), and the claims of
// replicas sharing a database (`claim`), which need the bare key unique. A row is prefixed when
// its key starts with its own window end.
const UNTIL_DIGITS = 15;
const untilPrefix = (untilMs: number) => `${String(untilMs).padStart(UNTIL_DIGITS, '0')} `;

const cacheKey = (row: UsedNonce): string => {
  const prefix = untilPrefix(row.until_ms);
  // The prefixed layout, or its first form, which joined the window end with NUL.
  if (row.key.startsWith(prefix) || row.key.startsWith(`${prefix.slice(0, UNTIL_DIGITS)}\u0000`)) return row.key.slice(UNTIL_DIGITS + 1);
  // Rows of the first layout held `access key NUL nonce`; the cache now keys `access key SPACE
  // percent-encoded nonce` (PostgreSQL text holds no NUL), so they are read in the cache's form.
  const nul = row.key.indexOf('\u0000');
  return nul < 0 ? row.key : `${row.key.slice(0, nul)} ${encodeURIComponent(row.key.slice(nul + 1))}`;
};

export const usedNonces = {
  // The nonces still inside their window, each once (its latest window end), oldest window end
  // first (the cache's eviction order): the batches' and the rows'.
  async live(db: Db, nowMs: number): Promise<UsedNonce[]> {
    const latest = new Map<string, number>();
    const keep = (key: string, until: number) => {
      if (until >= nowMs && !((latest.get(key) ?? -Infinity) >= until)) latest.set(key, until);
    };
    for (const row of await db.all<UsedNonce>(`SELECT key, until_ms FROM used_nonces WHERE until_ms >= @nowMs`, { nowMs })) keep(cacheKey(row), row.until_ms);
    for (const { nonces } of await db.all<{ nonces: string }>(`SELECT nonces FROM used_nonce_batches WHERE until_ms >= @nowMs`, { nowMs })) {
      const flat = JSON.parse(nonces) as (number | string)[];
      for (let i = 0; i < flat.length; i += 2) keep(flat[i + 1] as string, flat[i] as number);
    }
    return [...latest].map(([key, until_ms]) => ({ key, until_ms })).sort((a, b) => a.until_ms - b.until_ms);
  },

  // One row for the claims of a flush (migration 023): a statement and a few pages, where a row
  // per nonce cost three B-tree inserts each (bench/README.md, API).
  async append(db: Db, keys: readonly string[], untilOf: (key: string) => number | undefined): Promise<void> {
    const flat: (number | string)[] = [];
    let latest = -Infinity;
    for (const key of keys) {
      const until = untilOf(key);
      if (until === undefined) continue;
      flat.push(until, key);
      if (until > latest) latest = until;
    }
    if (flat.length === 0) return;
    await db.run(`INSERT INTO used_nonce_batches (until_ms, nonces) VALUES (@latest, @nonces)`, { latest, nonces: JSON.stringify(flat) });
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

  // Rows and batches whose window ends before `beforeMs`: the expired ones, and those the cache
  // forgot for its size bound (its store keeps what it remembers). A batch goes with its latest
  // window end; until then `live` leaves out its nonces that have expired.
  async forgetExpired(db: Db, beforeMs: number): Promise<void> {
    await db.run(`DELETE FROM used_nonces WHERE until_ms < @beforeMs`, { beforeMs });
    await db.run(`DELETE FROM used_nonce_batches WHERE until_ms < @beforeMs`, { beforeMs });
  },
};
