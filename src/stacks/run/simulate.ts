// One stack action, simulated on a virtual clock: the phases of deploy-work.ts run one after the
// other, the whole action taking `stackOperationMs` shared evenly between the phases, plus each
// phase's longest `LocalRos::DelayMs`, plus control-plane delay faults before it starts. The
// result (deployment.ts) is pure data: the engine sleeps its duration and writes it in the
// transaction that finishes the target.
import { rosTime } from '../../engine/clock.ts';
import { ApiError } from '../../protocol/errors.ts';
import type { StackEvent } from '../../store/repos/stack-events.ts';
import type { StackResource } from '../../store/repos/stack-resources.ts';
import {
  RETAINED,
  STACK_RESOURCE_TYPE,
  startedReason,
  STATE_CHANGED,
  SUCCESS,
  TIMED_OUT,
  timeoutReason,
  type DeployedTemplate,
  type Deployment,
  type WaitState,
  type SimulationInput,
  type Timing,
} from './deployment.ts';
import { isLive, type WorkItem } from './deploy-work.ts';
import { inSlice, runSliced, type Slice } from './sliced.ts';
import { checkResourceProperties } from '../resource-types/properties.ts';
import { NESTED_STACK_TYPE, schemaProperties } from '../template/nested-stack.ts';
import { setKey } from '../template/json.ts';
import { WAIT_CONDITION_TYPE, WAIT_HANDLE_TYPE } from '../standalone/wait-conditions.ts';
import { materializeResource, resolveOutputs, resolveResourceProperties, type JsonObject, type OutputItem, type ResourceState } from '../template/index.ts';

interface Failure {
  at: number;
  reason: string;
}

class Simulation {
  private readonly records: Map<string, StackResource>;
  private readonly live: Record<string, ResourceState> = {};
  // The events by instant, each instant's in the order they happened: most events of an action
  // share a few instants, so ordering them is sorting those (sorting 6,000 events and copying
  // each without its instant held the event loop for ~4 ms, issue 18).
  private readonly events = new Map<number, StackEvent[]>();
  // Resources this action worked on, in the order it started them.
  private readonly touched: string[] = [];
  private nextSeq: number;
  private outputs: OutputItem[] = [];
  // Most events of an action share a few instants.
  private readonly times = new Map<number, string>();
  // Where the wait conditions of the phase being run stand.
  private readonly waitResults = new Map<string, WaitState>();

  constructor(
    private readonly input: SimulationInput,
    private readonly startMs: number,
  ) {
    this.records = new Map();
    for (const r of input.existing) this.put(r.logical_resource_id, r);
    this.nextSeq = input.existing.reduce((max, r) => Math.max(max, r.seq + 1), 0);
  }

  private time(at: number): string {
    let text = this.times.get(at);
    if (text === undefined) this.times.set(at, (text = rosTime(this.startMs + at)));
    return text;
  }

  private event(logicalId: string, type: string, physicalId: string | null, status: string, reason: string | null, at: number): void {
    const event = { logical_resource_id: logicalId, resource_type: type, physical_resource_id: physicalId, status, status_reason: reason, create_time: this.time(at) };
    const same = this.events.get(at);
    if (same) same.push(event);
    else this.events.set(at, [event]);
  }

  private stackEvent(status: string, reason: string, at: number): void {
    this.event(this.input.stackName, STACK_RESOURCE_TYPE, this.input.stackId, status, reason, at);
  }

  // The live resources as templates see them, kept up to date with every record written:
  // rebuilding them for each resource made a deploy quadratic in its resources.
  private put(logicalId: string, record: StackResource): void {
    this.records.set(logicalId, record);
    if (isLive(record)) setKey(this.live, logicalId, { type: record.resource_type, physicalId: record.physical_resource_id!, attributes: record.attributes });
    else delete this.live[logicalId];
  }

  private drop(logicalId: string): void {
    this.records.delete(logicalId);
    delete this.live[logicalId];
  }

