// Replay protection shared by both signature versions (ros-api.md §2.1 step 6, §2.2): the
// timestamp must be well formed and within the skew window, and a nonce may be used once per
// access key while it could still be fresh.
import { ApiError } from '../errors.ts';

const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z$/;

export function checkTimestamp(timestamp: string, nowMs: number, skewMs: number): ApiError | undefined {
  if (!TIMESTAMP_RE.test(timestamp)) return new ApiError('InvalidTimeStamp.Format');
  const at = Date.parse(timestamp);
  if (Number.isNaN(at)) return new ApiError('InvalidTimeStamp.Format');
  if (Math.abs(nowMs - at) > skewMs) return new ApiError('InvalidTimeStamp.Expired');
  return undefined;
}

export class NonceCache {
  private readonly seen = new Map<string, number>();
  private nextSweep = 0;

  constructor(private readonly ttlMs: number) {}

  // Returns false when the nonce was already used within the window.
  claim(accessKeyId: string, nonce: string, nowMs: number): boolean {
    this.sweep(nowMs);
    const key = `${accessKeyId}\u0000${nonce}`;
    const expires = this.seen.get(key);
    if (expires !== undefined && expires > nowMs) return false;
    this.seen.delete(key);
    this.seen.set(key, nowMs + this.ttlMs);
    return true;
  }

  // Entries expire in insertion order, so a sweep stops at the first live one.
  private sweep(nowMs: number): void {
    if (nowMs < this.nextSweep) return;
    this.nextSweep = nowMs + 1000;
    for (const [key, expires] of this.seen) {
      if (expires > nowMs) break;
      this.seen.delete(key);
    }
  }
}
