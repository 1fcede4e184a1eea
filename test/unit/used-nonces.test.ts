// The used-nonce store's layout (a batch row per flush, migration 023): what a restart reads back
// is what the cache stored, and rows of the earlier layouts (one row a nonce) still read.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { NonceCache } from '../../src/protocol/signature/freshness.ts';
import { usedNonces } from '../../src/store/repos/used-nonces.ts';
import { openSqlite } from '../../src/store/sqlite.ts';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const WINDOW = 15 * 60_000;

describe('used nonces in the store', () => {
  const db = openSqlite({ dataDir: '', inMemory: true });
  after(() => db.close());

  it('reads back, oldest window end first, the nonces flushed and still live, in either layout', async () => {
    await db.run(`INSERT INTO used_nonces (key, until_ms) VALUES (@key, @until)`, { key: 'KEY old-layout', until: NOW + 10 });
    const cache = new NonceCache(1000, db);
    assert.equal(cache.claim('KEY', 'a', NOW, NOW + WINDOW), true);
    assert.equal(cache.claim('KEY', 'b', NOW, NOW - 1 + WINDOW), true);
    await cache.flush();
    const live = await usedNonces.live(db, NOW);
    assert.deepEqual(live, [
      { key: 'KEY old-layout', until_ms: NOW + 10 },
      { key: 'KEY b', until_ms: NOW - 1 + WINDOW },
      { key: 'KEY a', until_ms: NOW + WINDOW },
    ]);

    // A restart: a fresh cache loaded from the store refuses all three as used.
    const restarted = new NonceCache(1000, db);
    await restarted.load(NOW);
    for (const nonce of ['old-layout', 'a', 'b']) assert.equal(restarted.claim('KEY', nonce, NOW, NOW + WINDOW), false, nonce);
    assert.equal(restarted.claim('KEY', 'c', NOW, NOW + 1 + WINDOW), true);
    await restarted.flush();
  });

  it('writes one row a flush', async () => {
    assert.deepEqual(await db.all('SELECT until_ms FROM used_nonce_batches ORDER BY until_ms'), [{ until_ms: NOW + WINDOW }, { until_ms: NOW + 1 + WINDOW }]);
  });

  it('reads a nonce once, at its latest window end, and not once that has passed', async () => {
    // 'a' again, with a later window end (a cache that has not loaded the store).
    const cache = new NonceCache(1000, db);
    assert.equal(cache.claim('KEY', 'a', NOW, NOW + 2 * WINDOW), true);
    await cache.flush();
    assert.deepEqual(await usedNonces.live(db, NOW), [
      { key: 'KEY old-layout', until_ms: NOW + 10 },
      { key: 'KEY b', until_ms: NOW - 1 + WINDOW },
      { key: 'KEY c', until_ms: NOW + 1 + WINDOW },
      { key: 'KEY a', until_ms: NOW + 2 * WINDOW },
    ]);
    // Past b's window, its batch (which holds the first 'a' too) still stands, b does not read.
    assert.deepEqual(
      (await usedNonces.live(db, NOW + WINDOW)).map((n) => n.key),
      ['KEY c', 'KEY a'],
    );
  });

  it('forgets rows and batches whose window has ended', async () => {
    await usedNonces.forgetExpired(db, NOW + WINDOW + 1);
    assert.deepEqual(await db.all('SELECT key FROM used_nonces'), []);
    assert.deepEqual(await db.all('SELECT until_ms FROM used_nonce_batches ORDER BY until_ms'), [{ until_ms: NOW + 1 + WINDOW }, { until_ms: NOW + 2 * WINDOW }]);
    assert.deepEqual(await usedNonces.live(db, 0), [
      { key: 'KEY c', until_ms: NOW + 1 + WINDOW },
      { key: 'KEY a', until_ms: NOW + 2 * WINDOW },
    ]);
  });
});
