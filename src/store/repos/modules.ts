// The MODULE resource types of an account (migration 015): versions v1, v2, ... of each type,
// one of them the default. Versions are numbered per type and never reused while the type lives.
import type { Db } from '../db.ts';

export interface ModuleVersion {
  resource_type: string;
  version_number: number;
  registration_id: string;
  template_body: string;
  description: string | null;
  is_default: number;
  create_time: string;
  update_time: string;
}

const COLUMNS = 'resource_type, version_number, registration_id, template_body, description, is_default, create_time, update_time';

export const moduleVersions = {
  async ofType(db: Db, accountId: string, type: string): Promise<ModuleVersion[]> {
    return db.all<ModuleVersion>(`SELECT ${COLUMNS} FROM module_versions WHERE account_id = @accountId AND resource_type = @type ORDER BY version_number`, { accountId, type });
  },

  async all(db: Db, accountId: string): Promise<ModuleVersion[]> {
    return db.all<ModuleVersion>(`SELECT ${COLUMNS} FROM module_versions WHERE account_id = @accountId ORDER BY create_time, resource_type, version_number`, { accountId });
  },

  async insert(db: Db, accountId: string, v: ModuleVersion): Promise<void> {
    await db.run(
      `INSERT INTO module_versions (account_id, ${COLUMNS}) VALUES (@accountId, @resource_type, @version_number, @registration_id, @template_body, @description, @is_default, @create_time, @update_time)`,
      { accountId, ...v },
    );
  },

  async setDefault(db: Db, accountId: string, type: string, versionNumber: number, time: string): Promise<void> {
    await db.run(
      `UPDATE module_versions SET is_default = CASE WHEN version_number = @versionNumber THEN 1 ELSE 0 END, update_time = @time WHERE account_id = @accountId AND resource_type = @type`,
      { accountId, type, versionNumber, time },
    );
  },

  async setDescription(db: Db, accountId: string, type: string, versionNumber: number, description: string, time: string): Promise<void> {
    await db.run(
      `UPDATE module_versions SET description = @description, update_time = @time WHERE account_id = @accountId AND resource_type = @type AND version_number = @versionNumber`,
      { accountId, type, versionNumber, description, time },
    );
  },

  // Removes one version, or every version of the type when versionNumber is undefined.
  async remove(db: Db, accountId: string, type: string, versionNumber?: number): Promise<void> {
    await db.run(
      `DELETE FROM module_versions WHERE account_id = @accountId AND resource_type = @type AND (@versionNumber IS NULL OR version_number = @versionNumber)`,
      { accountId, type, versionNumber: versionNumber ?? null },
    );
  },
};
