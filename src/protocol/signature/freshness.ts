// Replay protection shared by both signature versions (ros-api.md §2.1 step 6, §2.2): the
// timestamp must be well formed and within the skew window, and a nonce may be used once per
// access key while its request could still be accepted, that is until its own timestamp leaves
// the window.
import { ApiError } from '../errors.ts';

const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z$/;

// The request's time in ms, or the error that refuses it.
export function freshTimestamp(timestamp: string, nowMs: number, skewMs: number): number | ApiError {
  if (!TIMESTAMP_RE.test(timestamp)) return new ApiError('InvalidTimeStamp.Format');
  const at = Date.parse(timestamp);
  if (Number.isNaN(at)) return new ApiError('InvalidTimeStamp.Format');
  if (Math.abs(nowMs - at) > skewMs) return new ApiError('InvalidTimeStamp.Expired');
  return at;
}

// Every accepted request adds a nonce, so a client polling for the whole window would grow the
// cache without bound (5,000 requests a second for 15 minutes is 4.5 million entries). Past
// `maxRemembered` nonces the oldest is forgotten first: only a replay of a nonce older than the
// last `maxRemembered` requests, inside its window, goes unnoticed (docs/fidelity.md).
export const MAX_REMEMBERED_NONCES = 250_000;

export class NonceCache {
  // access key + nonce → when the nonce's request stops being acceptable, in insertion order.
  private readonly seen = new Map<string, number>();
  private nextSweep = 0;

  constructor(private readonly maxRemembered = MAX_REMEMBERED_NONCES) {}

  // Returns false when the nonce was already used and its request could still be accepted.
  claim(accessKeyId: string, nonce: string, nowMs: number, acceptableUntilMs: number): boolean {
    this.sweep(nowMs);
    const key = `${accessKeyId}\u0000${nonce}`;
    const until = this.seen.get(key);
    if (until !== undefined && until >= nowMs) return false;
    this.seen.delete(key);
    this.seen.set(key, acceptableUntilMs);
    if (this.seen.size > this.maxRemembered) this.seen.delete(this.seen.keys().next().value!);
    return true;
  }

  // Requests arrive roughly in timestamp order, so a sweep from the oldest entry stops at the
  // first live one; a late straggler waits for a later sweep (or the size bound).
  private sweep(nowMs: number): void {
    if (nowMs < this.nextSweep) return;
    this.nextSweep = nowMs + 1000;
    for (const [key, until] of this.seen) {
      if (until >= nowMs) break;
      this.seen.delete(key);
    }
  }
}
