// The effects of one finished target on its instance and stack (semantics.md §4, I2–I9).
// Called inside the runner's transaction, together with the result update. A target run again
// after a crash finds its stack as the interrupted run began it (*_IN_PROGRESS): the outcome
// of the new run replaces it entirely, so applying never depends on how far the first run got.
import { stackInstances, type StackInstance } from '../store/repos/stack-instances.ts';
import { stacks } from '../store/repos/stacks.ts';
import { writeDeployment, type StackOwner } from '../stacks/run/stack-writer.ts';
import { applyDrift } from './drift.ts';
import type { Outcome } from '../stacks/run/stack-run.ts';
import type { TargetContext, TurnContext } from './target-context.ts';

const ownerOf = (ctx: TurnContext): StackOwner => ({
  accountId: ctx.target.accountId,
  regionId: ctx.target.regionId,
  groupId: ctx.op.group_id,
  operationId: ctx.op.id,
  spec: ctx.op.run_spec,
  templateHash: ctx.templateHash,
});

// The stack's own record of the action, when the action produced one.
async function writeStack(ctx: TurnContext, stackIdBefore: string | null, outcome: Outcome): Promise<void> {
  if (outcome.stack?.kind === 'deployed') await writeDeployment(ctx.db, outcome.stack, ownerOf(ctx));
  // An action that ended without a result (an internal error after it began) leaves its stack
  // failed rather than IN_PROGRESS forever.
  else if (!outcome.ok && stackIdBefore) await stacks.failIfInProgress(ctx.db, stackIdBefore, outcome.reason, ctx.now);
}

// A failed or rejected action leaves the instance OUTDATED with the reason, and its stack, if
// any, attached (semantics.md §14.5).
function setInstance(ctx: TurnContext, stackId: string | null, outcome: Outcome): void {
  const [status, reason] = outcome.ok ? (['CURRENT', null] as const) : (['OUTDATED', outcome.reason] as const);
  ctx.writes.setDeployed(ctx.target, status, reason, stackId);
}

async function applyDeploy(ctx: TurnContext, stackIdBefore: string | null, outcome: Outcome): Promise<void> {
  await writeStack(ctx, stackIdBefore, outcome);
  setInstance(ctx, outcome.stack?.kind === 'deployed' ? outcome.stack.stackId : stackIdBefore, outcome);
}

async function applyDelete(ctx: TurnContext, instance: StackInstance, outcome: Outcome): Promise<void> {
  await writeStack(ctx, instance.stack_id, outcome);
  if (!outcome.ok) {
    await stackInstances.setStatus(ctx.db, ctx.op.group_id, ctx.target, 'INOPERABLE', outcome.reason);
    return;
  }
  // Stacks kept by DeleteStackInstances(RetainStacks=true) leave the group: they are plain
  // stacks of their account from then on.
  if (ctx.op.retain_stacks === true && instance.stack_id) await stacks.setGroup(ctx.db, instance.stack_id, null, ctx.now);
  await stackInstances.remove(ctx.db, ctx.op.group_id, ctx.target);
}

// The common outcome, a first create of the operation's template, gathered with the turn's others
// (turn-writes.ts) without awaiting anything: answers false for any other, which applyOutcome
// writes. A turn applies hundreds of outcomes, and their chains of awaits cost more than the
// gathering.
export function applyBatched(ctx: TurnContext, outcome: Outcome): boolean {
  if (ctx.op.action === 'DETECT_DRIFT' || ctx.op.action === 'DELETE' || outcome.stack?.kind !== 'deployed') return false;
  if (!ctx.writes.deployments.add(outcome.stack, ownerOf(ctx))) return false;
  setInstance(ctx, outcome.stack.stackId, outcome);
  return true;
}

export async function applyOutcome(ctx: TurnContext, outcome: Outcome): Promise<void> {
  if (ctx.op.action === 'DETECT_DRIFT') return applyDrift(ctx, outcome);
  // A deployed stack carries its id, so the instance needs no read: nothing else changes an
  // instance while an operation of its group runs (one operation per group).
  if (ctx.op.action !== 'DELETE' && outcome.stack?.kind === 'deployed') return applyDeploy(ctx, null, outcome);
  const instance = await stackInstances.get(ctx.db, ctx.op.group_id, ctx.target);
  // The instance can only be missing if it was removed outside this operation; nothing to do.
  if (!instance) return;
  if (ctx.op.action === 'DELETE') await applyDelete(ctx, instance, outcome);
  else await applyDeploy(ctx, instance.stack_id, outcome);
}

// A target cancelled before it started: CREATE/UPDATE instances stay OUTDATED with the reason;
// a DELETE target's instance is left as it was (semantics.md I4, I5, I10).
export async function applyCancel(ctx: TargetContext, reason: string): Promise<void> {
  if (ctx.op.action === 'DELETE' || ctx.op.action === 'DETECT_DRIFT') return;
  await stackInstances.setStatus(ctx.db, ctx.op.group_id, ctx.target, 'OUTDATED', reason);
}
