// The operation engine: owns the runners of the operations in flight, batches their state
// transitions into one transaction per turn of the event loop, launches target actions after
// each commit, and resumes RUNNING / STOPPING operations after a restart.
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { operations, results as resultRepo } from '../store/repos/operations.ts';
import { stackGroups } from '../store/repos/stack-groups.ts';
import { templateBodies } from '../store/repos/template-bodies.ts';
import { rosTime, type Clock } from './clock.ts';
import { executeTarget, type ExecutorOptions } from './executor.ts';
import type { Outcome } from '../stacks/run/stack-run.ts';
import type { FaultRegistry } from './fault-registry.ts';
import { OperationRunner, type Target } from './runner.ts';
import type { OperationStatus } from './types.ts';
import { acceptOperation, type OperationRequest } from './accept.ts';
import { markStopped, settleChunk, settleGroup } from './stop-backlog.ts';
import { detectDrift } from './drift.ts';
import { openStackRun } from '../stacks/run/stack-run.ts';
import { OperationReads } from '../stacks/run/run-context.ts';
import type { TemplateLoader } from '../stacks/template/template-loader.ts';
import { StackOperations, stackLeaseKey } from './stack-operations.ts';

const STACK_KEY_PREFIX = stackLeaseKey('');
import type { Leases } from './leases.ts';
import { TargetSharing } from './target-sharing.ts';
import type { Operation } from '../store/repos/operations.ts';

// After a turn whose transaction failed (the database refused it), the engine waits this long
// on its clock before it tries the same turn again.
export const TURN_RETRY_MS = 1_000;

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

// GET /_localros/replica: this process's id among the replicas (none for one SQLite process),
// the targets it ran and runs, and the live replicas it shares targets with.
export interface ReplicaView {
  id: string | null;
  targetsRun: number;
  targetsRunning: { operationId: string; accountId: string; regionId: string }[];
  replicas: string[];
}

export interface EngineOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  faults: FaultRegistry;
  templates: TemplateLoader;
  stackOperationMs: number;
  // Several replicas on one database: operations are run under leases (leases.ts).
  leases?: Leases;
  // Standalone stacks' wait conditions wait for real signals (default true).
  waitConditionSignals?: boolean;
}

export class OperationEngine {
  private readonly runners = new Map<string, OperationRunner>();
  // The operations its targets read (stacks/run/run-context.ts).
  private readonly operationReads = new OperationReads();
  // Operations whose runner is being built (track).
  private readonly tracking = new Set<string>();
  private readonly dirty = new Set<OperationRunner>();
  // Groups whose operation ended outside a flush (a stop with nothing in flight).
  private readonly idleGroups = new Set<string>();
  private flushScheduled = false;
  private flushing: Promise<void> = Promise.resolve();
  // The background writing of stops (stop-backlog.ts), while it runs; asked again meanwhile.
  private settling: Promise<void> | undefined;
  // Stryker disable next-line BooleanLiteral: every settling pass clears it before it reads it
  private settleAgain = false;
  private closed = false;
  // Standalone stacks' own operations (CreateStack & co.), resumed, reset and closed with these.
  readonly stacks: StackOperations;
  // With leases: the targets of an operation are shared between the replicas (target-sharing.ts).
  private readonly sharing: TargetSharing | undefined;
  // Targets this process ran to their outcome, and those it runs now (GET /_localros/replica).
  private targetsRun = 0;
  private readonly targetsRunning = new Map<string, { operationId: string; accountId: string; regionId: string }>();
  // What every target's action is run with (built once: 10,000 targets built it 10,000 times).
  private readonly executor: ExecutorOptions;
  // Targets run here that are neither delivered nor waiting (on a hold, their simulated time).
  private computing = 0;

  constructor(private readonly opts: EngineOptions) {
    const runs = { db: opts.db, templates: opts.templates, operations: this.operationReads };
    this.executor = {
      stackOperationMs: opts.stackOperationMs,
      clock: opts.clock,
      faults: opts.faults,
      openStackRun: (t) => openStackRun(runs, t),
      waiting: (delta) => (this.computing -= delta),
    };
    this.stacks = new StackOperations(opts);
    const leases = opts.leases;
    this.sharing =
      leases &&
      new TargetSharing({
        db: opts.db,
        log: opts.log,
        id: leases.owner,
        timeoutMs: leases.timeoutMs,
        now: () => opts.clock.now(),
        launch: (op, groupName, target) => this.run(op, groupName, target),
        coordinating: () => [...this.runners.keys()],
        wake: (ids) => {
          for (const id of ids) {
            const runner = this.runners.get(id);
            if (runner) this.schedule(runner);
          }
        },
      });
  }

