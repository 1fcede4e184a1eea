import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../src/protocol/errors.ts';
import { freshTimestamp, NonceCache } from '../../src/protocol/signature/freshness.ts';
import { usedNonces } from '../../src/store/repos/used-nonces.ts';
import type { Db } from '../../src/store/db.ts';
import { openSqlite } from '../../src/store/sqlite.ts';
import { waitFor } from '../helpers/control.ts';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const SKEW = 15 * 60_000;
const code = (r: number | ApiError) => (r instanceof ApiError ? r.code : r);

describe('request timestamps', () => {
  it('answers the time of a well-formed timestamp within the window', () => {
    assert.equal(freshTimestamp('2026-11-28T11:50:00Z', NOW, SKEW), NOW - 10 * 60_000);
    assert.equal(freshTimestamp('2026-11-28T12:10:00.5Z', NOW, SKEW), NOW + 10 * 60_000 + 500);
    assert.equal(freshTimestamp('2026-11-28T12:10:00.125Z', NOW, SKEW), NOW + 10 * 60_000 + 125);
  });

  it('refuses a malformed or an expired one with the documented codes', () => {
    assert.equal(code(freshTimestamp('2026-11-28 12:00:00', NOW, SKEW)), 'InvalidTimeStamp.Format');
    assert.equal(code(freshTimestamp('2026-13-28T12:00:00Z', NOW, SKEW)), 'InvalidTimeStamp.Format');
    assert.equal(code(freshTimestamp('2026-11-28T11:44:59Z', NOW, SKEW)), 'InvalidTimeStamp.Expired');
    assert.equal(code(freshTimestamp('2026-11-28T12:15:01Z', NOW, SKEW)), 'InvalidTimeStamp.Expired');
  });
});

describe('the skew window', () => {
  it('includes its edges and nothing past them', () => {
    assert.equal(freshTimestamp('2026-11-28T11:45:00Z', NOW, SKEW), NOW - SKEW);
    assert.equal(freshTimestamp('2026-11-28T12:15:00Z', NOW, SKEW), NOW + SKEW);
    assert.equal(code(freshTimestamp('2026-11-28T12:15:00.001Z', NOW, SKEW)), 'InvalidTimeStamp.Expired');
    assert.equal(code(freshTimestamp('2026-11-28T11:44:59.999Z', NOW, SKEW)), 'InvalidTimeStamp.Expired');
  });

  it('takes only the whole ISO 8601 UTC form', () => {
    for (const bad of ['x2026-11-28T12:00:00Z', '2026-11-28T12:00:00Zx', '2026-11-28T12:00:00', '2026-11-28T12:00:00+08:00', '26-11-28T12:00:00Z', '2026-11-28T12:00:00.Z']) {
      assert.equal(code(freshTimestamp(bad, NOW, SKEW)), 'InvalidTimeStamp.Format', bad);
    }
    // An ISO 8601 expanded year, which Date.parse would take.
    assert.equal(code(freshTimestamp('+002026-11-28T12:00:00Z', NOW, SKEW)), 'InvalidTimeStamp.Format');
    // Well formed but not a date.
    assert.equal(code(freshTimestamp('2026-11-28T25:00:00Z', NOW, SKEW)), 'InvalidTimeStamp.Format');
  });
});

