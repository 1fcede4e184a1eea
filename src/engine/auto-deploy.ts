// Auto-deployment of SERVICE_MANAGED groups (semantics.md §11): an account entering a folder a
// group deployed to gets the group's instances in the group's regions; one leaving loses them,
// stacks kept if RetainStacksOnAccountRemoval. An operation arriving while the group is busy is
// QUEUED. Operation preferences are not applied to these operations (the defaults are).
import { rosTime, type Clock } from './clock.ts';
import type { Db } from '../store/db.ts';
import { operations } from '../store/repos/operations.ts';
import { stackGroups, type StackGroup } from '../store/repos/stack-groups.ts';
import { outdatedInstance, stackInstances } from '../store/repos/stack-instances.ts';
import type { OperationEngine } from './engine.ts';
import type { DirectoryView } from './resource-directory.ts';
import { DEFAULT_TIMEOUT_MINUTES } from './types.ts';

export interface MembershipChange {
  adminAccountId: string;
  accountId: string;
  before: DirectoryView;
  after: DirectoryView;
}

async function deploy(db: Db, engine: OperationEngine, group: StackGroup, accountId: string, folderId: string, now: string): Promise<string | undefined> {
  const regions = await stackInstances.regions(db, group.id);
  const existing = new Set((await stackInstances.forAccount(db, group.id, accountId)).map((i) => i.region_id));
  const targets = regions.filter((r) => !existing.has(r)).map((regionId) => ({ accountId, regionId, rdFolderId: folderId }));
  if (!targets.length) return undefined;
  for (const t of targets) await stackInstances.insert(db, outdatedInstance(group.id, t, []));
  return accept(db, engine, group, 'CREATE', targets, null, now);
}

async function undeploy(db: Db, engine: OperationEngine, group: StackGroup, accountId: string, retain: boolean, now: string): Promise<string | undefined> {
  const instances = await stackInstances.forAccount(db, group.id, accountId);
  if (!instances.length) return undefined;
  const targets = instances.map((i) => ({ accountId, regionId: i.region_id, rdFolderId: i.rd_folder_id ?? undefined }));
  return accept(db, engine, group, 'DELETE', targets, retain, now);
}

async function accept(db: Db, engine: OperationEngine, group: StackGroup, action: 'CREATE' | 'DELETE', targets: { accountId: string; regionId: string; rdFolderId?: string }[], retain: boolean | null, now: string) {
  const busy = await operations.activeForGroup(db, group.id);
  return engine.submit(db, {
    group,
    action,
    status: busy ? 'QUEUED' : 'RUNNING',
    regionOrder: [...new Set(targets.map((t) => t.regionId))],
    targets,
    preferences: {},
    description: null,
    retainStacks: retain,
    runSpec: { templateBody: group.template_body, parameters: group.parameters, disableRollback: false, timeoutInMinutes: DEFAULT_TIMEOUT_MINUTES },
    now,
  });
}

// Runs inside the transaction that changes the directory; returns the operations it submitted.
export async function autoDeploy(db: Db, clock: Clock, engine: OperationEngine, change: MembershipChange): Promise<string[]> {
  const now = rosTime(clock.now());
  const started: string[] = [];
  for (const group of await stackGroups.autoDeployed(db, change.adminAccountId)) {
    const wasIn = change.before.isUnder(change.accountId, group.rd_folder_ids);
    const isIn = change.after.isUnder(change.accountId, group.rd_folder_ids);
    if (wasIn === isIn) continue;
    const settings = JSON.parse(group.auto_deployment!) as { RetainStacksOnAccountRemoval?: boolean };
    const id = isIn
      ? await deploy(db, engine, group, change.accountId, change.after.folderOf(change.accountId)!, now)
      : await undeploy(db, engine, group, change.accountId, settings.RetainStacksOnAccountRemoval === true, now);
    if (id) started.push(id);
  }
  return started;
}
