// Emptying the store for a reset: every table the migrations made, read from the schema itself
// so that a new table is never forgotten. Foreign keys are checked at commit, when every table
// is empty, so the order does not matter.
import type { Db } from './db.ts';

export async function clearAllTables(db: Db, keep: ReadonlySet<string> = new Set()): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.run('PRAGMA defer_foreign_keys = ON');
    const tables = await tx.all<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`);
    for (const { name } of tables) if (!keep.has(name)) await tx.run(`DELETE FROM "${name.replaceAll('"', '""')}"`);
  });
}
