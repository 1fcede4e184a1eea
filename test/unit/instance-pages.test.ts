// Deep ListStackInstances pages start from page anchors (store/repos/page-anchors.ts); whatever
// the membership does, a page must hold exactly the rows OFFSET would give.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../../src/store/db.ts';
import { stackInstances, type StackInstance } from '../../src/store/repos/stack-instances.ts';
import { openSqlite } from '../../src/store/sqlite.ts';

const GROUP = 'group-pages';
let db: Db;

const instance = (accountId: string, regionId: string): StackInstance => ({
  group_id: GROUP,
  account_id: accountId,
  region_id: regionId,
  status: 'CURRENT',
  status_reason: null,
  stack_id: null,
  parameter_overrides: [],
  rd_folder_id: null,
  drift_status: null,
  drift_time: null,
});

const keyOf = (i: StackInstance) => `${i.account_id}/${i.region_id}`;

async function expectedPage(offset: number, limit: number): Promise<string[]> {
  const rows = await db.all<{ k: string }>(
    `SELECT account_id || '/' || region_id AS k FROM stack_instances WHERE group_id = @g ORDER BY account_id, region_id LIMIT @limit OFFSET @offset`,
    { g: GROUP, limit, offset },
  );
  return rows.map((r) => r.k);
}

async function assertPagesMatch(offsets: number[], limit = 50): Promise<void> {
  for (const offset of offsets) {
    const page = await stackInstances.page(db, GROUP, {}, limit, offset);
    assert.deepEqual(page.rows.map(keyOf), await expectedPage(offset, limit), `page at offset ${offset}`);
  }
}

describe('ListStackInstances deep pages', () => {
  before(async () => {
    db = openSqlite({ dataDir: '', inMemory: true });
    await db.run(
      `INSERT INTO stack_groups (id, account_id, region_id, name, status, template_body, parameters, permission_model, tags, capabilities, create_time, update_time)
       VALUES (@g, '1', 'cn-hangzhou', 'pages', 'ACTIVE', '{}', '[]', 'SELF_MANAGED', '[]', '[]', 't', 't')`,
      { g: GROUP },
    );
    await db.transaction(async (tx) => {
      // Inserted out of page order, so that insertion order cannot pass for key order.
      for (let a = 0; a < 250; a++) for (const r of ['cn-shanghai', 'cn-beijing', 'cn-hangzhou', 'ap-southeast-1', 'us-west-1', 'eu-central-1', 'cn-shenzhen', 'cn-qingdao', 'cn-zhangjiakou', 'ap-northeast-1']) {
        await stackInstances.insert(tx, instance(String(1_200_000_000_000_000 - a * 7919), r));
      }
    });
  });
  after(() => db.close());

  it('answers every page, across and at anchor boundaries, as OFFSET does', async () => {
    assert.equal((await stackInstances.page(db, GROUP, {}, 50, 0)).total, 2500);
    await assertPagesMatch([0, 950, 999, 1000, 1001, 1975, 2000, 2450, 2499, 2500, 3000]);
  });

  it('follows inserts and deletes made after the anchors were built', async () => {
    await assertPagesMatch([1500]);
    // Keys that sort first shift every later page by one.
    await stackInstances.insert(db, instance('0000000000000001', 'cn-hangzhou'));
    await assertPagesMatch([999, 1000, 1500, 2500]);
    await stackInstances.remove(db, GROUP, { accountId: '0000000000000001', regionId: 'cn-hangzhou' });
    const [first] = (await stackInstances.page(db, GROUP, {}, 1, 0)).rows;
    await stackInstances.remove(db, GROUP, { accountId: first.account_id, regionId: first.region_id });
    await assertPagesMatch([998, 999, 1000, 2000, 2498]);
    assert.equal((await stackInstances.page(db, GROUP, {}, 50, 0)).total, 2499);
  });

  it('keeps filtered pages on their own query', async () => {
    const page = await stackInstances.page(db, GROUP, { regionId: 'cn-beijing' }, 50, 200);
    assert.equal(page.total, 250);
    assert.equal(page.rows.length, 50);
    assert.ok(page.rows.every((r) => r.region_id === 'cn-beijing'));
  });
});