  // This replica, and the replicas it shares targets with (GET /_localros/replica).
  replica(): ReplicaView {
    return {
      id: this.opts.leases?.owner ?? null,
      targetsRun: this.targetsRun,
      targetsRunning: [...this.targetsRunning.values()],
      replicas: [...(this.sharing?.liveReplicas ?? [])],
    };
  }

  // Rebuilds runners for every operation that was in flight when the process stopped.
  async resume(): Promise<number> {
    await this.sharing?.start();
    const active = await operations.allActive(this.opts.db);
    for (const op of active) await this.track(op.id);
    this.opts.leases?.start({
      running: () => [...this.runners.keys(), ...this.stacks.runningStacks().map(stackLeaseKey)],
      // A stack's operation is not fenced: it ends as it was going to (docs/scale-out.md).
      lost: (ids) => {
        for (const id of ids) this.drop(id, 'its lease was lost');
      },
      adopt: async (id) => {
        if (id.startsWith(STACK_KEY_PREFIX)) this.stacks.start(id.slice(STACK_KEY_PREFIX.length));
        else await this.track(id);
      },
    });
    // A stop that ended a group's operation may have been the last thing before the crash.
    for (const groupId of await operations.groupsWithQueued(this.opts.db)) this.idleGroups.add(groupId);
    this.scheduleFlush();
    this.settleStops();
    return active.length + (await this.stacks.resume());
  }

  // The one way an operation enters the engine: accepted in the caller's transaction, and run
  // once that transaction has committed (a QUEUED one waits for its group to be idle).
  async submit(tx: Db, request: OperationRequest): Promise<string> {
    const id = await acceptOperation(tx, request);
    tx.afterCommit(() => this.track(id));
    return id;
  }

  private async track(operationId: string): Promise<void> {
    // Once per operation: the lease sweep may offer one that the accepting request is tracking.
    if (this.runners.has(operationId) || this.tracking.has(operationId)) return;
    this.tracking.add(operationId);
    try {
      await this.trackOnce(operationId);
    } finally {
      this.tracking.delete(operationId);
    }
  }

  private async trackOnce(operationId: string): Promise<void> {
    // With leases, only the replica that holds the operation's lease runs it.
    if (this.opts.leases && !(await this.opts.leases.claim(operationId))) return;
    const op = await operations.get(this.opts.db, operationId);
    if (!op || (op.status !== 'RUNNING' && op.status !== 'STOPPING')) return;
    const group = await stackGroups.byIdUnscoped(this.opts.db, op.group_id);
    const rows = await resultRepo.all(this.opts.db, op.id);
    // Committed before any target runs, and removed only by a reset, which ends the runner.
    const templateHash = await templateBodies.store(this.opts.db, op.run_spec.templateBody);
    const runner = OperationRunner.fromResults(op, group?.name ?? '', templateHash, this.opts.templates, rows);
    this.runners.set(op.id, runner);
    const inFlight = runner.takeResumed();
    // Shared between replicas, only the targets of a worker that died run again.
    const resumed = this.sharing ? await this.sharing.adopt(op.id, inFlight) : inFlight;
    // Stryker disable next-line ConditionalExpression: only guards the log line of a resumed operation
    if (resumed.length) this.opts.log.info(`resuming operation ${op.id}: ${resumed.length} target(s) were in flight`);
    for (const t of resumed) this.launch(runner, t);
    this.schedule(runner);
  }

  // StopStackGroupOperation; the caller's transaction commits the result before it answers.
  // A QUEUED operation never started, so it goes straight to STOPPED with every target
  // cancelled (semantics.md O8).
  async stop(db: Db, operationId: string): Promise<OperationStatus | undefined> {
    const now = rosTime(this.opts.clock.now());
    db.afterCommit(async () => this.settleStops());
    const runner = this.runners.get(operationId);
    if (!runner || runner.finished) {
      const op = await operations.get(db, operationId);
      // A STOPPING operation never gets here: the handler answers it from its own read in this
      // write transaction, and write transactions are serialized (src/store).
      if (this.opts.leases && op?.status === 'RUNNING') return this.stopElsewhere(db, op);
      if (op?.status !== 'QUEUED') return undefined;
      await markStopped(db, op);
      await operations.setStatus(db, op.id, 'STOPPED', now);
      return 'STOPPED';
    }
    const status = await runner.stop(db, now);
    if (runner.finished) {
      this.runners.delete(operationId);
      this.idleGroups.add(runner.op.group_id);
      this.scheduleFlush();
    }
    return status;
  }

