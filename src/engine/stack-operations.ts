// Operations of standalone stacks (CreateStack, UpdateStack, DeleteStack, ContinueCreateStack).
// One operation at a time per stack: the accepting request stores it on the stack (`pending`)
// with the stack *_IN_PROGRESS, in its own transaction; once that has committed, `start` runs it
// in the background on the clock, with the control plane's faults (holds, delays, failures, of
// the stack or of one resource), and writes the whole outcome in one transaction that also clears
// `pending`. A restart finds the stacks whose `pending` is still set and runs them again from
// the state the stack had before (nothing of a run is written before its end).
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { stackEvents } from '../store/repos/stack-events.ts';
import { stackResources, type StackResource } from '../store/repos/stack-resources.ts';
import { standaloneStacks } from '../store/repos/stacks-standalone.ts';
import { stacks, type OperationProgress, type PendingOperation, type Stack } from '../store/repos/stacks.ts';
import { waitConditions } from '../store/repos/wait-conditions.ts';
import { WAIT_CONDITION_TYPE, WAIT_HANDLE_TYPE, WaitConditions, type WaitContext } from '../stacks/standalone/wait-conditions.ts';
import type { Deployment, SimulationInput, Timing } from '../stacks/run/deployment.ts';
import { simulateSliced } from '../stacks/run/simulate.ts';
import { packEventsAhead, writeResourcesAhead, writesAhead } from '../stacks/run/write-ahead.ts';
import { planStackRunSliced } from '../stacks/standalone/plan-run.ts';
import { loadChildTree, writeChildStacks } from '../stacks/standalone/child-stacks-store.ts';
import { fetchNestedSources } from '../stacks/standalone/nested-sources.ts';
import { NestedStacks, type ChildStack } from '../stacks/standalone/nested-stacks.ts';
import { deniedBy } from '../stacks/standalone/stack-policy.ts';
import { ApiError } from '../protocol/errors.ts';
import { rosTime, type Clock } from './clock.ts';
import { NotificationOutbox } from './notifications.ts';
import { ChangeSetCreation } from './change-set-creation.ts';
import { stackNotifications } from '../store/repos/stack-notifications.ts';
import { changeSets } from '../store/repos/change-sets.ts';
import { seededUuid } from '../stacks/template/ids.ts';
import type { StackEvent } from '../store/repos/stack-events.ts';
import type { FaultRegistry, TargetAction } from './fault-registry.ts';
import type { TemplateLoader } from '../stacks/template/template-loader.ts';
import type { Leases } from './leases.ts';

// The lease key of a standalone stack's operation, beside the stack group operations' ids.
export const stackLeaseKey = (stackId: string): string => `stack:${stackId}`;

export interface StackOperationsOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  faults: FaultRegistry;
  templates: TemplateLoader;
  stackOperationMs: number;
  // false: wait conditions complete at once instead of waiting for signals (default true).
  waitConditionSignals?: boolean;
  // Several replicas on one database: a stack's operation runs on the replica holding its lease.
  leases?: Leases;
}

// An update that would modify or delete what the stack policy protects fails as a whole before
// touching anything, and is rolled back like any failed update.
function policyDenial(policy: string | null | undefined, input: SimulationInput): string | undefined {
  const subjects = input.phases
    .flat()
    .filter((item) => item.op !== 'CREATE')
    .map((item) => ({ logicalId: item.logicalId, type: item.type, action: item.op === 'DELETE' ? 'Update:Delete' : 'Update:Modify' }));
  const denied = deniedBy(policy, subjects);
  if (!denied.length) return undefined;
  return `Action denied by stack policy: ${denied.map((d) => `${d.action} on resources.${d.logicalId}`).join(', ')}`;
}

const DEADLINE_CHECK_MS = 1_000;

interface Resolvable<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

// Promise.withResolvers, which Node 20 lacks.
function resolvable<T>(): Resolvable<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export const cancelReason = (action: string): string => `Stack ${action} cancelled`;

