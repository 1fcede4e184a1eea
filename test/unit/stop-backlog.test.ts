// Stop in O(1) (issue 17): a stop only marks its operation; unstarted results read CANCELLED
// with the stop reason, and their instances OUTDATED with it, before anything is written
// (engine/stop-view.ts); the backlog writes exactly that, 250 results a transaction, from where
// it was after a restart, and a group's backlog is written whole before its next operation.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { acceptOperation, assertGroupIdle } from '../../src/engine/accept.ts';
import { markStopped, SETTLE_CHUNK, settleChunk } from '../../src/engine/stop-backlog.ts';
import { instancesAsRead, resultsAsRead, stopInProgress } from '../../src/engine/stop-view.ts';
import { STOP_REASON, type OperationAction } from '../../src/engine/types.ts';
import type { Db } from '../../src/store/db.ts';
import { operations, results } from '../../src/store/repos/operations.ts';
import { stackGroups } from '../../src/store/repos/stack-groups.ts';
import { outdatedInstance, stackInstances } from '../../src/store/repos/stack-instances.ts';
import { openSqlite } from '../../src/store/sqlite.ts';
import { groupRow } from '../helpers/rows.ts';

const NOW = '2026-12-03T00:00:00';
const REGIONS = ['cn-beijing', 'cn-shanghai', 'cn-hangzhou'];
// 600 targets: two full chunks and a partial one.
const TARGETS = Array.from({ length: 200 }, (_, a) => REGIONS.map((regionId) => ({ accountId: String(1_000_000 + a), regionId }))).flat();

// A group with one instance per target and an operation over them: results 0 and 1 in flight,
// result 2 done, the rest PENDING; then stopped, and STOPPED unless told otherwise.
async function stoppedOperation(db: Db, groupId: string, action: OperationAction = 'CREATE', status: 'STOPPING' | 'STOPPED' = 'STOPPED'): Promise<string> {
  const g = groupRow(groupId, NOW);
  await stackGroups.insert(db, g);
  await stackInstances.insertManyIfAbsent(db, TARGETS.map((t) => outdatedInstance(g.id, t, [])));
  const id = await acceptOperation(db, {
    group: g,
    action,
    regionOrder: REGIONS,
    targets: TARGETS,
    preferences: {},
    description: null,
    retainStacks: null,
    runSpec: { templateBody: '{}', parameters: [], disableRollback: false, timeoutInMinutes: 60 },
    now: NOW,
  });
  await results.startMany(db, id, [0, 1, 2]);
  await results.finishMany(db, id, [2], 'SUCCEEDED', null, null);
  await operations.setStatus(db, id, status, status === 'STOPPED' ? NOW : null);
  await markStopped(db, { id, group_id: groupId });
  return id;
}

// What every read answers: results and instances through the stop view.
async function reads(db: Db, operationId: string, groupId: string) {
  const op = (await operations.get(db, operationId))!;
  const rows = resultsAsRead(op.status, await results.all(db, operationId)).map((r) => [r.seq, r.status, r.status_reason]);
  const stop = await stopInProgress(db, groupId);
  const instances = (await instancesAsRead(db, stop, await stackInstances.all(db, groupId))).map((i) => [i.account_id, i.region_id, i.status, i.status_reason]);
  return { rows, instances };
}

const stored = async (db: Db, operationId: string) => (await results.all(db, operationId)).map((r) => r.status);
const backlogRows = async (db: Db) => db.all<{ operation_id: string; next_seq: number }>(`SELECT operation_id, next_seq FROM stop_backlog`);

