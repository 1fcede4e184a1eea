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

// `?, ?, …` for an IN list or a VALUES row of n values.
const placeholderLists = new Map<number, string>();
export function placeholders(n: number): string {
  let text = placeholderLists.get(n);
  if (!text) placeholderLists.set(n, (text = Array.from({ length: n }, () => '?').join(', ')));
  return text;
}

// `(?, ?), (?, ?), …`: `count` VALUES rows of `width` values.
const valueRowLists = new Map<string, string>();
export function valueRows(count: number, width: number): string {
  const key = `${count}x${width}`;
  let text = valueRowLists.get(key);
  if (!text) valueRowLists.set(key, (text = Array.from({ length: count }, () => `(${placeholders(width)})`).join(', ')));
  return text;
}

// Calls `fn` with consecutive slices of at most `size` items.
export async function inChunks<T>(items: readonly T[], size: number, fn: (chunk: readonly T[]) => Promise<unknown>): Promise<void> {
  for (let from = 0; from < items.length; from += size) await fn(items.length <= size ? items : items.slice(from, from + size));
}
