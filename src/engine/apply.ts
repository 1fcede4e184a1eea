// The effects of one finished target on its instance and stack (semantics.md §4, I2–I9).
// Called inside the runner's transaction, together with the result update.
import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db.ts';
import type { Operation } from '../store/repos/operations.ts';
import { stackInstances, type StackInstance, type TargetKey } from '../store/repos/stack-instances.ts';
import { stacks, type Stack } from '../store/repos/stacks.ts';
import type { Outcome } from './executor.ts';
import type { Parameter } from './types.ts';

export interface TargetContext {
  db: Db;
  op: Operation;
  groupName: string;
  target: TargetKey;
  now: string;
}

function effectiveParameters(groupParams: Parameter[], overrides: Parameter[]): Parameter[] {
  const merged = new Map(groupParams.map((p) => [p.ParameterKey, p.ParameterValue]));
  for (const o of overrides) merged.set(o.ParameterKey, o.ParameterValue);
  return [...merged].map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
}

async function writeStack(ctx: TargetContext, instance: StackInstance, status: string, reason: string | null): Promise<string> {
  const { op, db, now } = ctx;
  const parameters = effectiveParameters(op.run_spec.parameters, instance.parameter_overrides);
  const existing = instance.stack_id ? await stacks.get(db, instance.stack_id) : undefined;
  if (existing && existing.status !== 'DELETE_COMPLETE') {
    await stacks.update(db, { ...existing, status, status_reason: reason, template_body: op.run_spec.templateBody, parameters, update_time: now });
    return existing.id;
  }
  const stack: Stack = {
    id: randomUUID(),
    account_id: ctx.target.accountId,
    region_id: ctx.target.regionId,
    name: `StackGroup-${ctx.groupName}-${randomUUID().slice(0, 8)}`,
    status,
    status_reason: reason,
    group_id: op.group_id,
    template_body: op.run_spec.templateBody,
    parameters,
    outputs: [],
    create_time: now,
    update_time: null,
  };
  await stacks.insert(db, stack);
  return stack.id;
}

async function applyDeploy(ctx: TargetContext, instance: StackInstance, outcome: Outcome): Promise<void> {
  const creating = !instance.stack_id;
  if (outcome.ok) {
    const stackId = await writeStack(ctx, instance, creating ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE', null);
    await stackInstances.setDeployed(ctx.db, ctx.op.group_id, ctx.target, 'CURRENT', null, stackId);
    return;
  }
  const keep = ctx.op.run_spec.disableRollback;
  const status = creating ? (keep ? 'CREATE_FAILED' : 'CREATE_ROLLBACK_COMPLETE') : keep ? 'UPDATE_FAILED' : 'ROLLBACK_COMPLETE';
  const stackId = await writeStack(ctx, instance, status, outcome.reason);
  await stackInstances.setDeployed(ctx.db, ctx.op.group_id, ctx.target, 'OUTDATED', outcome.reason, stackId);
}

async function applyDelete(ctx: TargetContext, instance: StackInstance, outcome: Outcome): Promise<void> {
  const stack = instance.stack_id ? await stacks.get(ctx.db, instance.stack_id) : undefined;
  if (!outcome.ok) {
    if (stack) await stacks.update(ctx.db, { ...stack, status: 'DELETE_FAILED', status_reason: outcome.reason, update_time: ctx.now });
    await stackInstances.setStatus(ctx.db, ctx.op.group_id, ctx.target, 'INOPERABLE', outcome.reason);
    return;
  }
  if (stack) {
    // A retained stack leaves the group: it is a plain stack of its account from now on.
    const retained = ctx.op.retain_stacks === true;
    await stacks.update(ctx.db, {
      ...stack,
      status: retained ? stack.status : 'DELETE_COMPLETE',
      group_id: retained ? null : stack.group_id,
      update_time: ctx.now,
    });
  }
  await stackInstances.remove(ctx.db, ctx.op.group_id, ctx.target);
}

export async function applyOutcome(ctx: TargetContext, outcome: Outcome): Promise<void> {
  const instance = await stackInstances.get(ctx.db, ctx.op.group_id, ctx.target);
  // The instance can only be missing if it was removed outside this operation; nothing to do.
  if (!instance) return;
  if (ctx.op.action === 'DELETE') await applyDelete(ctx, instance, outcome);
  else await applyDeploy(ctx, instance, outcome);
}

// A target cancelled before it started: CREATE/UPDATE instances stay OUTDATED with the reason;
// a DELETE target's instance is left as it was (semantics.md I4, I5, I10).
export async function applyCancel(ctx: TargetContext, reason: string): Promise<void> {
  if (ctx.op.action === 'DELETE') return;
  await stackInstances.setStatus(ctx.db, ctx.op.group_id, ctx.target, 'OUTDATED', reason);
}