describe('the stop backlog', () => {
  // A read's statements are not one snapshot (PostgreSQL runs them on the pool, and the backlog
  // writes a chunk per transaction): instances read before chunks are written, and the stop
  // view applied after, still read as stopped, down to the last chunk that removes the backlog.
  it('reads instances as stopped when its chunks are written between the reads', async () => {
    const db = openSqlite({ dataDir: '', inMemory: true });
    try {
      const op = await stoppedOperation(db, 'g-race');
      const expected = (await reads(db, op, 'g-race')).instances;
      for (let written = 0; written <= 3; written++) {
        const stop = await stopInProgress(db, 'g-race');
        const rows = await stackInstances.all(db, 'g-race');
        for (let i = 0; i < written; i++) await db.transaction((tx) => settleChunk(tx));
        const asRead = (await instancesAsRead(db, stop, rows)).map((i) => [i.account_id, i.region_id, i.status, i.status_reason]);
        assert.deepEqual(asRead, expected, `${written} chunk(s) written between the reads`);
      }
      assert.deepEqual(await backlogRows(db), []);
    } finally {
      await db.close();
    }
  });

  it('reads as written before it is written, then writes it 250 results a transaction', async () => {
    const db = openSqlite({ dataDir: '', inMemory: true });
    try {
      const op = await stoppedOperation(db, 'g1', 'CREATE', 'STOPPING');
      const before = await reads(db, op, 'g1');
      // Nothing written by the stop itself.
      assert.equal((await stored(db, op)).filter((s) => s === 'PENDING').length, TARGETS.length - 3);
      assert.deepEqual(before.rows.slice(0, 4), [
        [0, 'RUNNING', null],
        [1, 'RUNNING', null],
        [2, 'SUCCEEDED', null],
        [3, 'CANCELLED', STOP_REASON],
      ]);
      assert.ok(before.rows.slice(3).every(([, status, reason]) => status === 'CANCELLED' && reason === STOP_REASON));
      // Results are numbered region by region. In flight: no reason yet; unstarted: the stop's.
      const byTarget = new Map(before.instances.map(([a, r, status, reason]) => [`${a}/${r}`, [status, reason]]));
      assert.deepEqual(byTarget.get('1000001/cn-beijing'), ['OUTDATED', null]);
      assert.deepEqual(byTarget.get('1000003/cn-beijing'), ['OUTDATED', STOP_REASON]);
      assert.deepEqual(byTarget.get('1000000/cn-shanghai'), ['OUTDATED', STOP_REASON]);

      // Not while the operation is STOPPING: its in-flight outcomes go first.
      assert.equal(await db.transaction((tx) => settleChunk(tx)), false);
      await operations.setStatus(db, op, 'STOPPED', NOW);
      // Three chunks: [0, 250), [250, 500), [500, 600), then nothing left.
      const progress: number[] = [];
      while (await db.transaction((tx) => settleChunk(tx))) {
        progress.push((await stored(db, op)).filter((s) => s === 'PENDING').length);
        const left = await backlogRows(db);
        if (left.length) assert.equal(left[0].next_seq % SETTLE_CHUNK, 0);
      }
      assert.deepEqual(progress, [TARGETS.length - SETTLE_CHUNK, TARGETS.length - 2 * SETTLE_CHUNK, 0]);
      assert.deepEqual(await backlogRows(db), []);
      // Written exactly as it was read, and read the same once written.
      assert.deepEqual(await reads(db, op, 'g1'), before);
      const raw = (await stackInstances.all(db, 'g1')).map((i) => [i.account_id, i.region_id, i.status, i.status_reason]);
      assert.deepEqual(raw, before.instances);
    } finally {
      await db.close();
    }
  });

  it('leaves the instances of DELETE and drift detection targets as they were', async () => {
    const db = openSqlite({ dataDir: '', inMemory: true });
    try {
      const op = await stoppedOperation(db, 'g2', 'DELETE');
      const before = await reads(db, op, 'g2');
      assert.ok(before.instances.every(([, , status, reason]) => status === 'OUTDATED' && reason === null));
      while (await db.transaction((tx) => settleChunk(tx)));
      assert.deepEqual(await reads(db, op, 'g2'), before);
      assert.equal((await stored(db, op)).filter((s) => s === 'CANCELLED').length, TARGETS.length - 3);
    } finally {
      await db.close();
    }
  });

  it('is written whole before another operation of the group is accepted', async () => {
    const db = openSqlite({ dataDir: '', inMemory: true });
    try {
      const op = await stoppedOperation(db, 'g3');
      const before = await reads(db, op, 'g3');
      await db.transaction(async (tx) => assertGroupIdle(tx, groupRow('g3', NOW)));
      assert.deepEqual(await backlogRows(db), []);
      assert.ok((await stored(db, op)).every((s) => s !== 'PENDING'));
      assert.deepEqual(await reads(db, op, 'g3'), before);
    } finally {
      await db.close();
    }
  });

  it('goes on from where it was after a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'localros-stop-backlog-'));
    try {
      let db = openSqlite({ dataDir, inMemory: false });
      const op = await stoppedOperation(db, 'g4');
      const before = await reads(db, op, 'g4');
      await db.transaction((tx) => settleChunk(tx));
      await db.close();

      db = openSqlite({ dataDir, inMemory: false });
      try {
        assert.deepEqual(await backlogRows(db), [{ operation_id: op, next_seq: SETTLE_CHUNK }]);
        assert.deepEqual(await reads(db, op, 'g4'), before);
        let chunks = 0;
        while (await db.transaction((tx) => settleChunk(tx))) chunks++;
        assert.equal(chunks, 2);
        assert.deepEqual(await reads(db, op, 'g4'), before);
      } finally {
        await db.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
