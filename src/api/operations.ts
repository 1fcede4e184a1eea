// GetStackGroupOperation, ListStackGroupOperations, ListStackGroupOperationResults,
// StopStackGroupOperation (ros-api.md §5.11–5.14; semantics.md §2, §3, §8, §13).
import { driftDetail } from '../engine/drift.ts';
import { echoPreferences } from '../engine/plan.ts';
import { resultsAsRead } from '../engine/stop-view.ts';
import { withRenderedJson } from '../protocol/envelope.ts';
import { ApiError, invalidParameter } from '../protocol/errors.ts';
import type { Db } from '../store/db.ts';
import { operations, results, type OperationView } from '../store/repos/operations.ts';
import { checkRegion, paging, requireGroupHeader } from './common.ts';
import type { Params } from './action-params.ts';
import { keepAnswer, pollOperation, type PolledOperation } from './operation-polls.ts';
import type { ActionTable, RequestContext, ResponseBody } from './types.ts';

// requireOperation through the poll cache: the operation's current status, without reading its
// whole row again, and at once when the cache can answer so (see pollOperation).
function requirePolledOperation(ctx: RequestContext, p: { RegionId: string; OperationId: string }): PolledOperation | Promise<PolledOperation> {
  checkRegion('RegionId', p.RegionId);
  const polled = pollOperation(ctx.services.db, p.OperationId);
  return polled instanceof Promise ? polled.then((found) => visiblePoll(ctx, p, found)) : visiblePoll(ctx, p, polled);
}

function visiblePoll(ctx: RequestContext, p: { RegionId: string; OperationId: string }, polled: PolledOperation | undefined): PolledOperation {
  const op = polled?.view;
  if (!polled || !op || op.group_account_id !== ctx.accountId || op.group_region_id !== p.RegionId) {
    throw new ApiError('StackGroupOperationNotFound', { OperationId: p.OperationId });
  }
  return polled;
}

// An operation is visible to the account owning its group, in the group's region; anything
// else answers exactly like an unknown id.
async function requireOperation(db: Db, ctx: RequestContext, p: { RegionId: string; OperationId: string }): Promise<OperationView> {
  const regionId = p.RegionId;
  checkRegion('RegionId', regionId);
  const id = p.OperationId;
  const op = await operations.view(db, id);
  if (!op || op.group_account_id !== ctx.accountId || op.group_region_id !== regionId) {
    throw new ApiError('StackGroupOperationNotFound', { OperationId: id });
  }
  return op;
}

function summary(op: Pick<OperationView, 'id' | 'action' | 'status' | 'group_id' | 'description' | 'create_time' | 'end_time'>, groupName: string): Record<string, unknown> {
  return {
    OperationId: op.id,
    Action: op.action,
    Status: op.status,
    StackGroupId: op.group_id,
    StackGroupName: groupName,
    OperationDescription: op.description ?? undefined,
    CreateTime: op.create_time,
    EndTime: op.end_time ?? undefined,
  };
}

// Polled over and over: the operation comes from the poll cache (operation-polls.ts), and an
// answer that only its status could change is kept there until the status moves. A drift
// detection's answer also shows its running counts, so it is built every time.
function getStackGroupOperation(ctx: RequestContext, p: Params<'GetStackGroupOperation'>): ResponseBody | Promise<ResponseBody> {
  const polled = requirePolledOperation(ctx, p);
  return polled instanceof Promise ? polled.then((found) => pollAnswer(ctx, found)) : pollAnswer(ctx, polled);
}

function pollAnswer(ctx: RequestContext, polled: PolledOperation): ResponseBody | Promise<ResponseBody> {
  const op = polled.view;
  if (op.action === 'DETECT_DRIFT') return driftDetail(ctx.services.db, op).then((detail) => operationAnswer(op, detail));
  // Built and kept in the same synchronous step as the view was read, so that a kept answer
  // always matches the view beside it.
  return polled.answer ?? withRenderedJson(keepAnswer(polled, operationAnswer(op)));
}

function operationAnswer(op: OperationView, driftDetection?: unknown) {
  return {
    StackGroupOperation: {
      ...summary(op, op.group_name),
      AdministrationRoleName: op.administration_role_name ?? undefined,
      ExecutionRoleName: op.execution_role_name ?? undefined,
      OperationPreferences: echoPreferences(op.preferences, op.region_order),
      ...(op.action === 'DELETE' ? { RetainStacks: op.retain_stacks === true } : {}),
      ...(op.deployment_targets ? { DeploymentTargets: JSON.parse(op.deployment_targets) } : {}),
      ...(op.action === 'DETECT_DRIFT' ? { StackGroupDriftDetectionDetail: driftDetection } : {}),
    },
  };
}

async function listStackGroupOperations(ctx: RequestContext, p: Params<'ListStackGroupOperations'>) {
  const regionId = p.RegionId;
  checkRegion('RegionId', regionId);
  const { db } = ctx.services;
  const group = await requireGroupHeader(db, ctx, regionId, p.StackGroupName);
  const page = paging(p);
  const { rows, total } = await operations.page(db, group.id, page.limit, page.offset);
  return { StackGroupOperations: rows.map((op) => summary(op, group.name)), TotalCount: total, PageNumber: page.PageNumber, PageSize: page.PageSize };
}

async function listStackGroupOperationResults(ctx: RequestContext, p: Params<'ListStackGroupOperationResults'>) {
  const { db } = ctx.services;
  const op = await requireOperation(db, ctx, p);
  const page = paging(p);
  const { rows, total } = await results.page(db, op.id, page.limit, page.offset);
  return {
    StackGroupOperationResults: resultsAsRead(op.status, rows).map((r) => ({
      AccountId: r.account_id,
      RegionId: r.region_id,
      Status: r.status,
      StatusReason: r.status_reason ?? undefined,
      RdFolderId: r.rd_folder_id ?? undefined,
    })),
    TotalCount: total,
    PageNumber: page.PageNumber,
    PageSize: page.PageSize,
  };
}

// The stop is committed before the answer is sent, so no target starts after the caller has
// it (semantics.md §8).
// A finished operation never runs again, so its refusal is answered from a read, without the
// write transaction (a client retrying a Stop, the API bench's error path).
async function stopStackGroupOperation(ctx: RequestContext, p: Params<'StopStackGroupOperation'>) {
  const { db, engine } = ctx.services;
  refuseFinished((await requirePolledOperation(ctx, p)).view.status);
  await db.transaction(async (tx) => {
    const op = await requireOperation(tx, ctx, p);
    if (op.status === 'STOPPING') return;
    refuseFinished(op.status);
    if (!(await engine.stop(tx, op.id))) throw new Error(`operation ${op.id} is RUNNING but has no runner`);
  });
  return {};
}

function refuseFinished(status: OperationView['status']): void {
  if (status !== 'RUNNING' && status !== 'QUEUED' && status !== 'STOPPING') {
    throw invalidParameter('OperationId', `the operation is not running (its status is ${status})`);
  }
}

export const operationActions: ActionTable = {
  GetStackGroupOperation: { handle: getStackGroupOperation },
  ListStackGroupOperations: { handle: listStackGroupOperations },
  ListStackGroupOperationResults: { handle: listStackGroupOperationResults },
  StopStackGroupOperation: { handle: stopStackGroupOperation },
};
