// Writes what a finished stack action left (stack-run.ts), inside the transaction that records
// the target's result.
import type { RunSpec } from '../engine/types.ts';
import type { Db } from '../store/db.ts';
import { stackEvents } from '../store/repos/stack-events.ts';
import { stackResources } from '../store/repos/stack-resources.ts';
import { stacks } from '../store/repos/stacks.ts';
import type { StackEffect } from './stack-run.ts';

// Who a stack belongs to and how its operation deploys it.
export interface StackOwner {
  accountId: string;
  regionId: string;
  groupId: string;
  operationId: string;
  spec: RunSpec;
  // The hash under which spec.templateBody is stored, when known.
  templateHash?: string;
}

export async function writeDeployment(db: Db, effect: Extract<StackEffect, { kind: 'deployed' }>, owner: StackOwner): Promise<void> {
  const d = effect.deployment;
  const templateHash = effect.templateBody === owner.spec.templateBody ? owner.templateHash : undefined;
  if (effect.action === 'CREATE') {
    // A first create may not have written its beginning (an action that took no time); either
    // way the stack had no resources yet.
    await stacks.upsert(db, {
      id: effect.stackId,
      account_id: owner.accountId,
      region_id: owner.regionId,
      name: effect.stackName,
      status: d.status,
      status_reason: d.statusReason,
      group_id: owner.groupId,
      template_body: effect.templateBody,
      parameters: effect.parameters,
      outputs: d.outputs,
      create_time: d.startTime,
      update_time: d.endTime,
      disable_rollback: owner.spec.disableRollback,
      timeout_in_minutes: owner.spec.timeoutInMinutes,
      operation_id: owner.operationId,
    }, templateHash);
    await stackResources.insertAll(db, effect.stackId, d.resources);
  } else {
    const found = await stacks.finish(db, {
      id: effect.stackId,
      status: d.status,
      status_reason: d.statusReason,
      outputs: d.outputs,
      update_time: d.endTime,
      // A rolled-back update keeps the template and values it had.
      ...(effect.action === 'UPDATE' && !d.keepsPrevious ? { template_body: effect.templateBody, parameters: effect.parameters } : {}),
      ...(effect.action === 'UPDATE' ? { disable_rollback: owner.spec.disableRollback, timeout_in_minutes: owner.spec.timeoutInMinutes } : {}),
    }, templateHash);
    // Gone meanwhile (a reset): there is nothing to finish.
    if (!found) return;
    await stackResources.replaceAll(db, effect.stackId, d.resources);
  }
  // A first create's events are the stack's first: its beginning writes none.
  await stackEvents.append(db, effect.stackId, d.events, effect.action === 'CREATE' ? 0 : undefined);
}
