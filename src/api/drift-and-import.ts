// DetectStackGroupDrift and ImportStacksToStackGroup (ros-api.md §5.15–5.16; semantics.md §12):
// both are operations over a group's targets, accepted like the instance operations.
import { rosTime } from '../engine/clock.ts';
import { assertGroupIdle } from '../engine/accept.ts';
import { loadDirectory } from '../engine/resource-directory.ts';
import { DEFAULT_TIMEOUT_MINUTES, type OperationPreferences } from '../engine/types.ts';
import { ApiError, invalidParameter } from '../protocol/errors.ts';
import type { Db } from '../store/db.ts';
import type { StackGroup } from '../store/repos/stack-groups.ts';
import { outdatedInstance, stackInstances, type Target } from '../store/repos/stack-instances.ts';
import { stacks } from '../store/repos/stacks.ts';
import { parseStackArn } from '../stacks/sources/template-source.ts';
import { checkRegion, idempotent, requireGroup } from './common.ts';
import type { Params } from './action-params.ts';
import type { ActionTable, RequestContext } from './types.ts';


// What both actions take.
interface GroupOperationParams {
  RegionId: string;
  StackGroupName: string;
  ClientToken?: string;
  OperationPreferences?: OperationPreferences;
  OperationDescription?: string;
}

async function startOperation(
  ctx: RequestContext,
  p: GroupOperationParams,
  prepare: (tx: Db, group: StackGroup, now: string) => Promise<{ targets: Target[]; action: 'CREATE' | 'DETECT_DRIFT'; adopt: boolean }>,
) {
  const regionId = p.RegionId;
  checkRegion('RegionId', regionId);
  return idempotent(ctx, p, async (tx) => {
    const group = await requireGroup(tx, ctx, regionId, p.StackGroupName);
    await assertGroupIdle(tx, group);
    const now = rosTime(ctx.services.clock.now());
    const { targets, action, adopt } = await prepare(tx, group, now);
    const operationId = await ctx.services.engine.submit(tx, {
      group,
      action,
      regionOrder: [...new Set(targets.map((t) => t.regionId))],
      targets,
      preferences: p.OperationPreferences ?? {},
      description: p.OperationDescription ?? null,
      retainStacks: null,
      runSpec: { templateBody: group.template_body, parameters: group.parameters, disableRollback: false, timeoutInMinutes: DEFAULT_TIMEOUT_MINUTES, adoptStacks: adopt },
      now,
    });
    return { OperationId: operationId };
  });
}

// Every instance of the group is checked; the tolerance counts over the whole operation.
async function detectStackGroupDrift(ctx: RequestContext, p: Params<'DetectStackGroupDrift'>) {
  return startOperation(ctx, p, async (tx, group) => {
    const targets = (await stackInstances.all(tx, group.id)).map((i) => ({ accountId: i.account_id, regionId: i.region_id, rdFolderId: i.rd_folder_id ?? undefined }));
    return { targets, action: 'DETECT_DRIFT', adopt: false };
  });
}

// Existing stacks become the group's instances: each joins the group at once and its instance
// becomes CURRENT when its target runs. The operation's Action is CREATE (the value ROS records
// for imports is not documented).
async function importStacksToStackGroup(ctx: RequestContext, p: Params<'ImportStacksToStackGroup'>) {
  return startOperation(ctx, p, async (tx, group, now) => {
    const folders = p.ResourceDirectoryFolderIds;
    if (folders && group.permission_model !== 'SERVICE_MANAGED') throw invalidParameter('ResourceDirectoryFolderIds', 'it applies to SERVICE_MANAGED stack groups only');
    const directory = group.permission_model === 'SERVICE_MANAGED' ? await loadDirectory(tx, ctx.accountId) : undefined;
    const targets: Target[] = [];
    const seen = new Set<string>();
    for (const arn of p.StackArns) {
      // The decoder has checked every ARN against the same pattern.
      const { regionId, accountId, stackId } = parseStackArn(arn)!;
      const stack = await stacks.visible(tx, accountId, regionId, stackId);
      if (!stack) throw new ApiError('StackNotFound', { name: stackId });
      if (stack.group_id) throw invalidParameter('StackArns', `the stack ${stackId} already belongs to a stack group`);
      if (seen.has(`${accountId}/${regionId}`) || (await stackInstances.get(tx, group.id, { accountId, regionId }))) {
        throw new ApiError('StackInstanceExists', { instance: `${accountId}/${regionId}` });
      }
      seen.add(`${accountId}/${regionId}`);
      let rdFolderId: string | undefined;
      if (directory) {
        rdFolderId = directory.folderOf(accountId);
        if (!rdFolderId) throw invalidParameter('StackArns', `the account ${accountId} is not a member of the resource directory`);
        if (folders && !directory.isUnder(accountId, folders)) throw invalidParameter('StackArns', `the account ${accountId} is not in the folders given`);
      }
      await stacks.setGroup(tx, stack.id, group.id, now);
      const target = { accountId, regionId, rdFolderId };
      await stackInstances.insert(tx, outdatedInstance(group.id, target, [], stack.id));
      targets.push(target);
    }
    return { targets, action: 'CREATE', adopt: true };
  });
}

export const driftAndImportActions: ActionTable = {
  DetectStackGroupDrift: { handle: detectStackGroupDrift },
  ImportStacksToStackGroup: { handle: importStacksToStackGroup },
};