describe('nonces', () => {
  it('refuse a replay up to the very moment its request stops being acceptable', () => {
    const nonces = new NonceCache();
    assert.equal(nonces.claim('key', 'n', NOW, NOW + SKEW), true);
    assert.equal(nonces.claim('key', 'n', NOW + SKEW, NOW + 2 * SKEW), false);
    assert.equal(nonces.claim('key', 'n', NOW + SKEW + 1, NOW + 2 * SKEW), true);
    // The replay refused above did not extend the first request's window; the accepted one did.
    assert.equal(nonces.claim('key', 'n', NOW + 2 * SKEW, NOW + 3 * SKEW), false);
  });

  it('tell access key and nonce apart however they split', () => {
    const nonces = new NonceCache();
    assert.equal(nonces.claim('ab', 'c', NOW, NOW + SKEW), true);
    assert.equal(nonces.claim('a', 'bc', NOW, NOW + SKEW), true);
  });

  it('refuse a replay while its request could still be accepted, per access key', () => {
    const nonces = new NonceCache();
    const until = NOW + SKEW;
    assert.equal(nonces.claim('key-a', 'n1', NOW, until), true);
    assert.equal(nonces.claim('key-a', 'n1', NOW + 60_000, until), false);
    assert.equal(nonces.claim('key-b', 'n1', NOW + 60_000, until), true);
    // Once the first request's timestamp has left the window, its nonce may come again.
    assert.equal(nonces.claim('key-a', 'n1', until + 1, until + 1 + SKEW), true);
  });

  it('forget the oldest first past their bound', () => {
    const nonces = new NonceCache(2);
    for (const n of ['n1', 'n2', 'n3']) assert.equal(nonces.claim('key', n, NOW, NOW + SKEW), true);
    assert.equal(nonces.claim('key', 'n3', NOW, NOW + SKEW), false);
    assert.equal(nonces.claim('key', 'n2', NOW, NOW + SKEW), false);
    assert.equal(nonces.claim('key', 'n1', NOW, NOW + SKEW), true);
  });

  it('count a nonce claimed again after its window as the newest for the bound', () => {
    const nonces = new NonceCache(2);
    // Claimed again within the second after its window ended, before a sweep has forgotten it.
    assert.equal(nonces.claim('key', 'n1', NOW, NOW + 10), true);
    assert.equal(nonces.claim('key', 'n2', NOW, NOW + SKEW), true);
    assert.equal(nonces.claim('key', 'n1', NOW + 11, NOW + 11 + SKEW), true);
    // The bound forgets n2, now the oldest claim, and keeps n1.
    assert.equal(nonces.claim('key', 'n3', NOW + 12, NOW + 12 + SKEW), true);
    assert.equal(nonces.claim('key', 'n1', NOW + 13, NOW + 13 + SKEW), false);
    assert.equal(nonces.claim('key', 'n2', NOW + 14, NOW + 14 + SKEW), true);
  });

  // The cache keeps its own order of claims beside the map (stale entries for nonces claimed
  // again); it must answer exactly as a map kept in claim order would, expiry, reclaims and the
  // bound together.
  it('answer as a map in claim order would, with reclaims after the window and the bound', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const bound = 8;
    const model = new Map<string, number>();
    let nextSweep = 0;
    const modelClaim = (nonce: string, now: number, until: number): boolean => {
      if (now >= nextSweep) {
        nextSweep = now + 1000;
        for (const [k, u] of model) {
          if (u >= now) break;
          model.delete(k);
        }
      }
      const seen = model.get(nonce);
      if (seen !== undefined && seen >= now) return false;
      model.delete(nonce);
      model.set(nonce, until);
      if (model.size > bound) model.delete(model.keys().next().value!);
      return true;
    };
    const nonces = new NonceCache(bound);
    let now = NOW;
    for (let i = 0; i < 20_000; i++) {
      now += random(300);
      const nonce = `n${random(60)}`;
      const until = now + 200 + random(3000);
      assert.equal(nonces.claim('key', nonce, now, until), modelClaim(nonce, now, until), `claim ${i} of ${nonce}`);
    }
  });
});