  private outputsOf(t: DeployedTemplate, onError: 'throw' | 'omit'): OutputItem[] {
    const ctx = { parameters: t.parameters, pseudo: this.input.pseudo, conditions: t.conditions, resources: this.live, stackOutputs: this.input.stackOutputs };
    return resolveOutputs(t.template, ctx, { onError });
  }

  // Runs the phases; answers the failure that ends the action early, if any. It pauses (yields)
  // after each resource so that a driver can give the event loop back (simulateSliced).
  *run(t: Timing): Generator<void, { end: number; failure?: Failure; waitingUntil?: number }> {
    const { phases, action } = this.input;
    this.stackEvent(`${action}_IN_PROGRESS`, startedReason(action), 0);
    const deadline = t.timeoutMs;
    const timedOut: Failure = { at: deadline, reason: timeoutReason(action, deadline) };
    let now = t.faultDelayMs;
    if (t.failMessage !== undefined) {
      now += t.stackOperationMs;
      return { end: now, failure: now > deadline ? timedOut : { at: now, reason: t.failMessage } };
    }
    const share = t.stackOperationMs / Math.max(phases.length, 1);
    if (phases.length === 0) now += share;
    for (const phase of phases) {
      if (now > deadline) break;
      const waits = this.waitStates(phase, now);
      const waiting = phase.filter((item) => waits.get(item.logicalId)?.kind === 'pending');
      if (waiting.length) {
        this.showWaiting(waiting, now);
        const until = Math.min(...waiting.map((item) => (waits.get(item.logicalId) as { untilMs: number }).untilMs));
        return { end: now, waitingUntil: Math.min(until, this.startMs + deadline) };
      }
      const ends = phase.map((item) => {
        const wait = waits.get(item.logicalId);
        if (wait && wait.kind !== 'pending') return Math.max(now + share, wait.endMs);
        return now + share + (item.op === 'DELETE' ? 0 : (item.fault.delayMs ?? 0));
      });
      const phaseEnd = Math.max(...ends);
      if (phaseEnd > deadline) {
        phase.forEach((item, i) => (ends[i]! > deadline ? this.abort(item, now, deadline) : this.perform(item, now, ends[i]!)));
        return { end: deadline, failure: timedOut };
      }
      // Resources of a phase run together: the others finish even when one fails.
      const errors: (string | undefined)[] = [];
      for (const [i, item] of phase.entries()) {
        errors.push(this.perform(item, now, ends[i]!));
        yield;
      }
      const failed = errors.findIndex((e) => e !== undefined);
      if (failed >= 0) {
        const { op, logicalId } = phase[failed]!;
        return { end: phaseEnd, failure: { at: phaseEnd, reason: `Resource ${op} failed: resources.${logicalId}: ${errors[failed]}` } };
      }
      now = phaseEnd;
    }
    if (now > deadline) return { end: deadline, failure: timedOut };
    // Outputs are resolved last; one that cannot be resolved fails the action.
    const target = this.input.target;
    if (action !== 'DELETE' && target) {
      try {
        this.outputs = this.outputsOf(target, 'throw');
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        return { end: now, failure: { at: now, reason: e.message } };
      }
    }
    return { end: now };
  }

  // Where the wait conditions of a phase stand (standalone stacks only). A wait condition whose
  // properties do not resolve, or whose Handle is no handle of this stack, is left to perform().
  private waitStates(phase: readonly WorkItem[], now: number): Map<string, WaitState> {
    const states = new Map<string, WaitState>();
    const { waits, target } = this.input;
    if (!waits || !target) return states;
    for (const item of phase) {
      if (item.type !== WAIT_CONDITION_TYPE || item.op === 'DELETE' || item.fault.failMessage !== undefined) continue;
      let properties: JsonObject;
      try {
        properties = resolveResourceProperties(target.template, item.logicalId, this.contextOf(target));
      } catch (e) {
        if (e instanceof ApiError) continue;
        throw e;
      }
      const handle = [...this.records.values()].find((r) => r.resource_type === WAIT_HANDLE_TYPE && r.physical_resource_id !== null && r.physical_resource_id === properties.Handle);
      const timeout = Number(properties.Timeout);
      if (!handle || !Number.isFinite(timeout)) continue;
      const count = properties.Count === undefined ? 1 : Math.max(Number(properties.Count), 0);
      const state = waits.wait(handle.logical_resource_id, Number.isFinite(count) ? count : 1, timeout * 1000, now);
      states.set(item.logicalId, state);
      this.waitResults.set(item.logicalId, state);
    }
    return states;
  }

