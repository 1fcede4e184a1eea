// What one target's stack action needs from the database, read outside any transaction before
// the action starts: the operation (its frozen template and parameters), the instance (its
// overrides), and the instance's stack with its resources.
import type { TargetAction } from '../../engine/fault-registry.ts';
import type { Db } from '../../store/db.ts';
import { operations, type Operation } from '../../store/repos/operations.ts';
import { stackInstances, targetId, type StackInstance, type TargetKey } from '../../store/repos/stack-instances.ts';
import { stackResources, type StackResource } from '../../store/repos/stack-resources.ts';
import { stacks, type Stack } from '../../store/repos/stacks.ts';
import type { NestedSources } from '../standalone/nested-sources.ts';

export interface RunContext {
  op: Operation;
  groupName: string;
  instance: StackInstance;
  // The instance's stack, unless it has none or it was deleted.
  stack?: Stack;
  resources: StackResource[];
}

// What the stack actions read of an operation (action, group, frozen run spec, RetainStacks)
// never changes once it is accepted, so the targets of one operation read it once; the read
// itself is shared, as targets start together. One per engine, so per server.
const MAX_CACHED_OPERATIONS = 64;
const MAX_CACHED_SOURCES = 16;

interface InstanceRead {
  db: Db;
  groupId: string;
  key: TargetKey;
  resolve: (instance: StackInstance | undefined) => void;
  reject: (e: unknown) => void;
}

export class OperationReads {
  private readonly reads = new Map<string, Promise<Operation | undefined>>();
  // The targets of one operation deploy one template: its nested stacks' TemplateURLs are
  // fetched once per operation, not once per target.
  private readonly sources = new Map<string, Promise<NestedSources>>();
  // The targets an engine turn launches reach their instance read in the same turn of the event
  // loop (each resumed by its own setImmediate): read together at the next turn, one statement
  // for hundreds of them instead of one each.
  private instanceReads: InstanceRead[] | undefined;

  get(db: Db, id: string): Promise<Operation | undefined> {
    let op = this.reads.get(id);
    if (!op) {
      op = operations.get(db, id);
      this.reads.set(id, op);
      // A failed read is not remembered.
      op.catch(() => this.reads.delete(id));
      if (this.reads.size > MAX_CACHED_OPERATIONS) this.reads.delete(this.reads.keys().next().value!);
    }
    return op;
  }

  has(id: string): boolean {
    return this.reads.has(id);
  }

  nestedSources(operationId: string, fetch: () => Promise<NestedSources>): Promise<NestedSources> {
    let sources = this.sources.get(operationId);
    if (!sources) {
      sources = fetch();
      this.sources.set(operationId, sources);
      sources.catch(() => this.sources.delete(operationId));
      if (this.sources.size > MAX_CACHED_SOURCES) this.sources.delete(this.sources.keys().next().value!);
    }
    return sources;
  }

  instance(db: Db, groupId: string, key: TargetKey): Promise<StackInstance | undefined> {
    return new Promise((resolve, reject) => {
      if (!this.instanceReads) {
        this.instanceReads = [];
        setImmediate(() => void this.readInstances());
      }
      this.instanceReads.push({ db, groupId, key, resolve, reject });
    });
  }

  private async readInstances(): Promise<void> {
    const reads = this.instanceReads ?? [];
    this.instanceReads = undefined;
    const batches = new Map<Db, Map<string, InstanceRead[]>>();
    for (const r of reads) {
      let byGroup = batches.get(r.db);
      if (!byGroup) batches.set(r.db, (byGroup = new Map()));
      let list = byGroup.get(r.groupId);
      if (!list) byGroup.set(r.groupId, (list = []));
      list.push(r);
    }
    for (const [db, byGroup] of batches) {
      for (const [groupId, list] of byGroup) {
        try {
          const found = await stackInstances.getMany(db, groupId, list.map((r) => r.key));
          for (const r of list) r.resolve(found.get(targetId(r.key.accountId, r.key.regionId)));
        } catch (e) {
          for (const r of list) r.reject(e);
        }
      }
    }
  }

  clear(): void {
    this.reads.clear();
    this.sources.clear();
  }
}

export async function loadRunContext(db: Db, reads: OperationReads, op: Operation, target: TargetAction): Promise<RunContext | undefined> {
  const instance = await reads.instance(db, op.group_id, { accountId: target.accountId, regionId: target.regionId });
  if (!instance) return undefined;
  const found = instance.stack_id ? await stacks.get(db, instance.stack_id) : undefined;
  const stack = found && found.status !== 'DELETE_COMPLETE' ? found : undefined;
  const resources = stack ? await stackResources.list(db, stack.id) : [];
  return { op, groupName: target.stackGroupName, instance, stack, resources };
}
