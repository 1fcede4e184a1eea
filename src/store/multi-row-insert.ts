// Many rows inserted a chunk per statement, the SQL of each chunk size built once. Inserting
// thousands of small rows one statement each cost more in per-statement work (binding, the
// call into SQLite, its promise) than in SQLite's B-trees (bench/README.md).
import type { Db } from './db.ts';

export function multiRowInsert<Row extends object>(table: string, shared: readonly string[], columns: readonly (keyof Row & string)[], rowsPerStatement: number) {
  const sqlByCount = new Map<number, string>();
  const sqlFor = (count: number): string => {
    let sql = sqlByCount.get(count);
    if (!sql) {
      const values = Array.from({ length: count }, (_, i) => `(${[...shared.map((c) => `@${c}`), ...columns.map((c) => `@${c}${i}`)].join(', ')})`);
      sql = `INSERT INTO ${table} (${[...shared, ...columns].join(', ')}) VALUES ${values.join(', ')}`;
      sqlByCount.set(count, sql);
    }
    return sql;
  };
  // `sharedValues`: the value of each shared column, the same for every row.
  return async (db: Db, sharedValues: Record<string, unknown>, rows: readonly Row[]): Promise<void> => {
    for (let from = 0; from < rows.length; from += rowsPerStatement) {
      const chunk = rows.slice(from, from + rowsPerStatement);
      const params: Record<string, unknown> = { ...sharedValues };
      chunk.forEach((row, i) => {
        for (const c of columns) params[`${c}${i}`] = row[c];
      });
      await db.run(sqlFor(chunk.length), params);
    }
  };
}
