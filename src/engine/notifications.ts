// Delivery of NotificationURLs: an outbox in the database (migration 009), filled in the
// transaction that writes a stack's events, emptied here in the background. Each URL gets its
// notifications one at a time, in the order they happened; a failed POST (network error,
// timeout, non-2xx) is retried with exponential backoff (0.2 s doubling to 30 s, 10 attempts,
// then FAILED). Nothing here ever waits for a stack, nor a stack for it; a restart carries on
// from the outbox. Several replicas share one outbox: each attempt is claimed first (a
// conditional update of its next attempt time), so one replica makes it; a replica that dies
// in the middle of one leaves it to be made again once the claim expires.
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { stackNotifications, type NotificationRow } from '../store/repos/stack-notifications.ts';
import { rosTime, type Clock } from './clock.ts';

const FIRST_RETRY_MS = 200;
const MAX_RETRY_MS = 30_000;
const MAX_ATTEMPTS = 10;
const POST_TIMEOUT_MS = 5_000;
// How long a claimed attempt is left to its replica: the POST's timeout, with room to record it.
const CLAIM_MS = 2 * POST_TIMEOUT_MS;

export const retryDelayMs = (attempts: number): number => Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempts - 1));

export class NotificationOutbox {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private again = false;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  // Something was enqueued (or the process started): deliver what is due.
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.running = true;
    this.deliverDue()
      .catch((e: unknown) => this.log.error('notification delivery failed', e))
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async deliverDue(): Promise<void> {
    const heads = await stackNotifications.heads(this.db);
    const now = this.clock.now();
    const due = heads.filter((n) => n.next_attempt_ms <= now);
    await Promise.all(due.map((n) => this.deliver(n)));
    // Delivered heads make way for the next of their URL at once; the others wait their turn.
    if (due.length) {
      this.again = true;
      return;
    }
    if (heads.length && !this.closed) {
      const wait = Math.max(0, Math.min(...heads.map((n) => n.next_attempt_ms)) - now);
      this.timer = setTimeout(() => this.kick(), wait);
      this.timer.unref();
    }
  }

  private async deliver(n: NotificationRow): Promise<void> {
    const claimed = await this.db.transaction((tx) => stackNotifications.claim(tx, n.id, n.next_attempt_ms, this.clock.now() + CLAIM_MS));
    if (!claimed) return;
    const attempts = n.attempts + 1;
    let error: string | undefined;
    try {
      const res = await fetch(n.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: n.body,
        signal: AbortSignal.timeout(POST_TIMEOUT_MS),
        redirect: 'follow',
      });
      await res.arrayBuffer();
      if (!res.ok) error = `HTTP ${res.status}`;
    } catch (e) {
      error = (e as Error).name === 'TimeoutError' ? 'timed out' : (e as Error).message;
    }
    if (this.closed) return;
    await this.db.transaction(async (tx) => {
      if (error === undefined) await stackNotifications.delivered(tx, n.id, attempts, rosTime(this.clock.now()));
      else await stackNotifications.retry(tx, n.id, attempts, error, this.clock.now() + retryDelayMs(attempts), attempts >= MAX_ATTEMPTS);
    });
  }

  // Stryker disable next-line BlockStatement: close comes after the server stops taking requests; without it a late kick or delivery meets the closed database, and that error is only logged
  close(): void {
    this.closed = true;
    // Stryker disable next-line ConditionalExpression: the timer is unref'd and the kick it makes after close returns at once; clearing it only spares that call
    if (this.timer) clearTimeout(this.timer);
  }
}

// What the control plane shows of the outbox: the last 500 notifications, newest first.
export async function notificationView(db: Db): Promise<Record<string, unknown>[]> {
  return (await stackNotifications.recent(db, 500)).map((n) => ({
    id: n.id,
    stackId: n.stack_id,
    url: n.url,
    status: n.status,
    attempts: n.attempts,
    lastError: n.last_error ?? undefined,
    nextAttemptTime: n.status === 'PENDING' ? rosTime(n.next_attempt_ms) : undefined,
    createTime: n.create_time,
    deliveredTime: n.delivered_time ?? undefined,
    body: JSON.parse(n.body) as unknown,
  }));
}
