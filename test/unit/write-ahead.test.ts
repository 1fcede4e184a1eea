// A large action's resources written ahead of its result (issue 18): in several transactions,
// over whatever a crashed run left (rows of the same resources, rows the action no longer has),
// and not at all into a stack a reset removed meanwhile; its events packed ahead in slices.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Db } from '../../src/store/db.ts';
import { stackResources, type StackResource } from '../../src/store/repos/stack-resources.ts';
import { openSqlite } from '../../src/store/sqlite.ts';
import { packEventsAhead, RESOURCES_PER_CHUNK, writeResourcesAhead, writesAhead } from '../../src/stacks/run/write-ahead.ts';
import { EVENTS_PER_ROW, packEvents, type StackEvent } from '../../src/store/repos/stack-events.ts';

const resource = (i: number, status = 'CREATE_COMPLETE'): StackResource => ({
  logical_resource_id: `R${i}`,
  seq: i,
  resource_type: 'ALIYUN::ROS::WaitConditionHandle',
  physical_resource_id: `p-${i}`,
  status,
  status_reason: 'state changed',
  attributes: { Id: `p-${i}` },
  depends_on: [],
  deletion_policy: 'Delete',
  create_time: '2026-12-03T00:00:00',
  update_time: '2026-12-03T00:00:00',
});

async function withStack(fn: (db: ReturnType<typeof openSqlite>) => Promise<void>): Promise<void> {
  const db = openSqlite({ dataDir: '', inMemory: true });
  try {
    await db.run(
      `INSERT INTO stacks (id, account_id, region_id, name, status, status_reason, template_body, parameters, outputs, create_time, disable_rollback, timeout_in_minutes)
       VALUES ('s1', 'a', 'cn-hangzhou', 'big', 'CREATE_IN_PROGRESS', NULL, '{}', '[]', '[]', '2026-12-03T00:00:00', 0, 60)`,
    );
    await fn(db);
  } finally {
    await db.close();
  }
}

it('writes only large actions ahead, and a create that a crashed run began writing', () => {
  assert.equal(writesAhead('CREATE', RESOURCES_PER_CHUNK, 0), false);
  assert.equal(writesAhead('CREATE', RESOURCES_PER_CHUNK + 1, 0), true);
  assert.equal(writesAhead('DELETE', 0, RESOURCES_PER_CHUNK + 1), true);
  assert.equal(writesAhead('UPDATE', 3, 2), false);
  assert.equal(writesAhead('CREATE', 3, 1), true);
});

it('leaves the stack holding exactly the action resources, over what a crashed run wrote', async () => {
  await withStack(async (db) => {
    const count = RESOURCES_PER_CHUNK * 2 + 7;
    // A crashed run wrote some of the same resources (older values) and one this run no longer has.
    await stackResources.insertAll(db, 's1', [resource(0, 'CREATE_IN_PROGRESS'), resource(5), { ...resource(count + 50), logical_resource_id: 'Gone' }]);
    await db.run(`UPDATE stack_resources SET drift_status = 'MODIFIED', drift = '{}' WHERE logical_resource_id = 'R5'`);
    let commits = 0;
    const counting: Db = Object.create(db);
    counting.transaction = (fn) => (commits++, db.transaction(fn));
    const wanted = Array.from({ length: count }, (_, i) => resource(i));
    assert.equal(await writeResourcesAhead(counting, 's1', wanted), true);
    const stored = await stackResources.list(db, 's1');
    const fields = Object.keys(wanted[0]) as (keyof StackResource)[];
    assert.deepEqual(stored.map((r) => Object.fromEntries(fields.map((f) => [f, r[f]]))), wanted);
    // Nothing a drift detection found about the rows written over survives.
    const drift = await db.all(`SELECT 1 FROM stack_resources WHERE drift_status IS NOT NULL OR drift IS NOT NULL`);
    assert.deepEqual(drift, []);
    // Three chunks of upserts and one of removals.
    assert.equal(commits, 4);
  });
});

it('writes nothing into a stack that is gone', async () => {
  await withStack(async (db) => {
    await db.run(`DELETE FROM stacks WHERE id = 's1'`);
    assert.equal(await writeResourcesAhead(db, 's1', [resource(1)]), false);
    assert.deepEqual(await stackResources.list(db, 's1'), []);
  });
});

it('packs events ahead a row at a time, each row exactly as it is packed at once', async () => {
  const events: StackEvent[] = Array.from({ length: 2503 }, (_, i) => ({
    logical_resource_id: `R${i}`,
    resource_type: 'ALIYUN::ROS::WaitConditionHandle',
    physical_resource_id: i % 2 ? null : `p-${i}`,
    status: 'CREATE_COMPLETE',
    status_reason: i % 3 ? 'state changed' : null,
    create_time: '2026-12-03T00:00:00',
  }));
  assert.deepEqual(await packEventsAhead(events), [
    packEvents(events.slice(0, EVENTS_PER_ROW)),
    packEvents(events.slice(EVENTS_PER_ROW, 2 * EVENTS_PER_ROW)),
    packEvents(events.slice(2 * EVENTS_PER_ROW)),
  ]);
  assert.deepEqual(await packEventsAhead(events.slice(0, 1)), [packEvents(events.slice(0, 1))]);
  assert.deepEqual(await packEventsAhead([]), []);
});