const actionOf = (op: PendingOperation): TargetAction['action'] => (op.kind === 'CONTINUE' ? 'CREATE' : op.kind);

// One notification per event, as ListStackEvents shows it, with the stack's region and account
// (the body ROS sends is not published).
function notificationBody(stack: Stack, e: StackEvent, seq: number): string {
  return JSON.stringify({
    EventId: seededUuid(`${stack.id}#event#${seq}`),
    StackId: stack.id,
    StackName: stack.name,
    RegionId: stack.region_id,
    AccountId: stack.account_id,
    LogicalResourceId: e.logical_resource_id,
    PhysicalResourceId: e.physical_resource_id ?? undefined,
    ResourceType: e.resource_type,
    Status: e.status,
    StatusReason: e.status_reason ?? undefined,
    CreateTime: e.create_time,
  });
}

export class StackOperations {
  private readonly running = new Map<string, () => void>();
  private readonly baseUrl = resolvable<string>();
  private readonly waiters = new Map<string, Resolvable<'signal'>>();
  readonly notifications: NotificationOutbox;
  // CreateChangeSet's computation, in the background.
  readonly changeSets: ChangeSetCreation;
  // A reset drops the runs in flight: their late outcomes are not written.
  private generation = 0;
  private closed = false;

  constructor(private readonly opts: StackOperationsOptions) {
    this.notifications = new NotificationOutbox(opts.db, opts.clock, opts.log);
    this.changeSets = new ChangeSetCreation(opts);
  }

  async resume(): Promise<number> {
    this.notifications.kick();
    await this.changeSets.resume();
    const ids = await standaloneStacks.withPending(this.opts.db);
    if (ids.length) this.opts.log.info(`resuming ${ids.length} stack operation(s)`);
    for (const id of ids) this.start(id);
    return ids.length;
  }

  // Called once the transaction that accepted the operation has committed. With leases, only
  // once this replica holds the stack's lease (another replica may be running it).
  start(stackId: string): void {
    if (this.closed || this.running.has(stackId)) return;
    const leases = this.opts.leases;
    if (!leases) return this.launch(stackId);
    this.running.set(stackId, () => undefined);
    leases.claim(stackLeaseKey(stackId)).then(
      (claimed) => {
        this.running.delete(stackId);
        if (claimed) this.launch(stackId);
      },
      (e: unknown) => {
        this.running.delete(stackId);
        this.opts.log.error(`claiming the stack operation of ${stackId} failed`, e);
      },
    );
  }

  // The stacks whose operation runs here.
  runningStacks(): string[] {
    return [...this.running.keys()];
  }

  private launch(stackId: string): void {
    let cancel!: () => void;
    const cancelled = new Promise<'cancelled'>((resolve) => (cancel = () => resolve('cancelled')));
    this.running.set(stackId, cancel);
    this.run(stackId, cancelled, this.generation)
      .catch((e: unknown) => this.opts.log.error(`stack operation of ${stackId} failed unexpectedly`, e))
      .finally(() => {
        if (this.running.get(stackId) === cancel) this.running.delete(stackId);
        void this.opts.leases?.release(this.opts.db, stackLeaseKey(stackId)).catch(() => undefined);
      });
  }

  // The request's transaction has marked the pending operation cancelled and committed.
  cancel(stackId: string): void {
    this.running.get(stackId)?.();
  }

