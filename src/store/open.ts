// The store a configuration names: PostgreSQL when `database` is set, else SQLite in the data
// directory (or a temporary one).
import type { Config } from '../config/schema.ts';
import type { Db } from './db.ts';
import { openSqlite } from './sqlite.ts';

export async function openStore(config: Config): Promise<Db> {
  if (config.database) {
    // Loaded only when used: the default SQLite server never loads the PostgreSQL driver.
    const { openPostgres } = await import('./postgres.ts');
    return openPostgres(config.database);
  }
  return openSqlite({ dataDir: config.dataDir, inMemory: config.inMemory });
}
