// Writes what a finished stack action left (stack-run.ts), inside the transaction that records
// the target's result; a large action's resources are already written (write-ahead.ts).
import type { RunSpec } from '../../engine/types.ts';
import type { Db } from '../../store/db.ts';
import { stackEvents, type EventBatch } from '../../store/repos/stack-events.ts';
import { stackResources, type StackResource } from '../../store/repos/stack-resources.ts';
import { stacks, type Stack } from '../../store/repos/stacks.ts';
import type { StackEffect } from './stack-run.ts';
import { writeChildStacks } from '../standalone/child-stacks-store.ts';

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

type Deployed = Extract<StackEffect, { kind: 'deployed' }>;

// The first creates of many stacks (the targets finishing in one engine turn), written together
// in shared statements: per statement and per row, that is most of what a target costs.
export class DeploymentBatch {
  private readonly stacks: { stack: Stack; bodyHash: string }[] = [];
  private readonly resources: { stackId: string; resources: readonly StackResource[] }[] = [];
  private readonly events: EventBatch[] = [];

  // Answers false for what it does not batch: anything but a first create of a known body
  // whose resources are not written yet.
  add(effect: Deployed, owner: StackOwner): boolean {
    const bodyHash = effect.templateBody === owner.spec.templateBody ? owner.templateHash : undefined;
    if (effect.action !== 'CREATE' || !bodyHash || effect.resourcesWritten || effect.children?.length) return false;
    this.stacks.push({ stack: createdStack(effect, owner), bodyHash });
    if (effect.deployment.resources.length) this.resources.push({ stackId: effect.stackId, resources: effect.deployment.resources });
    this.events.push({ stackId: effect.stackId, firstSeq: 0, events: effect.deployment.events });
    return true;
  }

  async flush(db: Db): Promise<void> {
    await stacks.upsertMany(db, this.stacks);
    await stackResources.insertMany(db, this.resources);
    await stackEvents.appendAll(db, this.events);
  }
}

// A first create may not have written its beginning (an action that took no time); either way
// the stack had no resources or events yet.
function createdStack(effect: Deployed, owner: StackOwner): Stack {
  const d = effect.deployment;
  return {
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
  };
}

// One stack's action, written on its own (what DeploymentBatch does not take).
export async function writeDeployment(db: Db, effect: Deployed, owner: StackOwner): Promise<void> {
  const d = effect.deployment;
  const templateHash = effect.templateBody === owner.spec.templateBody ? owner.templateHash : undefined;
  if (effect.action === 'CREATE') {
    await stacks.upsert(db, createdStack(effect, owner), templateHash);
    if (!effect.resourcesWritten) await stackResources.insertAll(db, effect.stackId, d.resources);
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
    if (!effect.resourcesWritten) await stackResources.replaceAll(db, effect.stackId, d.resources);
  }
  // A first create's events are the stack's first: its beginning writes none.
  await stackEvents.append(db, effect.stackId, d.events, effect.action === 'CREATE' ? 0 : undefined, effect.packedEvents);
  if (effect.children?.length) await writeChildStacks(db, effect.children);
}