  private async run(stackId: string, cancelled: Promise<'cancelled'>, generation: number): Promise<void> {
    const { db, clock, faults } = this.opts;
    const stack = await stacks.get(db, stackId);
    const op = stack?.pending;
    if (!stack || !op) return;
    const target: TargetAction = {
      operationId: op.id,
      accountId: stack.account_id,
      regionId: stack.region_id,
      // Stryker disable next-line StringLiteral: a standalone stack belongs to no group; only a fault naming a group "Stryker was here!" could tell
      stackGroupName: '',
      stackName: stack.name,
      action: actionOf(op),
    };
    let input: SimulationInput;
    // Nested stacks: the child stacks below this one, and the templates given by TemplateURL.
    const stored = await loadChildTree(db, stackId);
    const sources = op.kind === 'DELETE' ? {} : await fetchNestedSources(this.opts.templates, op.templateBody);
    // An operation that waited on wait conditions before a restart starts again from the
    // resources the stack had before it (what the stack showed while waiting is not the start).
    const before = op.progress?.baseline ?? (await stackResources.list(db, stackId));
    try {
      input = await this.withResourceFaults(target, await planStackRunSliced(this.opts.templates, stack, op, before));
    // Stryker disable next-line BlockStatement: unreachable: the template was checked when the operation was accepted; only an old data directory under a newer localros gets here
    } catch (e) {
      // Checked when the operation was accepted; only a template changed underneath (a newer
      // localros reading an old data directory) gets here.
      // Stryker disable next-line BooleanLiteral,ConditionalExpression: unreachable, as the catch above
      if (!(e instanceof ApiError)) throw e;
      return this.write(stack, op, undefined, e.message, generation);
    }
    let isCancelled = op.cancelled === true;
    const hits = isCancelled ? [] : await faults.claim(target);
    for (const hold of hits.filter((f) => f.effect === 'hold')) {
      if (isCancelled) break;
      const held = faults.hold(hold.id, { operationId: op.id, accountId: stack.account_id, regionId: stack.region_id, stackId });
      isCancelled = (await Promise.race([held, cancelled])) === 'cancelled';
    }
    const failure = hits.find((f) => f.effect === 'fail');
    const denied = op.kind === 'UPDATE' ? policyDenial(op.policyDuringUpdate ?? stack.stack_policy, input) : undefined;
    const failMessage = failure ? (failure.message ?? `Injected failure (${failure.id})`) : denied;
    const timing: Timing = {
      startMs: op.progress?.startMs ?? clock.now(),
      stackOperationMs: this.opts.stackOperationMs,
      faultDelayMs: hits.reduce((sum, f) => sum + (f.effect === 'delay' ? (f.delayMs ?? 0) : 0), 0),
      timeoutMs: op.timeoutInMinutes * 60_000,
      ...(failMessage !== undefined ? { failMessage } : {}),
    };
    const waitBase = await this.waitBase(stack, input);
    // Each simulation gets its own record of what it does to child stacks, and reads the wait
    // conditions' signals received so far. It runs in slices, handing the event loop back, as a
    // stack-group target's does (issue 18).
    const children = new Map<string, ChildStack>();
    const run = async (t: Timing): Promise<Deployment> => {
      children.clear();
      const nested = new NestedStacks(stack, { templates: this.opts.templates, stored, sources, startMs: t.startMs, timeoutMs: t.timeoutMs, children });
      const signals = waitBase && (await waitConditions.signals(db, stackId));
      const waits = waitBase && new WaitConditions({ ...waitBase, signals: signals!, startMs: t.startMs, nowMs: clock.now() });
      return simulateSliced({ ...input, nested, ...(waits ? { waits } : {}) }, t);
    };
    let progress = op.progress;
    let deployment: Deployment | undefined;
    // Stops at wait conditions still waiting: the stack shows where it is, and the action is
    // simulated again when a signal arrives or the wait's deadline passes.
    try {
      while (!isCancelled) {
        const signalled = this.nextSignal(stackId);
        deployment = await run(timing);
        if (deployment.waitingUntilMs === undefined) break;
        progress = await this.writeProgress(stack, op, deployment, { startMs: timing.startMs, baseline: before, firstSeq: progress?.firstSeq }, generation);
        if (!progress) return;
        const woke = await this.awaitSignal(deployment.waitingUntilMs, signalled, cancelled);
        isCancelled = woke === 'cancelled';
        if (isCancelled) deployment = undefined;
      }
    } finally {
      // The last simulation's waiter: kept, it would stay in the map for good (one per stack
      // operation ever run) and a later signal would wake nothing.
      this.waiters.delete(stackId);
    }
    const remaining = deployment ? timing.startMs + deployment.durationMs - clock.now() : 0;
    if (deployment && remaining > 0) {
      const slept = clock.sleep(remaining).then(() => 'done' as const);
      if ((await Promise.race([slept, cancelled])) === 'cancelled') deployment = undefined;
    }
    // A cancelled operation ends as a failure of the whole stack that touched no resource, rolled
    // back unless the stack disables rollback.
    deployment ??= await run({ startMs: clock.now(), stackOperationMs: 0, faultDelayMs: 0, timeoutMs: timing.timeoutMs, failMessage: cancelReason(input.action) });
    await this.write(stack, op, deployment, undefined, generation, children.values(), progress?.firstSeq);
  }

