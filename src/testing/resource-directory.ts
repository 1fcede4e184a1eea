// Typed helpers over /_localros/resource-directory/{accountId}: the folders and member
// accounts SERVICE_MANAGED stack groups deploy to. Moving an account runs auto-deployment.
import { controlPlane, type ControlPlaneOptions } from '../client/control-plane.ts';

export interface FolderNode {
  folderId: string;
  name: string;
  accountIds: string[];
  folders: FolderNode[];
}

export interface ResourceDirectory {
  /** The whole tree, from the root folder `r-root`. */
  tree(): Promise<FolderNode>;
  /** Creates a folder (under the root unless `parentFolderId` is given); returns its ID. */
  addFolder(folder?: { folderId?: string; name?: string; parentFolderId?: string }): Promise<string>;
  /** Deletes an empty folder. */
  removeFolder(folderId: string): Promise<void>;
  /** Adds or moves a member account; returns the auto-deployment operations started or queued. */
  moveAccount(accountId: string, folderId: string): Promise<string[]>;
  /** Removes a member account; returns the auto-deployment operations started or queued. */
  removeAccount(accountId: string): Promise<string[]>;
}

export function createResourceDirectory(opts: ControlPlaneOptions, managementAccountId: string): ResourceDirectory {
  const { call } = controlPlane(opts);
  const base = `/resource-directory/${managementAccountId}`;
  return {
    tree: async () => (await call('GET', base)) as FolderNode,
    addFolder: async (folder = {}) => ((await call('POST', `${base}/folders`, folder)) as { folderId: string }).folderId,
    removeFolder: async (folderId) => {
      await call('DELETE', `${base}/folders/${encodeURIComponent(folderId)}`);
    },
    moveAccount: async (accountId, folderId) =>
      ((await call('PUT', `${base}/accounts/${encodeURIComponent(accountId)}`, { folderId })) as { operationIds: string[] }).operationIds,
    removeAccount: async (accountId) => ((await call('DELETE', `${base}/accounts/${encodeURIComponent(accountId)}`)) as { operationIds: string[] }).operationIds,
  };
}