  // What the stack shows while wait conditions wait: each in progress.
  private showWaiting(items: readonly WorkItem[], now: number): void {
    for (const item of items) {
      const before = this.records.get(item.logicalId);
      this.touched.push(item.logicalId);
      this.event(item.logicalId, item.type, before?.physical_resource_id ?? null, `${item.op}_IN_PROGRESS`, STATE_CHANGED, now);
      this.put(item.logicalId, {
        logical_resource_id: item.logicalId,
        seq: before?.seq ?? this.nextSeq++,
        resource_type: item.type,
        physical_resource_id: before?.physical_resource_id ?? null,
        status: `${item.op}_IN_PROGRESS`,
        status_reason: STATE_CHANGED,
        attributes: before?.attributes ?? {},
        depends_on: item.dependsOn,
        deletion_policy: item.deletionPolicy,
        create_time: before?.create_time ?? this.time(now),
        update_time: this.time(now),
      });
    }
  }

  private contextOf(target: DeployedTemplate) {
    return { parameters: target.parameters, pseudo: this.input.pseudo, conditions: target.conditions, resources: this.live, stackOutputs: this.input.stackOutputs };
  }

  // Creates or updates one resource; answers the error message when it fails.
  private perform(item: WorkItem, start: number, end: number): string | undefined {
    if (item.op === 'DELETE') {
      this.remove(item, start, end);
      return undefined;
    }
    const before = this.records.get(item.logicalId);
    this.touched.push(item.logicalId);
    this.event(item.logicalId, item.type, item.op === 'UPDATE' ? (before?.physical_resource_id ?? null) : null, `${item.op}_IN_PROGRESS`, STATE_CHANGED, start);
    let error = item.fault.failMessage;
    let state: ResourceState | undefined;
    if (error === undefined) {
      const target = this.input.target!;
      try {
        const ctx = { parameters: target.parameters, pseudo: this.input.pseudo, conditions: target.conditions, resources: this.live, stackOutputs: this.input.stackOutputs };
        const properties = resolveResourceProperties(target.template, item.logicalId, ctx);
        checkResourceProperties(item.logicalId, item.type, schemaProperties(item.type, properties), 'resolved');
        const nested = item.type === NESTED_STACK_TYPE ? this.input.nested : undefined;
        const wait = this.waitResults.get(item.logicalId);
        if (wait?.kind === 'failed') error = wait.reason;
        else if (wait?.kind === 'done') {
          state = { ...materializeResource(item.logicalId, item.type, properties, this.input.pseudo), attributes: wait.attributes };
        } else if (item.type === WAIT_HANDLE_TYPE && this.input.waits) {
          state = { ...materializeResource(item.logicalId, item.type, properties, this.input.pseudo), attributes: this.input.waits.handleAttributes(item.logicalId) };
        } else if (nested) {
          const child = nested.deploy(item.logicalId, item.op === 'UPDATE' ? (before?.physical_resource_id ?? null) : null, properties, start);
          if (child.ok) state = { type: item.type, physicalId: child.physicalId, attributes: child.attributes };
          else error = child.reason;
        } else {
          state = materializeResource(item.logicalId, item.type, properties, this.input.pseudo);
        }
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        error = e.message;
      }
    }
    if (!state) {
      this.fail(item, error!, end);
      return error;
    }
    this.put(item.logicalId, {
      logical_resource_id: item.logicalId,
      seq: before?.seq ?? this.nextSeq++,
      resource_type: item.type,
      physical_resource_id: state.physicalId,
      status: `${item.op}_COMPLETE`,
      status_reason: STATE_CHANGED,
      attributes: state.attributes,
      depends_on: item.dependsOn,
      deletion_policy: item.deletionPolicy,
      create_time: before && isLive(before) ? before.create_time : this.time(start),
      update_time: this.time(end),
    });
    this.event(item.logicalId, item.type, state.physicalId, `${item.op}_COMPLETE`, STATE_CHANGED, end);
    return undefined;
  }

