import type { Db } from '../db.ts';

export interface NotificationRow {
  id: number;
  stack_id: string;
  url: string;
  body: string;
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  attempts: number;
  next_attempt_ms: number;
  last_error: string | null;
  create_time: string;
  delivered_time: string | null;
}

export const stackNotifications = {
  async enqueue(db: Db, rows: { stackId: string; url: string; body: string; nowMs: number; time: string }[]): Promise<void> {
    for (const r of rows) {
      await db.run(
        `INSERT INTO stack_notifications (stack_id, url, body, status, next_attempt_ms, create_time) VALUES (@stackId, @url, @body, 'PENDING', @nowMs, @time)`,
        r,
      );
    }
  },

  // The oldest pending notification of each URL: a URL gets its notifications in order.
  async heads(db: Db): Promise<NotificationRow[]> {
    return db.all<NotificationRow>(
      `SELECT n.* FROM stack_notifications n
       JOIN (SELECT url, MIN(id) AS id FROM stack_notifications WHERE status = 'PENDING' GROUP BY url) h ON h.id = n.id
       ORDER BY n.id`,
    );
  },

  // Takes a pending notification for one delivery attempt, by moving its next attempt to
  // `untilMs` if nobody moved it from `seenMs` since it was read: true when taken.
  async claim(db: Db, id: number, seenMs: number, untilMs: number): Promise<boolean> {
    const { changes } = await db.run(`UPDATE stack_notifications SET next_attempt_ms = @untilMs WHERE id = @id AND status = 'PENDING' AND next_attempt_ms = @seenMs`, { id, seenMs, untilMs });
    return changes > 0;
  },

  async delivered(db: Db, id: number, attempts: number, time: string): Promise<void> {
    await db.run(`UPDATE stack_notifications SET status = 'DELIVERED', attempts = @attempts, last_error = NULL, delivered_time = @time WHERE id = @id`, { id, attempts, time });
  },

  async retry(db: Db, id: number, attempts: number, error: string, nextMs: number, gaveUp: boolean): Promise<void> {
    await db.run(`UPDATE stack_notifications SET status = @status, attempts = @attempts, last_error = @error, next_attempt_ms = @nextMs WHERE id = @id`, {
      id,
      attempts,
      error,
      nextMs,
      status: gaveUp ? 'FAILED' : 'PENDING',
    });
  },

  // Newest first, for the control plane.
  async recent(db: Db, limit: number): Promise<NotificationRow[]> {
    return db.all<NotificationRow>(`SELECT * FROM stack_notifications ORDER BY id DESC LIMIT @limit`, { limit });
  },
};
