// ALIYUN::ROS::Stack resources as real child stacks (of standalone stacks, and of the stacks of
// stack instances through stack-run.ts): creating the resource
// creates a stack (ParentStackId set, hidden from ListStacks unless ShowNestedStack) from the
// resource's TemplateBody or TemplateURL (fetched when the operation was accepted,
// nested-sources.ts) with the resource's Parameters; updating or deleting it updates or deletes
// the child; the child's outputs are the resource's `Outputs.<Key>` attributes. The child runs
// inside the parent's action, on the same virtual clock, and is written in the transaction that
// ends the parent's operation (stack-operations.ts, or the target's in stack-writer.ts), so a
// restart re-runs the whole tree.
// A child never rolls back by itself (as Heat creates nested stacks): a failing child fails its
// resource, and the parent's rollback deletes the children it created and updates the ones it
// changed back to what they were.
import { rosTime } from '../../engine/clock.ts';
import type { Parameter } from '../../engine/types.ts';
import { ApiError } from '../../protocol/errors.ts';
import type { StackEvent } from '../../store/repos/stack-events.ts';
import type { StackResource } from '../../store/repos/stack-resources.ts';
import type { PendingOperation, Stack } from '../../store/repos/stacks.ts';
import type { NestedOutcome, NestedStackRunner, SimulationInput } from '../run/deployment.ts';
import { simulate } from '../run/simulate.ts';
import { seededString, seededUuid } from '../template/ids.ts';
import type { JsonObject, JsonValue, StackOutputLookup } from '../template/index.ts';
import { isJsonObject } from '../template/types.ts';
import { MAX_NESTED_DEPTH, type NestedSources } from './nested-sources.ts';
import { planStackRun } from './plan-run.ts';
import type { TemplateLoader } from '../template/template-loader.ts';

// A child stack as the parent's operation leaves it.
export interface ChildStack {
  stack: Stack;
  resources: StackResource[];
  // Not yet in the database.
  isNew: boolean;
  // Events of this operation, oldest first.
  events: StackEvent[];
}

export interface NestedRunContext {
  templates: TemplateLoader;
  // The children (and their children) as stored before the operation, by stack id.
  stored: ReadonlyMap<string, { stack: Stack; resources: StackResource[] }>;
  // TemplateURL → the template fetched before the operation ran.
  sources: Readonly<NestedSources>;
  stackOutputs?: StackOutputLookup;
  startMs: number;
  timeoutMs: number;
  // What the operation does to child stacks, by id; shared by the whole tree.
  children: Map<string, ChildStack>;
}

// A parameter value as a stack takes it: text; lists of scalars comma-joined
// (CommaDelimitedList), maps and other lists as JSON [INF].
function parameterText(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) return value.join(',');
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

export function childParameters(properties: JsonObject): Parameter[] {
  const given = properties.Parameters;
  if (!isJsonObject(given)) return [];
  return Object.entries(given).map(([ParameterKey, v]) => ({ ParameterKey, ParameterValue: parameterText(v) }));
}

// The child's template; an error message when there is none localros can read.
function childBody(properties: JsonObject, sources: Readonly<NestedSources>): string | { error: string } {
  const body = properties.TemplateBody;
  if (typeof body === 'string') return body;
  if (isJsonObject(body)) return JSON.stringify(body);
  const url = properties.TemplateURL;
  if (typeof url === 'string') {
    if (Object.hasOwn(sources, url)) {
      const got = sources[url]!;
      return 'body' in got ? got.body : { error: `The TemplateURL could not be read: ${got.error}` };
    }
    // Only literal URLs are fetched before the operation runs.
    return { error: `The TemplateURL ${url} was not fetched: localros reads the TemplateURL of a nested stack only when it is written as a literal string` };
  }
  if (properties.TemplateId !== undefined) return { error: 'A nested stack from TemplateId is not supported by localros (use TemplateBody or TemplateURL)' };
  return { error: 'Property TemplateBody or TemplateURL must be given' };
}

function outputAttributes(stack: Stack): Record<string, JsonValue> {
  return Object.fromEntries(stack.outputs.map((o) => [`Outputs.${o.OutputKey}`, o.OutputValue]));
}

export class NestedStacks implements NestedStackRunner {
  // What this action did to each child: its id and, for an update, the child as it was before.
  private readonly done: { logicalId: string; id: string; before?: Stack }[] = [];

  constructor(
    private readonly parent: Pick<Stack, 'id' | 'name' | 'region_id' | 'account_id' | 'timeout_in_minutes' | 'resource_group_id'>,
    private readonly ctx: NestedRunContext,
    // How deep the parent is nested (0: a top-level stack).
    private readonly depth = 0,
  ) {}

  private current(id: string): { stack: Stack; resources: StackResource[] } | undefined {
    const child = this.ctx.children.get(id) ?? this.ctx.stored.get(id);
    return child && child.stack.status !== 'DELETE_COMPLETE' ? child : undefined;
  }