  // A failed create leaves a record without a physical id; a failed update or delete leaves the
  // resource as it was.
  private fail(item: WorkItem, reason: string, at: number): void {
    const before = this.records.get(item.logicalId);
    const status = `${item.op}_FAILED`;
    const record: StackResource =
      before && isLive(before)
        ? { ...before, status, status_reason: reason, update_time: this.time(at) }
        : {
            logical_resource_id: item.logicalId,
            seq: before?.seq ?? this.nextSeq++,
            resource_type: item.type,
            physical_resource_id: null,
            status,
            status_reason: reason,
            attributes: {},
            depends_on: item.dependsOn,
            deletion_policy: item.deletionPolicy,
            create_time: this.time(at),
            update_time: this.time(at),
          };
    this.put(item.logicalId, record);
    this.event(item.logicalId, record.resource_type, record.physical_resource_id, status, reason, at);
  }

  private remove(item: WorkItem, start: number, end: number): void {
    const before = this.records.get(item.logicalId)!;
    this.touched.push(item.logicalId);
    this.event(item.logicalId, before.resource_type, before.physical_resource_id, 'DELETE_IN_PROGRESS', STATE_CHANGED, start);
    if (before.resource_type === NESTED_STACK_TYPE && item.deletionPolicy !== 'Retain' && before.physical_resource_id) {
      this.input.nested?.remove(item.logicalId, before.physical_resource_id, start);
    }
    this.event(item.logicalId, before.resource_type, before.physical_resource_id, 'DELETE_COMPLETE', item.deletionPolicy === 'Retain' ? RETAINED : STATE_CHANGED, end);
    this.drop(item.logicalId);
  }

  // A resource still running when the action times out.
  private abort(item: WorkItem, start: number, deadline: number): void {
    this.touched.push(item.logicalId);
    this.event(item.logicalId, item.type, this.records.get(item.logicalId)?.physical_resource_id ?? null, `${item.op}_IN_PROGRESS`, STATE_CHANGED, start);
    this.fail(item, TIMED_OUT, deadline);
  }

  // Back to the resources the stack had before the action: what it created goes (dependents
  // first), what it changed or deleted comes back.
  private rollback(at: number): void {
    const prefix = this.input.action === 'CREATE' ? 'CREATE_ROLLBACK' : 'ROLLBACK';
    this.stackEvent(`${prefix}_IN_PROGRESS`, 'Stack ROLLBACK started', at);
    this.input.nested?.rollback(at);
    const previous = new Map(this.input.existing.map((r) => [r.logical_resource_id, r]));
    for (const id of [...this.touched].reverse()) {
      const current = this.records.get(id);
      if (!current || previous.has(id)) continue;
      this.event(id, current.resource_type, current.physical_resource_id, 'DELETE_IN_PROGRESS', STATE_CHANGED, at);
      this.event(id, current.resource_type, current.physical_resource_id, 'DELETE_COMPLETE', STATE_CHANGED, at);
      this.drop(id);
    }
    for (const id of this.touched) {
      const before = previous.get(id);
      const current = this.records.get(id);
      if (!before || current === before) continue;
      if (!isLive(before)) {
        this.put(id, before);
        continue;
      }
      const op = current ? 'UPDATE' : 'CREATE';
      this.event(id, before.resource_type, before.physical_resource_id, `${op}_IN_PROGRESS`, STATE_CHANGED, at);
      this.event(id, before.resource_type, before.physical_resource_id, `${op}_COMPLETE`, STATE_CHANGED, at);
      this.put(id, { ...before, status: `${op}_COMPLETE`, status_reason: STATE_CHANGED, update_time: this.time(at) });
    }
    this.stackEvent(`${prefix}_COMPLETE`, 'Stack ROLLBACK completed successfully', at);
  }

