// The resource directory of an administrator account: a folder tree whose root holds every
// member account (semantics.md §11). localros has no real directory, so it is defined in the
// config and changed through the control plane; changes drive auto-deployment.
import { invalidParameter } from '../protocol/errors.ts';
import type { Db } from '../store/db.ts';
import { resourceDirectoryRows, type FolderRow, type MemberRow } from '../store/repos/resource-directory.ts';

export const ROOT_FOLDER_ID = 'r-root';

export class DirectoryView {
  private readonly children = new Map<string, string[]>();
  private readonly accountFolder = new Map<string, string>();
  readonly folders: ReadonlyMap<string, FolderRow>;

  constructor(folders: FolderRow[], members: MemberRow[]) {
    this.folders = new Map([[ROOT_FOLDER_ID, { folder_id: ROOT_FOLDER_ID, parent_folder_id: null, name: 'Root' }], ...folders.map((f) => [f.folder_id, f] as const)]);
    for (const f of folders) {
      const parent = f.parent_folder_id ?? ROOT_FOLDER_ID;
      this.children.set(parent, [...(this.children.get(parent) ?? []), f.folder_id]);
    }
    for (const m of members) this.accountFolder.set(m.account_id, m.folder_id);
  }

  folderOf(accountId: string): string | undefined {
    return this.accountFolder.get(accountId);
  }

  // The folder and all folders below it.
  subtree(folderId: string): Set<string> {
    const out = new Set<string>();
    const walk = (id: string) => {
      out.add(id);
      for (const c of this.children.get(id) ?? []) walk(c);
    };
    walk(folderId);
    return out;
  }

  // Member accounts in the folders (sub-folders included), in directory order.
  accountsIn(folderIds: string[]): { accountId: string; folderId: string }[] {
    const folders = new Set(folderIds.flatMap((f) => [...this.subtree(f)]));
    return [...this.accountFolder].filter(([, f]) => folders.has(f)).map(([accountId, folderId]) => ({ accountId, folderId }));
  }

  // Whether the account sits in one of the folders or below.
  isUnder(accountId: string, folderIds: string[]): boolean {
    const folder = this.accountFolder.get(accountId);
    return folder !== undefined && folderIds.some((f) => this.subtree(f).has(folder));
  }

  tree(): Record<string, unknown> {
    const node = (id: string): Record<string, unknown> => ({
      folderId: id,
      name: this.folders.get(id)!.name,
      accountIds: [...this.accountFolder].filter(([, f]) => f === id).map(([a]) => a),
      folders: (this.children.get(id) ?? []).map(node),
    });
    return node(ROOT_FOLDER_ID);
  }
}

export async function loadDirectory(db: Db, adminAccountId: string): Promise<DirectoryView> {
  return new DirectoryView(await resourceDirectoryRows.folders(db, adminAccountId), await resourceDirectoryRows.members(db, adminAccountId));
}

// DeploymentTargets → member accounts with the folder each was reached through.
export function expandTargets(dir: DirectoryView, targets: { RdFolderIds?: string[]; AccountIds?: string[] }): { accountId: string; folderId: string }[] {
  for (const f of targets.RdFolderIds ?? []) {
    if (!dir.folders.has(f)) throw invalidParameter('DeploymentTargets', `the folder ${f} does not exist in the resource directory`);
  }
  const out = new Map<string, string>();
  for (const a of dir.accountsIn(targets.RdFolderIds ?? [])) out.set(a.accountId, a.folderId);
  for (const a of targets.AccountIds ?? []) {
    const folder = dir.folderOf(a);
    if (!folder) throw invalidParameter('DeploymentTargets', `the account ${a} is not a member of the resource directory`);
    out.set(a, folder);
  }
  return [...out].map(([accountId, folderId]) => ({ accountId, folderId }));
}
