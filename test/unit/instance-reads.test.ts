// The targets an engine turn launches read their instances together (stacks/run/run-context.ts):
// each read must answer its own instance (or none), whatever group it is in and however many
// reads share the statement; reads of one turn share it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db, SqlParams } from '../../src/store/db.ts';
import { stackInstances, type StackInstance } from '../../src/store/repos/stack-instances.ts';
import { openSqlite } from '../../src/store/sqlite.ts';
import { OperationReads } from '../../src/stacks/run/run-context.ts';

const GROUPS = ['group-a', 'group-b'];
const REGIONS = ['cn-hangzhou', 'cn-beijing', 'cn-shanghai'];
let db: Db;

const instance = (groupId: string, accountId: string, regionId: string): StackInstance => ({
  group_id: groupId,
  account_id: accountId,
  region_id: regionId,
  status: 'OUTDATED',
  // Tells the instances apart, so that an answer for the wrong key shows.
  status_reason: `${groupId} ${accountId} ${regionId}`,
  stack_id: null,
  parameter_overrides: [{ ParameterKey: 'Account', ParameterValue: accountId }],
  rd_folder_id: null,
  drift_status: null,
  drift_time: null,
});

// Counts the statements that read stack_instances.
function counting(inner: Db): { db: Db; reads: () => number } {
  let reads = 0;
  const count = (sql: string) => {
    if (/FROM .*stack_instances/s.test(sql)) reads++;
  };
  const db: Db = Object.create(inner);
  db.all = <T>(sql: string, params?: SqlParams) => (count(sql), inner.all<T>(sql, params));
  db.get = <T>(sql: string, params?: SqlParams) => (count(sql), inner.get<T>(sql, params));
  return { db, reads: () => reads };
}

describe('instance reads of the targets launched together', () => {
  before(async () => {
    db = openSqlite({ dataDir: '', inMemory: true });
    for (const g of GROUPS) {
      await db.run(
        `INSERT INTO stack_groups (id, account_id, region_id, name, status, template_body, parameters, permission_model, tags, capabilities, create_time, update_time)
         VALUES (@g, '1', 'cn-hangzhou', @g, 'ACTIVE', '{}', '[]', 'SELF_MANAGED', '[]', '[]', 't', 't')`,
        { g },
      );
    }
    await db.transaction(async (tx) => {
      for (const g of GROUPS) for (let a = 0; a < 400; a++) for (const r of REGIONS) await stackInstances.insert(tx, instance(g, String(1_000 + a), r));
    });
  });
  after(() => db.close());

  it('answers each read its own instance, or none, across groups and statements', async () => {
    const { db: counted, reads } = counting(db);
    const operations = new OperationReads();
    // 700 reads (more than one statement's 300 keys) over both groups, some for instances
    // that do not exist (an account and a region never added).
    const keys: { groupId: string; accountId: string; regionId: string }[] = [];
    for (let a = 0; a < 350; a++) {
      keys.push({ groupId: GROUPS[a % 2]!, accountId: String(1_000 + a), regionId: REGIONS[a % 3]! });
      keys.push({ groupId: GROUPS[(a + 1) % 2]!, accountId: a % 50 === 0 ? '999' : String(1_000 + a), regionId: a % 70 === 0 ? 'us-west-1' : REGIONS[(a + 1) % 3]! });
    }
    const answers = await Promise.all(keys.map((k) => operations.instance(counted, k.groupId, { accountId: k.accountId, regionId: k.regionId })));
    answers.forEach((found, i) => {
      const k = keys[i]!;
      const exists = k.accountId !== '999' && k.regionId !== 'us-west-1';
      assert.deepEqual(found, exists ? instance(k.groupId, k.accountId, k.regionId) : undefined, `read ${i}`);
    });
    // Per group, 350 keys: two statements of at most 300.
    assert.equal(reads(), 4);
  });

  it('reads again for the reads of a later turn', async () => {
    const { db: counted, reads } = counting(db);
    const operations = new OperationReads();
    const key = { accountId: '1001', regionId: 'cn-beijing' };
    assert.equal((await operations.instance(counted, 'group-a', key))?.status_reason, 'group-a 1001 cn-beijing');
    await db.run(`UPDATE stack_instances SET status_reason = 'changed' WHERE group_id = 'group-a' AND account_id = '1001' AND region_id = 'cn-beijing'`);
    assert.equal((await operations.instance(counted, 'group-a', key))?.status_reason, 'changed');
    assert.equal(reads(), 2);
  });
});
