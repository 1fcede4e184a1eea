// Many rows inserted a chunk per statement, the SQL of each chunk size built once and bound
// positionally. Inserting thousands of small rows one statement each cost more in per-statement
// work (binding, the call into SQLite, its promise) than in SQLite's B-trees, and naming every
// value of every row cost more than the insert (bench/README.md).
import type { Db } from './db.ts';

// `suffix`: SQL after the VALUES list (an ON CONFLICT clause).
export function multiRowInsert<Row extends object>(table: string, columns: readonly (keyof Row & string)[], rowsPerStatement: number, suffix = '') {
  const sqlByCount = new Map<number, string>();
  const row = `(${columns.map(() => '?').join(', ')})`;
  const sqlFor = (count: number): string => {
    let sql = sqlByCount.get(count);
    if (!sql) {
      sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: count }, () => row).join(', ')} ${suffix}`;
      sqlByCount.set(count, sql);
    }
    return sql;
  };
  return async (db: Db, rows: readonly Row[]): Promise<void> => {
    for (let from = 0; from < rows.length; from += rowsPerStatement) {
      const to = Math.min(rows.length, from + rowsPerStatement);
      const values: unknown[] = [];
      for (let i = from; i < to; i++) {
        const r = rows[i] as Record<string, unknown>;
        for (const c of columns) values.push(r[c]);
      }
      await db.run(sqlFor(to - from), values);
    }
  };
}