  // Runs one action of a child stack and records it; answers the child as it ends.
  private run(stack: Stack, op: PendingOperation, resources: StackResource[], atMs: number): ChildStack | { error: string } {
    let input: SimulationInput;
    try {
      input = planStackRun(this.ctx.templates, stack, op, resources);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      return { error: e.message };
    }
    input = { ...input, nested: new NestedStacks(stack, this.ctx, this.depth + 1), ...(this.ctx.stackOutputs ? { stackOutputs: this.ctx.stackOutputs } : {}) };
    const startMs = this.ctx.startMs + atMs;
    const d = simulate(input, { startMs, stackOperationMs: 0, faultDelayMs: 0, timeoutMs: Math.max(this.ctx.timeoutMs - atMs, 0) });
    const kept = op.kind === 'UPDATE' && d.keepsPrevious;
    const previous = this.ctx.children.get(stack.id);
    const child: ChildStack = {
      stack: {
        ...stack,
        status: d.status,
        status_reason: d.statusReason,
        outputs: d.outputs,
        update_time: d.endTime,
        ...(kept ? {} : { template_body: op.templateBody, parameters: op.parameters }),
      },
      resources: d.resources,
      isNew: previous?.isNew ?? !this.ctx.stored.has(stack.id),
      events: [...(previous?.events ?? []), ...d.events],
    };
    this.ctx.children.set(stack.id, child);
    return child;
  }

  deploy(logicalId: string, physicalId: string | null, properties: JsonObject, atMs: number): NestedOutcome {
    if (this.depth >= MAX_NESTED_DEPTH) return { ok: false, reason: `Nested stacks are nested more than ${MAX_NESTED_DEPTH} levels deep` };
    const body = childBody(properties, this.ctx.sources);
    if (typeof body !== 'string') return { ok: false, reason: body.error };
    const existing = physicalId === null ? undefined : this.current(physicalId);
    const seed = `${this.parent.id}/${logicalId}/${this.ctx.startMs + atMs}`;
    const stack: Stack = existing?.stack ?? {
      id: seededUuid(seed),
      account_id: this.parent.account_id,
      region_id: this.parent.region_id,
      name: `${this.parent.name}-${logicalId}-${seededString(seed, 12)}`,
      status: 'CREATE_IN_PROGRESS',
      status_reason: null,
      group_id: null,
      template_body: body,
      parameters: [],
      outputs: [],
      create_time: rosTime(this.ctx.startMs + atMs),
      update_time: null,
      // Set by its parent's operations only.
      disable_rollback: true,
      timeout_in_minutes: typeof properties.TimeoutMins === 'number' ? properties.TimeoutMins : this.parent.timeout_in_minutes,
      operation_id: null,
      resource_group_id: typeof properties.ResourceGroupId === 'string' ? properties.ResourceGroupId : (this.parent.resource_group_id ?? null),
      parent_stack_id: this.parent.id,
      pending: null,
    };
    const op: PendingOperation = {
      id: seed,
      kind: existing ? 'UPDATE' : 'CREATE',
      templateBody: body,
      parameters: childParameters(properties),
      disableRollback: true,
      timeoutInMinutes: stack.timeout_in_minutes,
    };
    const child = this.run(stack, op, existing?.resources ?? [], atMs);
    if ('error' in child) return { ok: false, reason: child.error };
    this.done.push({ logicalId, id: stack.id, ...(existing ? { before: existing.stack } : {}) });
    if (!/_COMPLETE$/.test(child.stack.status) || /ROLLBACK/.test(child.stack.status)) return { ok: false, reason: child.stack.status_reason ?? child.stack.status };
    return { ok: true, physicalId: stack.id, attributes: outputAttributes(child.stack) };
  }

  remove(_logicalId: string, physicalId: string, atMs: number): void {
    const existing = this.current(physicalId);
    if (!existing) return;
    const { stack } = existing;
    this.run(stack, { id: `${stack.id}/delete/${atMs}`, kind: 'DELETE', templateBody: stack.template_body, parameters: stack.parameters, disableRollback: true, timeoutInMinutes: stack.timeout_in_minutes }, existing.resources, atMs);
  }

  rollback(atMs: number): void {
    for (const { logicalId, id, before } of [...this.done].reverse()) {
      if (!before) {
        this.remove(logicalId, id, atMs);
        continue;
      }
      const current = this.current(id);
      if (!current) continue;
      const op: PendingOperation = { id: `${id}/rollback/${atMs}`, kind: 'UPDATE', templateBody: before.template_body, parameters: before.parameters, disableRollback: true, timeoutInMinutes: before.timeout_in_minutes };
      this.run(current.stack, op, current.resources, atMs);
    }
    this.done.length = 0;
  }
}
