// Reads and writes of the child stacks of nested-stacks.ts: the tree below a stack, read before
// its operation runs, and what the operation did to it, written in the transaction that ends it.
import type { Db } from '../../store/db.ts';
import { stackEvents } from '../../store/repos/stack-events.ts';
import { stackResources, type StackResource } from '../../store/repos/stack-resources.ts';
import { standaloneStacks } from '../../store/repos/stacks-standalone.ts';
import { stacks, type Stack } from '../../store/repos/stacks.ts';
import type { ChildStack } from './nested-stacks.ts';

export async function loadChildTree(db: Db, rootId: string): Promise<Map<string, { stack: Stack; resources: StackResource[] }>> {
  const tree = new Map<string, { stack: Stack; resources: StackResource[] }>();
  const queue = [rootId];
  while (queue.length) {
    for (const stack of await stacks.children(db, queue.shift()!)) {
      tree.set(stack.id, { stack, resources: await stackResources.list(db, stack.id) });
      queue.push(stack.id);
    }
  }
  return tree;
}

export async function writeChildStacks(tx: Db, children: Iterable<ChildStack>): Promise<void> {
  for (const { stack, resources, isNew, events } of children) {
    if (isNew) {
      await standaloneStacks.insert(tx, {
        id: stack.id,
        accountId: stack.account_id,
        regionId: stack.region_id,
        name: stack.name,
        templateBody: stack.template_body,
        parameters: stack.parameters,
        disableRollback: stack.disable_rollback,
        timeoutInMinutes: stack.timeout_in_minutes,
        deletionProtection: 'Disabled',
        stackPolicy: null,
        notificationUrls: [],
        ramRoleName: null,
        resourceGroupId: stack.resource_group_id ?? null,
        parentStackId: stack.parent_stack_id ?? null,
        pending: null,
        reason: stack.status_reason ?? '',
        time: stack.create_time,
      });
    }
    await stacks.finish(tx, {
      id: stack.id,
      status: stack.status,
      status_reason: stack.status_reason ?? '',
      outputs: stack.outputs,
      update_time: stack.update_time!,
      template_body: stack.template_body,
      parameters: stack.parameters,
    });
    await stackResources.replaceAll(tx, stack.id, resources);
    await stackEvents.append(tx, stack.id, events, isNew ? 0 : undefined);
  }
}