  // The Stop of an operation another replica runs (or will take over), in the request's
  // transaction; that replica sees it in its next turn, before it starts anything more.
  private async stopElsewhere(db: Db, op: { id: string; group_id: string }): Promise<OperationStatus> {
    await markStopped(db, op);
    if (await resultRepo.anyRunning(db, op.id)) {
      await operations.setStatus(db, op.id, 'STOPPING', null);
      return 'STOPPING';
    }
    await operations.setStatus(db, op.id, 'STOPPED', rosTime(this.opts.clock.now()));
    await this.opts.leases!.release(db, op.id);
    db.afterCommit(async () => {
      this.idleGroups.add(op.group_id);
      this.scheduleFlush();
    });
    return 'STOPPED';
  }

  // A runner this replica no longer owns: its late outcomes are ignored.
  private drop(operationId: string, why: string): void {
    const runner = this.runners.get(operationId);
    if (!runner) return;
    runner.finished = true;
    this.runners.delete(operationId);
    this.dirty.delete(runner);
    this.opts.log.warn(`operation ${operationId} left to another replica: ${why}`);
  }

  // When an operation ends, the oldest QUEUED one of its group starts (semantics.md O3).
  private async promoteQueued(db: Db, groupId: string): Promise<string | undefined> {
    const active = await operations.activeForGroup(db, groupId);
    if (active?.status !== 'QUEUED') return undefined;
    // Accepted before the stop that ended the group's last operation: that stop is written
    // before the queued operation's targets can touch the same instances.
    await settleGroup(db, groupId);
    await operations.setStatus(db, active.id, 'RUNNING', null);
    return active.id;
  }

  private schedule(runner: OperationRunner): void {
    this.dirty.add(runner);
    this.scheduleFlush();
  }

