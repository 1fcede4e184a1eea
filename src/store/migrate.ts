// Numbered migrations, applied in order inside one transaction each; the applied version is
// kept in user_version so an old data directory is upgraded in place.
import type Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations/index.ts';

export function migrate(sqlite: Database.Database): void {
  const current = sqlite.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`the data directory was written by a newer localros (schema ${current}, this build knows ${MIGRATIONS.length})`);
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    sqlite.transaction(() => {
      sqlite.exec(MIGRATIONS[version]);
      sqlite.pragma(`user_version = ${version + 1}`);
    })();
  }
}