  // What wait conditions need to wait for real signals: the handles' tokens and localros's
  // address; undefined when they complete at once (no wait condition, or configured so).
  private async waitBase(stack: Stack, input: SimulationInput): Promise<Omit<WaitContext, 'signals' | 'startMs' | 'nowMs'> | undefined> {
    // Stryker disable next-line StringLiteral: the simulation never waits on a DELETE item (simulate.ts), so a wait context for a delete is never read
    if (this.opts.waitConditionSignals === false || input.action === 'DELETE') return undefined;
    const items = input.phases.flat();
    // Stryker disable next-line EqualityOperator: a wait context made for a stack without wait conditions is never read
    if (!items.some((item) => item.type === WAIT_CONDITION_TYPE || item.type === WAIT_HANDLE_TYPE)) return undefined;
    // Stryker disable next-line MethodExpression: tokens looked up for ids that are not handles are never read
    const handles = items.filter((item) => item.type === WAIT_HANDLE_TYPE).map((item) => item.logicalId);
    const tokens = await waitConditions.tokens(this.opts.db, stack.id, handles);
    return { baseUrl: await this.baseUrl.promise, stackId: stack.id, regionId: stack.region_id, tokens };
  }

  // localros's address, known once the server listens: handles' URLs point at it.
  setBaseUrl(url: string): void {
    this.baseUrl.resolve(url);
  }

  // A signal reached a handle of the stack (committed).
  signalled(stackId: string): void {
    const wake = this.waiters.get(stackId);
    this.waiters.delete(stackId);
    // Stryker disable next-line StringLiteral: a wake-up's value is only compared with 'cancelled' and 'deadline'
    wake?.resolve('signal');
  }

  // Signals may have reached any waiting stack (the cluster bus was down meanwhile).
  signalledAll(): void {
    for (const stackId of [...this.waiters.keys()]) this.signalled(stackId);
  }

  private nextSignal(stackId: string): Promise<'signal'> {
    let waiter = this.waiters.get(stackId);
    if (!waiter) this.waiters.set(stackId, (waiter = resolvable<'signal'>()));
    return waiter.promise;
  }

  // Until a signal reaches the stack (posted to this replica, or to another one, which tells
  // this one by the cluster bus), the wait's deadline passes or the operation is cancelled. The
  // deadline is looked at every DEADLINE_CHECK_MS, as the engine's clock may not be the timers'.
  private async awaitSignal(untilMs: number, signalled: Promise<'signal'>, cancelled: Promise<'cancelled'>): Promise<'signal' | 'deadline' | 'cancelled'> {
    for (;;) {
      const left = untilMs - this.opts.clock.now();
      const woke = await Promise.race([signalled, this.timer(Math.min(left, DEADLINE_CHECK_MS)), cancelled]);
      // Stryker disable next-line StringLiteral: returning at every deadline check simulates again, still waiting, and rewrites the same events and resources
      if (woke !== 'deadline' || left <= DEADLINE_CHECK_MS) return woke;
    }
  }

