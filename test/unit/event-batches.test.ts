// A stack action's events are stored together (migration 017), a row per EVENTS_PER_ROW events:
// numbering across actions and rows, newest first, filters and pages as ListStackEvents answers
// them, and the events of an older data directory moved over in order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { EVENT_BATCHES_SCHEMA } from '../../src/store/migrations/017-event-batches.ts';
import { packEvents, EVENTS_PER_ROW, stackEvents, type StackEvent } from '../../src/store/repos/stack-events.ts';
import { openSqlite } from '../../src/store/sqlite.ts';

const event = (id: string, status: string, type = 'ALIYUN::ECS::VPC'): StackEvent => ({
  logical_resource_id: id,
  resource_type: type,
  physical_resource_id: null,
  status,
  status_reason: null,
  create_time: '2026-12-02T00:00:00',
});

describe('stack events stored a row per action, or per EVENTS_PER_ROW of a large one', () => {
  it('numbers events across actions and pages them newest first, filtered', async () => {
    const db = openSqlite({ dataDir: '', inMemory: true });
    try {
      assert.equal(await stackEvents.append(db, 's1', [event('s1', 'CREATE_IN_PROGRESS', 'ALIYUN::ROS::Stack'), event('A', 'CREATE_IN_PROGRESS'), event('A', 'CREATE_COMPLETE')], 0), 0);
      // The next action's first number is found from the stored batches.
      assert.equal(await stackEvents.append(db, 's1', [event('A', 'UPDATE_IN_PROGRESS'), event('A', 'UPDATE_COMPLETE')]), 3);
      await stackEvents.appendAll(db, [{ stackId: 's2', firstSeq: 0, events: [event('B', 'CREATE_COMPLETE')] }]);

      const all = await stackEvents.page(db, 's1', {}, 10, 0);
      assert.equal(all.total, 5);
      assert.deepEqual(all.rows.map((e) => [e.seq, e.logical_resource_id, e.status]), [
        [4, 'A', 'UPDATE_COMPLETE'],
        [3, 'A', 'UPDATE_IN_PROGRESS'],
        [2, 'A', 'CREATE_COMPLETE'],
        [1, 'A', 'CREATE_IN_PROGRESS'],
        [0, 's1', 'CREATE_IN_PROGRESS'],
      ]);
      const page = await stackEvents.page(db, 's1', { statuses: ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'CREATE_IN_PROGRESS'] }, 2, 1);
      assert.equal(page.total, 4);
      assert.deepEqual(page.rows.map((e) => e.seq), [2, 1]);
      const byType = await stackEvents.page(db, 's1', { resourceTypes: ['ALIYUN::ROS::Stack'], logicalIds: ['s1'] }, 10, 0);
      assert.deepEqual(byType.rows.map((e) => [e.stack_id, e.seq, e.resource_type]), [['s1', 0, 'ALIYUN::ROS::Stack']]);
    } finally {
      await db.close();
    }
  });

  it('stores a large action in rows of EVENTS_PER_ROW, packed ahead or not, and reads them back in order', async () => {
    const db = openSqlite({ dataDir: '', inMemory: true });
    try {
      const count = 2 * EVENTS_PER_ROW + 5;
      const events = Array.from({ length: count }, (_, i) => event(`R${i}`, 'CREATE_COMPLETE'));
      await stackEvents.append(db, 's1', [event('s1', 'CREATE_IN_PROGRESS', 'ALIYUN::ROS::Stack')], 0);
      assert.equal(await stackEvents.append(db, 's1', events), 1);
      const packed = [0, EVENTS_PER_ROW, 2 * EVENTS_PER_ROW].map((from) => packEvents(events.slice(from, from + EVENTS_PER_ROW)));
      await stackEvents.appendAll(db, [{ stackId: 's2', firstSeq: 0, events, packed }]);
      for (const stackId of ['s1', 's2']) {
        const base = stackId === 's1' ? 1 : 0;
        const rows = await db.all<{ first_seq: number; event_count: number }>(`SELECT first_seq, event_count FROM stack_event_batches WHERE stack_id = ? ORDER BY first_seq`, [stackId]);
        assert.deepEqual(rows.slice(-3), [
          { first_seq: base, event_count: EVENTS_PER_ROW },
          { first_seq: base + EVENTS_PER_ROW, event_count: EVENTS_PER_ROW },
          { first_seq: base + 2 * EVENTS_PER_ROW, event_count: 5 },
        ]);
        const all = await stackEvents.page(db, stackId, {}, count + 1, 0);
        assert.equal(all.total, count + base);
        assert.deepEqual(all.rows.slice(0, count).map((e) => [e.seq, e.logical_resource_id]), events.map((e, i) => [base + i, e.logical_resource_id]).reverse());
      }
      // The next action numbers on from the last row.
      assert.equal(await stackEvents.append(db, 's1', [event('A', 'UPDATE_COMPLETE')]), count + 1);
    } finally {
      await db.close();
    }
  });

  it('moves the events of an older data directory over, in order', () => {
    const sqlite = new Database(':memory:');
    const index = MIGRATIONS.indexOf(EVENT_BATCHES_SCHEMA);
    for (const m of MIGRATIONS.slice(0, index)) sqlite.exec(m);
    const insert = sqlite.prepare(`INSERT INTO stack_events (stack_id, seq, logical_resource_id, resource_type, physical_resource_id, status, status_reason, create_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const seq of [2, 0, 1]) insert.run('s1', seq, `R${seq}`, 'T', seq === 1 ? 'p-1' : null, `S${seq}`, seq === 2 ? 'why' : null, 't');
    sqlite.exec(EVENT_BATCHES_SCHEMA);
    assert.deepEqual(sqlite.prepare(`SELECT stack_id, first_seq, event_count, events FROM stack_event_batches`).all(), [
      { stack_id: 's1', first_seq: 0, event_count: 3, events: JSON.stringify([['R0', 'T', null, 'S0', null, 't'], ['R1', 'T', 'p-1', 'S1', null, 't'], ['R2', 'T', null, 'S2', 'why', 't']]) },
    ]);
    assert.deepEqual(sqlite.prepare(`SELECT name FROM sqlite_master WHERE name = 'stack_events'`).all(), []);
  });
});
