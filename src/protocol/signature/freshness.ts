// Replay protection shared by both signature versions (ros-api.md §2.1 step 6, §2.2): the
// timestamp must be well formed and within the skew window, and a nonce may be used once per
// access key while its request could still be accepted, that is until its own timestamp leaves
// the window.
import type { Db } from '../../store/db.ts';
import { usedNonces } from '../../store/repos/used-nonces.ts';
import { ApiError } from '../errors.ts';

const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z$/;

// The request's time in ms, or the error that refuses it.
export function freshTimestamp(timestamp: string, nowMs: number, skewMs: number): number | ApiError {
  const at = timestampMs(timestamp);
  if (at === undefined) return new ApiError('InvalidTimeStamp.Format');
  if (Math.abs(nowMs - at) > skewMs) return new ApiError('InvalidTimeStamp.Expired');
  return at;
}

// Requests signed within the same second carry the same text (SDKs send whole seconds): the
// last well-formed one is parsed once.
let lastParsed: { text: string; ms: number } | undefined;
function timestampMs(text: string): number | undefined {
  if (text === lastParsed?.text) return lastParsed.ms;
  if (!TIMESTAMP_RE.test(text)) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return undefined;
  lastParsed = { text, ms };
  return ms;
}

// Every accepted request adds a nonce, so a client polling for the whole window would grow the
// cache without bound (5,000 requests a second for 15 minutes is 4.5 million entries). Past
// `maxRemembered` nonces the oldest is forgotten first: only a replay of a nonce older than the
// last `maxRemembered` requests, inside its window, goes unnoticed (docs/fidelity.md).
export const MAX_REMEMBERED_NONCES = 250_000;

// Used nonces are kept in the store too, so that a restart does not reopen the window: claims
// stay synchronous and in memory, and are written in batches off the request path, at most
// FLUSH_DELAY_MS after the claim (a crash inside that delay forgets those nonces; fidelity.md).
const FLUSH_DELAY_MS = 50;

// The nonce percent-encoded: the key holds no NUL (PostgreSQL text cannot), and the last space
// separates it from the access key whatever either holds.
const nonceKey = (accessKeyId: string, nonce: string): string => `${accessKeyId} ${encodeURIComponent(nonce)}`;

export class NonceCache {
  // access key + nonce → when the nonce's request stops being acceptable.
  private readonly seen = new Map<string, number>();
  // The claims in the order they were remembered, from `head` on: the sweep and the size bound
  // forget from the front. Iterating the map from its start instead skips every entry deleted
  // since V8 last rehashed it, up to ~270,000 at the bound: 12–113 µs a claim once the bound
  // was reached, 2.5–4.5 µs this way (bench/README.md, round eight). An entry whose key was
  // remembered again later (with another window end) is stale: `staleEntries` counts them per
  // key, and they come before its current one.
  private order: string[] = [];
  private orderUntil: number[] = [];
  private head = 0;
  private readonly staleEntries = new Map<string, number>();
  private nextSweep = 0;
  private lastNowMs = 0;
  // Keys claimed since the last flush; their window end is read from `seen` when it writes them.
  private pending: string[] = [];
  // The latest window end among the nonces forgotten for the size bound (0: none yet): the
  // store forgets every row ending up to it, as the memory did.
  private evictedUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly maxRemembered = MAX_REMEMBERED_NONCES,
    private readonly db?: Db,
    // Replicas share the database (PostgreSQL): a nonce is claimed there, in the request, so that
    // a replay to another replica is refused too. Alone, the memory decides and the store only
    // keeps it across a restart.
    readonly shared = false,
  ) {}

  // The nonces of earlier runs still inside their window.
  async load(nowMs: number): Promise<void> {
    if (!this.db) return;
    for (const row of await usedNonces.live(this.db, nowMs)) this.remember(row.key, row.until_ms);
  }

  // Returns false when the nonce was already used and its request could still be accepted.
  claim(accessKeyId: string, nonce: string, nowMs: number, acceptableUntilMs: number): boolean | Promise<boolean> {
    this.sweep(nowMs);
    const key = nonceKey(accessKeyId, nonce);
    const until = this.seen.get(key);
    if (until !== undefined && until >= nowMs) return false;
    // A new nonce (every request but a replay) is not in the map: no delete to look it up again.
    if (until === undefined) this.add(key, acceptableUntilMs);
    else this.remember(key, acceptableUntilMs);
    if (this.db) {
      this.lastNowMs = nowMs;
      // Shared: the claim below writes it; the flush only forgets the expired ones.
      if (!this.shared) this.pending.push(key);
      // A failed write loses only the memory across a restart; the check in memory still holds.
      this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), FLUSH_DELAY_MS).unref();
    }
    return this.shared && this.db ? usedNonces.claim(this.db, key, nowMs, acceptableUntilMs) : true;
  }

  // Writes the claims made since the last flush; flushes never overlap.
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const db = this.db;
    // With nothing pending this still forgets the expired rows (all a shared cache's flush does).
    if (!db) return this.flushing;
    const claimed = this.pending;
    // One range of the window-end index: deleting "all but the newest maxRemembered" instead
    // walked the whole index (250,000 rows, 10–110 ms on the event loop every flush once the
    // bound was reached: the API's p99 at 32 connections, bench/README.md).
    const forgetBefore = Math.max(this.lastNowMs, this.evictedUntil + 1);
    this.pending = [];
    this.flushing = this.flushing.catch(() => undefined).then(() =>
      db.transaction(async (tx) => {
        // A claim the memory has already forgotten (expired, or evicted for the size bound) is
        // not written: the store keeps what the memory remembers.
        await usedNonces.append(tx, claimed, (key) => this.seen.get(key));
        await usedNonces.forgetExpired(tx, forgetBefore);
      }),
    );
    return this.flushing;
  }

  // A key already in the map moves to the back of the order (its old entry goes stale).
  private remember(key: string, until: number): void {
    if (this.seen.has(key)) this.staleEntries.set(key, (this.staleEntries.get(key) ?? 0) + 1);
    this.add(key, until);
  }

  // Appends a claim (remember() has counted the stale entry of a key already there) and forgets
  // the oldest past the bound.
  private add(key: string, until: number): void {
    this.seen.set(key, until);
    this.order.push(key);
    this.orderUntil.push(until);
    while (this.seen.size > this.maxRemembered) {
      const oldestUntil = this.orderUntil[this.head]!;
      if (this.forgetFront() && oldestUntil > this.evictedUntil) this.evictedUntil = oldestUntil;
    }
  }

  // Drops the front of the order, and its key from the map unless the entry is stale: true when
  // the key was forgotten.
  private forgetFront(): boolean {
    const key = this.order[this.head]!;
    const stale = this.staleEntries.get(key);
    if (stale === undefined) this.seen.delete(key);
    else if (stale === 1) this.staleEntries.delete(key);
    else this.staleEntries.set(key, stale - 1);
    this.head++;
    // Drop the consumed front now and then: a copy of the live part, amortised over as many claims.
    if (this.head >= 1024 && this.head * 2 >= this.order.length) {
      this.order = this.order.slice(this.head);
      this.orderUntil = this.orderUntil.slice(this.head);
      this.head = 0;
    }
    return stale === undefined;
  }

  // Requests arrive roughly in timestamp order, so a sweep from the oldest entry stops at the
  // first live one; a late straggler waits for a later sweep (or the size bound).
  private sweep(nowMs: number): void {
    if (nowMs < this.nextSweep) return;
    this.nextSweep = nowMs + 1000;
    while (this.head < this.order.length && this.orderUntil[this.head]! < nowMs) this.forgetFront();
  }
}
