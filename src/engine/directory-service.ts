// Changes to resource directories, from the config at start-up and from the control plane at
// run time. Every membership change runs auto-deployment in the same transaction.
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/schema.ts';
import { ApiError, invalidParameter } from '../protocol/errors.ts';
import type { Db } from '../store/db.ts';
import { resourceDirectoryRows } from '../store/repos/resource-directory.ts';
import { autoDeploy } from './auto-deploy.ts';
import type { Clock } from './clock.ts';
import type { OperationEngine } from './engine.ts';
import { loadDirectory, ROOT_FOLDER_ID } from './resource-directory.ts';

const FOLDER_ID_RE = /^fd-[A-Za-z0-9]{1,32}$/;
const ACCOUNT_ID_RE = /^\d{1,32}$/;

export class ResourceDirectoryService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly engine: OperationEngine,
    private readonly knownAccounts: ReadonlySet<string>,
  ) {}

  // The config seeds a directory the first time a data directory sees it; later changes made
  // through the control plane are kept across restarts.
  async seed(config: Config['resourceDirectories']): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const rd of config) {
        const seeded = (await resourceDirectoryRows.folders(tx, rd.accountId)).length + (await resourceDirectoryRows.members(tx, rd.accountId)).length;
        if (seeded) continue;
        for (const f of rd.folders) {
          await resourceDirectoryRows.insertFolder(tx, rd.accountId, { folder_id: f.folderId, parent_folder_id: f.parentFolderId ?? null, name: f.name ?? f.folderId });
        }
        for (const a of rd.accountIds) await resourceDirectoryRows.placeAccount(tx, rd.accountId, a, ROOT_FOLDER_ID);
        for (const f of rd.folders) for (const a of f.accountIds) await resourceDirectoryRows.placeAccount(tx, rd.accountId, a, f.folderId);
      }
    });
  }

  private requireAdmin(adminAccountId: string): void {
    if (!this.knownAccounts.has(adminAccountId)) throw invalidParameter('accountId', `${adminAccountId} is not a configured account`);
  }

  async tree(adminAccountId: string): Promise<Record<string, unknown>> {
    this.requireAdmin(adminAccountId);
    return (await loadDirectory(this.db, adminAccountId)).tree();
  }

  async addFolder(adminAccountId: string, input: { folderId?: string; name?: string; parentFolderId?: string }): Promise<string> {
    this.requireAdmin(adminAccountId);
    const folderId = input.folderId ?? `fd-${randomBytes(5).toString('hex')}`;
    if (!FOLDER_ID_RE.test(folderId)) throw invalidParameter('folderId', 'it must look like fd-<letters and digits>');
    return this.db.transaction(async (tx) => {
      const dir = await loadDirectory(tx, adminAccountId);
      if (dir.folders.has(folderId)) throw invalidParameter('folderId', `the folder ${folderId} already exists`);
      const parent = input.parentFolderId ?? ROOT_FOLDER_ID;
      if (!dir.folders.has(parent)) throw invalidParameter('parentFolderId', `the folder ${parent} does not exist`);
      await resourceDirectoryRows.insertFolder(tx, adminAccountId, { folder_id: folderId, parent_folder_id: parent === ROOT_FOLDER_ID ? null : parent, name: input.name ?? folderId });
      return folderId;
    });
  }

  async removeFolder(adminAccountId: string, folderId: string): Promise<void> {
    this.requireAdmin(adminAccountId);
    await this.db.transaction(async (tx) => {
      const dir = await loadDirectory(tx, adminAccountId);
      if (folderId === ROOT_FOLDER_ID || !dir.folders.has(folderId)) throw new ApiError('InvalidParameter', { name: 'folderId', reason: `the folder ${folderId} does not exist or is the root` });
      if (dir.subtree(folderId).size > 1 || dir.accountsIn([folderId]).length) throw invalidParameter('folderId', `the folder ${folderId} is not empty`);
      await resourceDirectoryRows.deleteFolder(tx, adminAccountId, folderId);
    });
  }

  // Moves an account into a folder (adding it to the directory if new); returns the
  // auto-deployment operations this started or queued.
  async placeAccount(adminAccountId: string, accountId: string, folderId: string): Promise<string[]> {
    this.requireAdmin(adminAccountId);
    if (!ACCOUNT_ID_RE.test(accountId)) throw invalidParameter('accountId', `${accountId} is not an Alibaba Cloud account ID`);
    return this.change(adminAccountId, accountId, async (tx, dir) => {
      if (!dir.folders.has(folderId)) throw invalidParameter('folderId', `the folder ${folderId} does not exist`);
      await resourceDirectoryRows.placeAccount(tx, adminAccountId, accountId, folderId);
    });
  }

  async removeAccount(adminAccountId: string, accountId: string): Promise<string[]> {
    this.requireAdmin(adminAccountId);
    return this.change(adminAccountId, accountId, async (tx, dir) => {
      if (!dir.folderOf(accountId)) throw invalidParameter('accountId', `${accountId} is not a member of the resource directory`);
      await resourceDirectoryRows.removeAccount(tx, adminAccountId, accountId);
    });
  }

  private async change(adminAccountId: string, accountId: string, apply: (tx: Db, dir: Awaited<ReturnType<typeof loadDirectory>>) => Promise<void>): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      const before = await loadDirectory(tx, adminAccountId);
      await apply(tx, before);
      const after = await loadDirectory(tx, adminAccountId);
      return autoDeploy(tx, this.clock, this.engine, { adminAccountId, accountId, before, after });
    });
  }
}
