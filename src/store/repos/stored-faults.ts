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

  async setTimesRemaining(db: Db, id: string, times: number): Promise<void> {
    await db.run(`UPDATE faults SET times_remaining = @times WHERE id = @id`, { id, times });
  },
};
