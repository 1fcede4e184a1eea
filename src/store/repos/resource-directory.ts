import type { Db } from '../db.ts';

export interface FolderRow {
  folder_id: string;
  parent_folder_id: string | null;
  name: string;
}

export interface MemberRow {
  account_id: string;
  folder_id: string;
}

export const resourceDirectoryRows = {
  async folders(db: Db, adminAccountId: string): Promise<FolderRow[]> {
    return db.all<FolderRow>(`SELECT folder_id, parent_folder_id, name FROM rd_folders WHERE admin_account_id = @adminAccountId ORDER BY rowid`, { adminAccountId });
  },

  async members(db: Db, adminAccountId: string): Promise<MemberRow[]> {
    return db.all<MemberRow>(`SELECT account_id, folder_id FROM rd_accounts WHERE admin_account_id = @adminAccountId ORDER BY rowid`, { adminAccountId });
  },

  async insertFolder(db: Db, adminAccountId: string, f: FolderRow): Promise<void> {
    await db.run(`INSERT INTO rd_folders (admin_account_id, folder_id, parent_folder_id, name) VALUES (@adminAccountId, @folder_id, @parent_folder_id, @name)`, {
      adminAccountId,
      ...f,
    });
  },

  async deleteFolder(db: Db, adminAccountId: string, folderId: string): Promise<void> {
    await db.run(`DELETE FROM rd_folders WHERE admin_account_id = @adminAccountId AND folder_id = @folderId`, { adminAccountId, folderId });
  },

  async placeAccount(db: Db, adminAccountId: string, accountId: string, folderId: string): Promise<void> {
    await db.run(
      `INSERT INTO rd_accounts (admin_account_id, account_id, folder_id) VALUES (@adminAccountId, @accountId, @folderId)
       ON CONFLICT (admin_account_id, account_id) DO UPDATE SET folder_id = excluded.folder_id`,
      { adminAccountId, accountId, folderId },
    );
  },

  async removeAccount(db: Db, adminAccountId: string, accountId: string): Promise<void> {
    await db.run(`DELETE FROM rd_accounts WHERE admin_account_id = @adminAccountId AND account_id = @accountId`, { adminAccountId, accountId });
  },
};
