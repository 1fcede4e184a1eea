// SetDeletionProtection, GetStackPolicy, SetStackPolicy. A nested stack takes its deletion
// protection from its root stack and cannot set its own (the ROS API reference,
// SetDeletionProtection); protection is enforced by DeleteStack (lifecycle.ts), policies by the
// updates (src/engine/stack-operations.ts).
import { ApiError } from '../../protocol/errors.ts';
import { standaloneStacks } from '../../store/repos/stacks-standalone.ts';
import { withFetchedPolicies } from '../../stacks/standalone/policy-source.ts';
import { checkPolicy } from '../../stacks/standalone/stack-policy.ts';
import { checkRegion, exactlyOne } from '../common.ts';
import type { Params } from '../action-params.ts';
import { requireStack } from '../stacks.ts';
import type { ActionTable, RequestContext } from '../types.ts';

async function stackOf(ctx: RequestContext, p: { RegionId: string; StackId: string }) {
  const regionId = p.RegionId;
  checkRegion('RegionId', regionId);
  return requireStack(ctx.services.db, ctx, regionId, p.StackId);
}

async function setDeletionProtection(ctx: RequestContext, p: Params<'SetDeletionProtection'>) {
  const stack = await stackOf(ctx, p);
  const fail = (reason: string) => new ApiError('InvalidOperation.SetDeletionProtection', { type: 'stack', ID: stack.id, reason });
  if (stack.parent_stack_id) throw fail('the deletion protection of a nested stack follows its root stack');
  if (stack.status.startsWith('DELETE_')) throw fail(`the stack is ${stack.status}`);
  await ctx.services.db.transaction((tx) => standaloneStacks.setDeletionProtection(tx, stack.id, p.DeletionProtection));
  return {};
}

async function getStackPolicy(ctx: RequestContext, p: Params<'GetStackPolicy'>) {
  const stack = await stackOf(ctx, p);
  return stack.stack_policy ? { StackPolicyBody: JSON.parse(stack.stack_policy) } : {};
}

async function setStackPolicy(ctx: RequestContext, p: Params<'SetStackPolicy'>) {
  const stack = await stackOf(ctx, p);
  exactlyOne(p, ['StackPolicyBody', 'StackPolicyURL']);
  const policies = await withFetchedPolicies(p);
  const policy = checkPolicy(policies.StackPolicyBody!, 'StackPolicyBody');
  await ctx.services.db.transaction((tx) => standaloneStacks.setPolicy(tx, stack.id, policy));
  return {};
}

export const stackProtectionActions: ActionTable = {
  SetDeletionProtection: { handle: setDeletionProtection },
  GetStackPolicy: { handle: getStackPolicy },
  SetStackPolicy: { handle: setStackPolicy },
};
