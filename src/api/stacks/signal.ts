// SignalResource: a signal to a wait condition of a standalone stack, as its handle's URL gives
// one (stacks/standalone/signals.ts). LogicalResourceId names the WaitConditionHandle or the
// WaitCondition waiting on it; UniqueId is the signal's id (a signal with the id of an earlier
// one replaces it).
import { ApiError, invalidParameter } from '../../protocol/errors.ts';
import { handleOf, signalStatus, storeSignal } from '../../stacks/standalone/signals.ts';
import { checkRegion, idempotent } from '../common.ts';
import type { Params } from '../action-params.ts';
import { requireStack } from '../stacks.ts';
import type { ActionTable, RequestContext } from '../types.ts';

async function signalResource(ctx: RequestContext, p: Params<'SignalResource'>) {
  const regionId = p.RegionId;
  checkRegion('RegionId', regionId);
  const status = signalStatus(p.Status);
  if (!status || p.Status === undefined) throw invalidParameter('Status', 'it must be SUCCESS, FAILURE or WARNING');
  const { clock, engine, bus } = ctx.services;
  let stackId = '';
  const body = await idempotent(ctx, p, async (tx) => {
    const stack = await requireStack(tx, ctx, regionId, p.StackId);
    const logicalId = p.LogicalResourceId;
    const handle = handleOf(stack, logicalId);
    if (!handle) throw new ApiError('StackResourceNotFound', { resource: logicalId, name: stack.name });
    await storeSignal(tx, bus, stack.id, handle, { status, id: p.UniqueId }, clock.now());
    stackId = stack.id;
    return {};
  });
  if (stackId) engine.stacks.signalled(stackId);
  return body;
}

export const stackSignalActions: ActionTable = {
  SignalResource: { handle: signalResource },
};
