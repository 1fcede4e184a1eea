import assert from 'node:assert/strict';
import { it } from 'node:test';
import { pgMigration, pgStatement } from '../../src/store/pg-dialect.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';

it('numbers named parameters once per name, and positional ones in order', () => {
  assert.deepEqual(pgStatement('SELECT * FROM t WHERE a = @a AND b = @b OR c = @a'), {
    text: 'SELECT * FROM t WHERE a = $1 AND b = $2 OR c = $1',
    slots: ['a', 'b'],
  });
  assert.deepEqual(pgStatement('INSERT INTO t (a, b) VALUES (?, ?), (?, ?)'), { text: 'INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)', slots: [0, 1, 2, 3] });
});

it('gives a parameter tested with IS NULL a text placeholder of its own', () => {
  assert.deepEqual(pgStatement('WHERE (@x IS NULL OR n = @x) AND (@y IS NOT NULL)'), {
    text: 'WHERE ($1::text IS NULL OR n = $2) AND ($3::text IS NOT NULL)',
    slots: ['x', 'x', 'y'],
  });
});

it("maps SQLite's LIMIT -1 (no limit) to PostgreSQL's LIMIT NULL", () => {
  assert.equal(pgStatement('SELECT * FROM t LIMIT @limit OFFSET @offset').text, 'SELECT * FROM t LIMIT NULLIF($1, -1) OFFSET $2');
});

it('leaves quoted strings and identifiers alone, and maps json_each', () => {
  assert.equal(pgStatement(`SELECT '@a ?' AS "x@y" FROM t`).text, `SELECT '@a ?' AS "x@y" FROM t`);
  assert.equal(
    pgStatement('WHERE id IN (SELECT value FROM json_each(@ids))').text,
    'WHERE id IN (SELECT value FROM json_array_elements_text(CAST($1 AS json)))',
  );
});

it('translates migrations: 64-bit integers, byte-wise text, a rowid per table', () => {
  const ddl = pgMigration(99, `CREATE TABLE t (\n  id TEXT PRIMARY KEY,\n  n INTEGER NOT NULL\n);\nCREATE TABLE w (\n  k TEXT PRIMARY KEY\n) WITHOUT ROWID;`);
  assert.equal(
    ddl,
    `CREATE TABLE t (\n  id TEXT COLLATE "C" PRIMARY KEY,\n  n BIGINT NOT NULL,\n  rowid BIGINT GENERATED ALWAYS AS IDENTITY\n);\nCREATE TABLE w (\n  k TEXT COLLATE "C" PRIMARY KEY\n);`,
  );
  // Every migration translates to something without SQLite-only syntax.
  for (const [i, m] of MIGRATIONS.entries()) assert.doesNotMatch(pgMigration(i, m), /AUTOINCREMENT|WITHOUT ROWID|json_group_array|ON \w+\s*\nBEGIN/, `migration ${i + 1}`);
});