  // A wait's deadline, on a timer that does not keep the process alive.
  private timer(ms: number): Promise<'deadline'> {
    // Stryker disable next-line StringLiteral,MethodExpression: a wake-up that is neither a signal nor cancelled, or a 0 ms poll, only looks at the engine's clock again, which decides the deadline
    return new Promise((resolve) => setTimeout(() => resolve('deadline'), Math.max(ms, 0)).unref());
  }

  // What the stack shows while its operation waits on wait conditions, with where the operation
  // began (kept on the pending operation, so that a restart starts it again from there).
  private async writeProgress(stack: Stack, op: PendingOperation, d: Deployment, p: { startMs: number; baseline: StackResource[]; firstSeq: number | undefined }, generation: number): Promise<OperationProgress | undefined> {
    if (this.closed || generation !== this.generation) return undefined;
    return this.opts.db.transaction(async (tx) => {
      const current = await stacks.get(tx, stack.id);
      // Stryker disable next-line OptionalChaining: the stack or its pending operation is gone only after a reset; the TypeError is logged instead of a return, and nothing is written either way
      if (current?.pending?.id !== op.id) return undefined;
      if (p.firstSeq !== undefined) await stackEvents.removeFrom(tx, stack.id, p.firstSeq);
      const firstSeq = await stackEvents.append(tx, stack.id, d.events, p.firstSeq);
      await stackResources.replaceAll(tx, stack.id, d.resources);
      const progress: OperationProgress = { startMs: p.startMs, baseline: p.baseline, firstSeq };
      await standaloneStacks.setPending(tx, stack.id, { ...current.pending, progress });
      return progress;
    });
  }

  // Control-plane faults on single resources become the resources' own failures and delays.
  private async withResourceFaults(target: TargetAction, input: SimulationInput): Promise<SimulationInput> {
    const phases = [];
    for (const phase of input.phases) {
      const items = [];
      for (const item of phase) {
        const hits = await this.opts.faults.claimResource(target, { logicalResourceId: item.logicalId, resourceType: item.type, action: item.op });
        // Stryker disable next-line StringLiteral: the simulation ignores the fault of a DELETE item (simulate.ts), and the hit is claimed either way
        if (!hits.length || item.op === 'DELETE') {
          items.push(item);
          continue;
        }
        const fail = hits.find((f) => f.effect === 'fail');
        const delayMs = hits.reduce((sum, f) => sum + (f.effect === 'delay' ? (f.delayMs ?? 0) : 0), item.fault.delayMs ?? 0);
        const failMessage = fail ? (fail.message ?? `Injected failure (${fail.id})`) : item.fault.failMessage;
        items.push({ ...item, fault: { ...(failMessage !== undefined ? { failMessage } : {}), ...(delayMs ? { delayMs } : {}) } });
      }
      phases.push(items);
    }
    return { ...input, phases };
  }

