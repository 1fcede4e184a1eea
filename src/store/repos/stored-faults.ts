import type { FaultEffect, StoredFault as Fault } from '../../domain/fault.ts';
import type { Db } from '../db.ts';

interface FaultRow {
  id: string;
  match: string;
  effect: FaultEffect;
  message: string | null;
  delay_ms: number | null;
  times_remaining: number | null;
  create_time: string;
}

const fromRow = (r: FaultRow): Fault => ({
  id: r.id,
  match: JSON.parse(r.match),
  effect: r.effect,
  message: r.message,
  delayMs: r.delay_ms,
  timesRemaining: r.times_remaining,
  createTime: r.create_time,
});

export const faults = {
  async insert(db: Db, f: Fault): Promise<void> {
    await db.run(
      `INSERT INTO faults (id, match, effect, message, delay_ms, times_remaining, create_time)
       VALUES (@id, @match, @effect, @message, @delayMs, @timesRemaining, @createTime)`,
      { ...f, match: JSON.stringify(f.match) },
    );
  },

  async all(db: Db): Promise<Fault[]> {
    return (await db.all<FaultRow>(`SELECT * FROM faults ORDER BY rowid`)).map(fromRow);
  },

  async remove(db: Db, id: string): Promise<boolean> {
    return (await db.run(`DELETE FROM faults WHERE id = @id`, { id })).changes > 0;
  },

  // Takes one of a counted fault's remaining times: what remains after it, or undefined when
  // none was left (another claim, maybe another replica's, took the last one).
  async consumeOne(db: Db, id: string): Promise<number | undefined> {
    const row = await db.get<{ times_remaining: number }>(
      `UPDATE faults SET times_remaining = times_remaining - 1 WHERE id = @id AND times_remaining > 0 RETURNING times_remaining`,
      { id },
    );
    return row?.times_remaining;
  },
};