  // Without rollback, resources the action never reached are listed INIT_COMPLETE, as Heat does.
  private markUnstarted(at: number): void {
    const started = new Set(this.touched);
    for (const item of this.input.phases.flat()) {
      if (item.op !== 'CREATE' || started.has(item.logicalId)) continue;
      this.put(item.logicalId, {
        logical_resource_id: item.logicalId,
        seq: this.records.get(item.logicalId)?.seq ?? this.nextSeq++,
        resource_type: item.type,
        physical_resource_id: null,
        status: 'INIT_COMPLETE',
        status_reason: null,
        attributes: {},
        depends_on: item.dependsOn,
        deletion_policy: item.deletionPolicy,
        create_time: this.time(at),
        update_time: null,
      });
    }
  }

  // Resources the update left alone still take DependsOn and DeletionPolicy from the new template.
  // Only the records change: nothing resolves against the live resources any more.
  private refreshDefinitions(): void {
    const planned = this.input.target?.planned ?? {};
    for (const [id, r] of this.records) {
      const p = Object.hasOwn(planned, id) ? planned[id] : undefined;
      if (p) this.records.set(id, { ...r, depends_on: p.dependsOn, deletion_policy: p.deletionPolicy });
    }
  }

  finish(end: number, failure: Failure | undefined): Deployment {
    const { action, target, previous } = this.input;
    if (!failure) {
      this.stackEvent(`${action}_COMPLETE`, `Stack ${action} completed successfully`, end);
      // A deleted stack takes its failed and never-started resource records with it.
      // A create's records were all written from the plan already.
      if (action === 'DELETE') for (const id of [...this.records.keys()]) this.drop(id);
      else if (action === 'UPDATE') this.refreshDefinitions();
      return this.result(true, `${action}_COMPLETE`, SUCCESS[action], end, false);
    }
    this.stackEvent(`${action}_FAILED`, failure.reason, failure.at);
    if (action !== 'DELETE' && !this.input.disableRollback) {
      this.rollback(failure.at);
      this.outputs = action === 'UPDATE' && previous ? this.outputsOf(previous, 'omit') : [];
      return this.result(false, action === 'CREATE' ? 'CREATE_ROLLBACK_COMPLETE' : 'ROLLBACK_COMPLETE', failure.reason, failure.at, action === 'UPDATE');
    }
    if (action !== 'DELETE') this.markUnstarted(failure.at);
    this.outputs = target ? this.outputsOf(target, 'omit') : [];
    return this.result(false, `${action}_FAILED`, failure.reason, failure.at, false);
  }

  // The action stopped at wait conditions still waiting: what the stack shows meanwhile.
  pause(end: number, waitingUntilMs: number): Deployment {
    return { ...this.result(false, `${this.input.action}_IN_PROGRESS`, startedReason(this.input.action), end, false), waitingUntilMs };
  }

  private result(ok: boolean, status: string, statusReason: string, end: number, keepsPrevious: boolean): Deployment {
    const events = [...this.events.keys()].sort((a, b) => a - b).flatMap((at) => this.events.get(at)!);
    const resources = [...this.records.values()].sort((a, b) => a.seq - b.seq);
    return { ok, status, statusReason, keepsPrevious, resources, events, outputs: this.outputs, durationMs: end, startTime: this.time(0), endTime: this.time(end) };
  }
}

export function simulate(input: SimulationInput, timing: Timing): Deployment {
  const simulation = new Simulation(input, timing.startMs);
  const steps = simulation.run(timing);
  for (;;) {
    const step = steps.next();
    if (!step.done) continue;
    const { end, failure, waitingUntil } = step.value;
    return waitingUntil === undefined ? simulation.finish(end, failure) : simulation.pause(end, waitingUntil);
  }
}

// The same simulation, handing the event loop back between slices (sliced.ts): first, unless it
// goes on in the slice of the computation before it.
export async function simulateSliced(input: SimulationInput, timing: Timing, slice?: Slice): Promise<Deployment> {
  const simulation = new Simulation(input, timing.startMs);
  const steps = simulation.run(timing);
  const { end, failure, waitingUntil } = await (slice ? inSlice(steps, slice) : runSliced(steps));
  return waitingUntil === undefined ? simulation.finish(end, failure) : simulation.pause(end, waitingUntil);
}