  // The outcome, in one transaction with the end of the operation. `d` undefined: the operation
  // could not run at all and the stack fails with `reason`.
  // `progressSeq`: where the events the operation wrote while it waited begin (they are replaced).
  private async write(
    stack: Stack,
    op: PendingOperation,
    d: Deployment | undefined,
    reason: string | undefined,
    generation: number,
    children: Iterable<ChildStack> = [],
    progressSeq?: number,
  ): Promise<void> {
    if (this.closed || generation !== this.generation) return;
    // Stryker disable next-line ConditionalExpression,LogicalOperator: d is undefined only on the unreachable path of a template refused at run time; without write-ahead the outcome's transaction writes the same resources and events
    const ahead = d && (await this.writeAhead(stack, op, d));
    const now = rosTime(this.opts.clock.now());
    await this.opts.db.transaction(async (tx) => {
      const current = await stacks.get(tx, stack.id);
      // Stryker disable next-line OptionalChaining: as in writeProgress: the stack is gone only after a reset, logged instead of a return, nothing written
      if (current?.pending?.id !== op.id) return;
      if (!d) {
        await stacks.failIfInProgress(tx, stack.id, reason!, now);
      } else {
        const updated = op.kind === 'UPDATE' && !d.keepsPrevious;
        await stacks.finish(tx, {
          id: stack.id,
          status: d.status,
          status_reason: d.statusReason,
          outputs: d.outputs,
          update_time: d.endTime,
          ...(updated
            ? { template_body: op.templateBody, parameters: op.parameters, disable_rollback: op.disableRollback, timeout_in_minutes: op.timeoutInMinutes }
            : {}),
        });
        if (!ahead?.resourcesWritten) await stackResources.replaceAll(tx, stack.id, d.resources);
        if (progressSeq !== undefined) await stackEvents.removeFrom(tx, stack.id, progressSeq);
        const firstSeq = await stackEvents.append(tx, stack.id, d.events, progressSeq, ahead?.packedEvents);
        await this.enqueueNotifications(tx, stack, d.events, firstSeq);
        await writeChildStacks(tx, children);
      }
      // Stryker disable next-line Regex: no status of a standalone stack merely ends, or merely begins, with CREATE_COMPLETE or UPDATE_COMPLETE
      await changeSets.finishExecution(tx, op.id, d !== undefined && /^(CREATE|UPDATE)_COMPLETE$/.test(d.status));
      await standaloneStacks.setPending(tx, stack.id, null);
    });
    if (stack.notification_urls?.length) this.notifications.kick();
  }

  // A large create's resources are written ahead of its outcome, a chunk per transaction, and its
  // events packed ahead, handing the event loop back between chunks (stacks/run/write-ahead.ts):
  // the one transaction that wrote 3,000 resources held the server for ~30 ms (issue 18). Only a
  // create: a create run again after a crash plans from no resources whatever the stack holds,
  // while an update or a continued create starts from the resources stored.
  private async writeAhead(stack: Stack, op: PendingOperation, d: Deployment): Promise<{ resourcesWritten: boolean; packedEvents: readonly string[] } | undefined> {
    // Stryker disable next-line StringLiteral: with no existing resources counted writesAhead does not look at the action, and an empty kind answers no write-ahead, which only spreads the outcome's writes
    if (op.kind !== 'CREATE' || !writesAhead('CREATE', d.resources.length, 0)) return undefined;
    const current = await stacks.get(this.opts.db, stack.id);
    // Stryker disable next-line OptionalChaining: as in writeProgress: the stack is gone only after a reset, logged instead of a return, nothing written
    if (current?.pending?.id !== op.id) return undefined;
    return { resourcesWritten: await writeResourcesAhead(this.opts.db, stack.id, d.resources), packedEvents: await packEventsAhead(d.events) };
  }

  private async enqueueNotifications(tx: Db, stack: Stack, events: StackEvent[], firstSeq: number): Promise<void> {
    const urls = (stack.notification_urls ?? []).filter((u) => /^https?:\/\//.test(u));
    if (!urls.length) return;
    const nowMs = this.opts.clock.now();
    const time = rosTime(nowMs);
    await stackNotifications.enqueue(
      tx,
      urls.flatMap((url) => events.map((e, i) => ({ stackId: stack.id, url, body: notificationBody(stack, e, firstSeq + i), nowMs, time }))),
    );
  }

  // Empties nothing itself (the engine's reset does): runs in flight are forgotten.
  reset(): void {
    // Stryker disable next-line UpdateOperator: the generation is only compared for equality
    this.generation++;
    for (const cancel of this.running.values()) cancel();
    this.running.clear();
  }

  close(): void {
    // Stryker disable next-line BooleanLiteral: after close a run meets the closed database, and that error is only logged
    this.closed = true;
    this.changeSets.close();
    this.notifications.close();
  }
}