// Used nonces outlive a restart: written to the store in the background, read back by `load`.
describe('nonces in the store', () => {
  // What a restart at `at` reads back.
  const rows = (db: Db, at = 0) => usedNonces.live(db, at);

  it('are written shortly after the claim, without a flush, and refused again after a restart', async () => {
    const db = openSqlite({ dataDir: '', inMemory: true });
    try {
      const before = new NonceCache(10, db);
      assert.equal(before.claim('key', 'n1', NOW, NOW + SKEW), true);
      assert.equal(before.claim('key', 'n2', NOW, NOW + 60_000), true);
      await waitFor(() => rows(db), (r) => r.length === 2);
      const after = new NonceCache(10, db);
      await after.load(NOW + 30_000);
      assert.equal(after.claim('key', 'n1', NOW + 30_000, NOW + SKEW), false);
      assert.equal(after.claim('key', 'n2', NOW + 30_000, NOW + SKEW), false);
      assert.equal(after.claim('key', 'n3', NOW + 30_000, NOW + SKEW), true);
      // Past n2's window it is forgotten, in memory and, at the next write, in the store.
      assert.equal(after.claim('key', 'n2', NOW + 61_000, NOW + 61_000 + SKEW), true);
      await after.flush();
      const stored = async (at = 0) => Object.fromEntries((await rows(db, at)).map((r) => [r.key.split(' ').pop(), r.until_ms - NOW]));
      assert.deepEqual(await stored(), { n1: SKEW, n3: SKEW, n2: 61_000 + SKEW });
      // A write drops the batches whose every window has ended (the first: n1 and n2 in its first window).
      const batches = () => db.all('SELECT until_ms FROM used_nonce_batches ORDER BY until_ms');
      assert.equal((await batches()).length, 2);
      assert.equal(after.claim('key', 'n4', NOW + SKEW + 1, NOW + 2 * SKEW), true);
      await after.flush();
      assert.deepEqual(await batches(), [{ until_ms: NOW + 61_000 + SKEW }, { until_ms: NOW + 2 * SKEW }]);
      assert.deepEqual(await stored(NOW + SKEW + 1), { n2: 61_000 + SKEW, n4: 2 * SKEW });
    } finally {
      await db.close();
    }
  });

  it('keep only the newest past their bound, in the store as in memory', async () => {
    const db = openSqlite({ dataDir: '', inMemory: true });
    try {
      const nonces = new NonceCache(2, db);
      for (const [i, n] of ['n1', 'n2', 'n3'].entries()) assert.equal(nonces.claim('key', n, NOW, NOW + SKEW + i), true);
      await nonces.flush();
      assert.deepEqual((await rows(db)).map((r) => r.key.split(' ').pop()), ['n2', 'n3']);
      // Nothing claimed since: a flush writes nothing and keeps what is there.
      await nonces.flush();
      assert.equal((await rows(db)).length, 2);
    } finally {
      await db.close();
    }
  });

  it('forget in the store up to the latest window the bound evicted, whatever the order of eviction', async () => {
    const db = openSqlite({ dataDir: '', inMemory: true });
    try {
      const nonces = new NonceCache(1, db);
      // n1's window ends after n2's: evicting n2 after n1 must not make the store keep n1.
      assert.equal(nonces.claim('key', 'n1', NOW, NOW + SKEW), true);
      assert.equal(nonces.claim('key', 'n2', NOW, NOW + 60_000), true);
      assert.equal(nonces.claim('key', 'n3', NOW, NOW + 2 * SKEW), true);
      await nonces.flush();
      assert.deepEqual((await rows(db)).map((r) => r.key.split(' ').pop()), ['n3']);
    } finally {
      await db.close();
    }
  });

  // Replicas sharing a database (PostgreSQL in production; the same SQL runs on SQLite).
  it('shared by replicas: refused on one when claimed on another, and bounded in the store as in memory', async () => {
    const db = openSqlite({ dataDir: '', inMemory: true });
    const a = new NonceCache(2, db, true);
    const b = new NonceCache(2, db, true);
    try {
      for (const [i, n] of ['n1', 'n2', 'n3'].entries()) assert.equal(await a.claim('key', n, NOW, NOW + SKEW + i), true);
      assert.equal(await b.claim('key', 'n3', NOW, NOW + SKEW), false);
      await a.flush();
      // One row a claim, past the bound the oldest forgotten: the claims themselves are the rows.
      assert.deepEqual((await rows(db)).map((r) => r.key.split(' ').pop()), ['n2', 'n3']);
      assert.equal(await b.claim('key', 'n2', NOW + 1, NOW + SKEW + 1), false);
      assert.equal(await b.claim('key', 'n1', NOW + 1, NOW + SKEW + 1), true);
      await b.flush();
    } finally {
      await a.flush();
      await db.close();
    }
  });
});
