// Migration 024 dropped stacks_by_owner: the reads by owner it served still find their rows
// through stacks_by_name, whose prefix it was, never by scanning every stack.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { migrate } from '../../src/store/migrate.ts';

const plan = (db: Database.Database, sql: string): string =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ a: '1', r: 'cn-hangzhou' }) as { detail: string }[]).map((r) => r.detail).join('\n');

describe('stack indexes after migration 024', () => {
  it('reads the stacks of an account, and of an account in a region, by index', () => {
    const db = new Database(':memory:');
    try {
      migrate(db);
      const names = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'stacks'`).all() as { name: string }[]).map((r) => r.name);
      assert.ok(!names.includes('stacks_by_owner'), names.join(', '));
      assert.match(plan(db, `SELECT id FROM stacks WHERE account_id = @a AND region_id = @r AND status <> 'DELETE_COMPLETE'`), /USING INDEX stacks_by_name/);
      assert.match(plan(db, `SELECT id FROM stacks WHERE account_id = @a AND status <> 'DELETE_COMPLETE'`), /USING INDEX stacks_by_name/);
    } finally {
      db.close();
    }
  });
});