  // `deferred`: this turn already waited once for targets still computing.
  private scheduleFlush(deferred = false): void {
    if (this.closed || this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      // A target whose slice ran out (descheduled, a collection) hands back once after the others
      // ended: waiting one turn of the event loop for it, once, writes its outcome with theirs
      // instead of in a turn (and a commit) of its own, which its successors kept paying.
      if (!deferred && this.computing > 0) return this.scheduleFlush(true);
      this.flushing = this.flushing.then(() => this.flush());
    });
  }

  private async flush(): Promise<void> {
    if (this.closed || (this.dirty.size === 0 && this.idleGroups.size === 0)) return;
    const batch = [...this.dirty];
    this.dirty.clear();
    const idle = [...this.idleGroups];
    const groups = [...idle];
    this.idleGroups.clear();
    const undo = batch.map((runner) => runner.checkpoint());
    const launches: [OperationRunner, Target[]][] = [];
    // Stryker disable next-line ArrayDeclaration: tracking an id that names no operation ends at its lookup (with leases, after claiming a lease row no operation reads)
    const promoted: string[] = [];
    // Stryker disable next-line ArrayDeclaration: dropping an id that has no runner does nothing
    const lost: string[] = [];
    try {
      await this.opts.db.transaction(async (tx) => {
        const now = rosTime(this.opts.clock.now());
        const leases = this.opts.leases;
        const held = leases && (await leases.held(tx, batch.map((r) => r.op.id)));
        for (const runner of batch) {
          if (held) {
            const status = held.get(runner.op.id);
            if (status === undefined) {
              lost.push(runner.op.id);
              continue;
            }
            if (status === 'STOPPING' && runner.op.status !== 'STOPPING') runner.stoppedElsewhere();
          }
          const wasFinished = runner.finished;
          if (this.sharing) {
            for (const { target, outcome } of await this.sharing.take(tx, runner.op.id)) runner.complete(target, outcome);
            const done = runner.completedSeqs();
            const started = await runner.step(tx, now);
            await this.sharing.release(tx, runner.op.id, done, runner.finished);
            launches.push([runner, await this.sharing.assign(tx, runner.op.id, started)]);
          } else {
            launches.push([runner, await runner.step(tx, now)]);
          }
          if (!wasFinished && runner.finished) {
            groups.push(runner.op.group_id);
            if (leases) await leases.release(tx, runner.op.id);
          }
        }
        for (const groupId of new Set(groups)) {
          const next = await this.promoteQueued(tx, groupId);
          if (next) promoted.push(next);
        }
      });
    } catch (e) {
      // Nothing was written: the runners are put back as they were and the same turn is tried
      // again after a pause (not at once: a database that keeps failing would spin).
      this.opts.log.error('operation engine step failed; trying again', e);
      for (const back of undo) back();
      for (const runner of batch) this.dirty.add(runner);
      for (const groupId of idle) this.idleGroups.add(groupId);
      void this.opts.clock.sleep(TURN_RETRY_MS).then(() => this.scheduleFlush());
      return;
    }
    for (const id of lost) this.drop(id, 'its lease was taken over');
    for (const [runner, targets] of launches) {
      if (runner.finished) this.runners.delete(runner.op.id);
      // Stryker disable next-line LogicalOperator: a settling pass with no stop to settle finds no backlog and writes nothing
      if (runner.finished && runner.op.status === 'STOPPED') this.settleStops();
      for (const t of targets) this.launch(runner, t);
    }
    for (const id of promoted) await this.track(id);
  }

  // Writes the stops' backlog down a chunk per transaction, handing the event loop back between
  // chunks so that requests are served meanwhile (stop-backlog.ts).
  private settleStops(): void {
    if (this.closed) return;
    if (this.settling) {
      this.settleAgain = true;
      return;
    }
    this.settling = (async () => {
      for (;;) {
        // First: the Stop's answer goes out before anything is written.
        await nextTurn();
        if (this.closed) return;
        this.settleAgain = false;
        if (!(await this.opts.db.transaction((tx) => settleChunk(tx))) && !this.settleAgain) return;
      }
    })()
      .catch((e: unknown) => this.opts.log.error('writing a stopped operation down failed', e))
      .finally(() => (this.settling = undefined));
  }

  private launch(runner: OperationRunner, target: Target): void {
    this.sharing?.launching(runner.op.id, target.seq);
    this.run(runner.op, runner.groupName, target);
  }

  // Runs one target, here or for another replica's operation, and delivers its outcome.
  private run(op: Operation, groupName: string, target: Target): void {
    this.computing++;
    this.targetsRunning.set(`${op.id}#${target.seq}`, { operationId: op.id, accountId: target.accountId, regionId: target.regionId });
    const timeoutMs = op.run_spec.timeoutInMinutes * 60_000;
    const action = op.action === 'DETECT_DRIFT' ? 'UPDATE' : op.action;
    executeTarget(
      { operationId: op.id, accountId: target.accountId, regionId: target.regionId, stackGroupName: groupName, action },
      timeoutMs,
      this.executor,
    )
      .then((outcome) => (op.action === 'DETECT_DRIFT' && outcome.ok ? detectDrift(this.opts.db, op, target) : outcome))
      .catch((e: unknown): Outcome => {
        this.opts.log.error(`target ${target.accountId}/${target.regionId} of ${op.id} failed unexpectedly`, e);
        return { ok: false, reason: 'Internal error while running the stack action' };
      })
      .then((outcome) => this.deliver(op.id, target, outcome));
  }

  // To the operation's runner when this replica coordinates it, else back to its coordinator.
  private deliver(operationId: string, target: Target, outcome: Outcome): void {
    this.computing--;
    this.targetsRun++;
    this.targetsRunning.delete(`${operationId}#${target.seq}`);
    const runner = this.runners.get(operationId);
    if (runner) {
      runner.complete(target, outcome);
      this.schedule(runner);
    } else if (this.sharing && !this.closed) {
      this.sharing.handBack(operationId, target.seq, outcome);
    }
  }

  // Part of Services.reset(): operations in flight are dropped and their late outcomes ignored.
  forgetAll(): void {
    for (const runner of this.runners.values()) runner.finished = true;
    this.runners.clear();
    this.stacks.reset();
    this.dirty.clear();
    this.idleGroups.clear();
    this.operationReads.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stacks.close();
    await this.flushing;
    await this.sharing?.stop();
    await this.opts.leases?.stop();
    await this.settling;
  }
}
