// The targets of one operation run by several replicas (docs/scale-out.md). The replica holding
// the operation's lease (its coordinator) keeps the OperationRunner, so the windows, the
// tolerance and Stop stay in one place; in the turn's transaction that marks targets RUNNING it
// assigns each to a live replica, round robin. Every replica polls for the targets assigned to
// it, runs them, and hands each outcome back through the database; the coordinator's next turn
// takes it and writes the result with its effects, in one transaction as for a target it ran
// itself. Only an outcome from the target's current worker counts: the targets of a replica
// whose heartbeat expired are assigned again, and run again once.
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { operations, type Operation } from '../store/repos/operations.ts';
import { stackGroups } from '../store/repos/stack-groups.ts';
import { assignments, handedOutcomes, replicas, type Assignment } from '../store/repos/target-sharing.ts';
import type { Outcome } from '../stacks/run/stack-run.ts';
import type { Target } from './runner.ts';

// A worker looks for new work this often: a target's start on another replica waits for it.
const POLL_MS = 25;

export interface SharingOptions {
  db: Db;
  log: Logger;
  // This replica (its lease owner id).
  id: string;
  timeoutMs: number;
  // Heartbeats' expiry, on the same clock as the leases'.
  now: () => number;
  // Runs one target of an operation and delivers its outcome (engine.ts).
  launch(op: Operation, groupName: string, target: Target): void;
  // The operations this replica coordinates; `wake` is told which of them have outcomes waiting.
  coordinating(): string[];
  wake(operationIds: string[]): void;
}

const keyOf = (operationId: string, seq: number) => `${operationId}#${seq}`;

interface Handing {
  operationId: string;
  seq: number;
  outcome: string;
}

export class TargetSharing {
  // Live replicas as last read (this one always among them), and the round robin's position.
  private live: string[];
  private cursor = 0;
  // Targets this replica has launched, by the poll generation at which they were: a target is
  // forgotten once a poll that began after its launch no longer finds its assignment.
  private readonly launched = new Map<string, number>();
  private generation = 0;
  // Operations whose outcomes the coordinator takes in its next turn.
  private readonly waiting = new Set<string>();
  private readonly ops = new Map<string, Promise<{ op: Operation; groupName: string } | undefined>>();
  private pollTimer: NodeJS.Timeout | undefined;
  private beatTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private beating: Promise<void> = Promise.resolve();
  // Outcomes to hand back in the next transaction, and the last one written.
  private readonly handing: Handing[] = [];
  private handed: Promise<void> = Promise.resolve();

  constructor(private readonly opts: SharingOptions) {
    this.live = [opts.id];
  }

  get liveReplicas(): readonly string[] {
    return this.live;
  }

  async start(): Promise<void> {
    await this.beat();
    // The heartbeat does not queue behind the polls: a slow poll must not make this replica look dead.
    const every = (ms: number, work: () => Promise<void>, set: (t: NodeJS.Timeout | undefined) => void, chained = true) => {
      const tick = () => {
        const timer = setTimeout(() => {
          const logged = (p: Promise<void>) => p.catch((e: unknown) => this.opts.log.error('sharing targets between replicas failed', e));
          const done = chained ? (this.running = logged(this.running.then(work))) : (this.beating = logged(work()));
          void done.finally(() => {
            if (this.pollTimer || this.beatTimer) tick();
          });
        }, ms);
        timer.unref();
        set(timer);
      };
      tick();
    };
    every(POLL_MS, () => this.poll(), (t) => (this.pollTimer = t));
    every(Math.max(100, Math.floor(this.opts.timeoutMs / 3)), () => this.beat(), (t) => (this.beatTimer = t), false);
  }

  // In the coordinator's turn transaction: records who runs each target started; answers the
  // ones this replica runs itself.
  async assign(tx: Db, operationId: string, targets: readonly Target[]): Promise<Target[]> {
    if (!targets.length) return [];
    const rows: Assignment[] = targets.map((t) => ({ operation_id: operationId, seq: t.seq, account_id: t.accountId, region_id: t.regionId, worker: this.pick() }));
    await assignments.insert(tx, rows);
    const here = targets.filter((_t, i) => rows[i].worker === this.opts.id);
    this.willLaunch(operationId, here);
    return here;
  }

  // Before the commit that assigns targets to this replica: a poll that reads them once committed
  // must not launch them too (until `launching`, they are kept whatever a poll reads).
  private willLaunch(operationId: string, targets: readonly Target[]): void {
    for (const t of targets) this.launched.set(keyOf(operationId, t.seq), Infinity);
  }

  // Targets whose outcome the coordinator's turn wrote, or all of an operation that ended.
  release(tx: Db, operationId: string, seqs: readonly number[], ended: boolean): Promise<void> {
    return ended ? assignments.releaseOperation(tx, operationId) : assignments.release(tx, operationId, seqs);
  }

  // Outcomes handed back for the operation, once the poll has seen some; inside the turn.
  async take(tx: Db, operationId: string): Promise<{ target: Target; outcome: Outcome }[]> {
    if (!this.waiting.delete(operationId)) return [];
    const rows = await handedOutcomes.take(tx, operationId);
    return rows.map((r) => ({ target: { seq: r.seq, accountId: r.account_id, regionId: r.region_id }, outcome: JSON.parse(r.outcome) as Outcome }));
  }

  // Before a launch here, so that the poll does not launch it again.
  launching(operationId: string, seq: number): void {
    this.launched.set(keyOf(operationId, seq), this.generation);
  }

  // An operation taken over (engine.ts track): of its targets RUNNING, those of a live worker
  // (or with an outcome waiting) are waited for; the others, whose worker died, are assigned to
  // this replica and answered to be launched here, once.
  async adopt(operationId: string, running: readonly Target[]): Promise<Target[]> {
    if (!running.length) return [];
    return this.opts.db.transaction(async (tx) => {
      const live = new Set(await replicas.live(tx, this.opts.now()));
      live.add(this.opts.id);
      const current = new Map((await assignments.ofOperation(tx, operationId)).map((a) => [a.seq, a]));
      const orphans = running.filter((t) => {
        const a = current.get(t.seq);
        return !a || (!live.has(a.worker) && !a.handed);
      });
      await assignments.insert(
        tx,
        orphans.map((t) => ({ operation_id: operationId, seq: t.seq, account_id: t.accountId, region_id: t.regionId, worker: this.opts.id })),
      );
      this.willLaunch(operationId, orphans);
      if (current.size) this.waiting.add(operationId);
      return orphans;
    });
  }

  // A target run here whose operation this replica does not coordinate (any more): the outcome
  // goes to the coordinator, unless the target was assigned to another replica meanwhile. The
  // outcomes of one turn of the event loop share a transaction (transactions are serialized
  // across replicas: one per target would queue every replica's writes behind them).
  handBack(operationId: string, seq: number, outcome: Outcome): void {
    this.enqueue([{ operationId, seq, outcome: JSON.stringify(outcome) }]);
  }

  private enqueue(outcomes: Handing[]): void {
    const first = this.handing.length === 0;
    this.handing.push(...outcomes);
    if (first) setImmediate(() => this.writeHanding());
  }

  private writeHanding(): void {
    const batch = this.handing.splice(0);
    this.handed = this.handed
      .then(() =>
        this.opts.db.transaction(async (tx) => {
          // Stryker disable next-line ArrayDeclaration: the dropped keys only make the warning below
          const dropped: string[] = [];
          for (const h of batch) if (!(await handedOutcomes.record(tx, h.operationId, h.seq, this.opts.id, h.outcome))) dropped.push(keyOf(h.operationId, h.seq));
          return dropped;
        }),
      )
      // Stryker disable next-line BlockStatement: the handler only logs the dropped outcomes
      .then((dropped) => {
        // Stryker disable next-line ConditionalExpression: the guard of a log line
        if (dropped.length) this.opts.log.warn(`outcomes dropped, their targets are no longer assigned to this replica: ${dropped.join(', ')}`);
      })
      .catch((e: unknown) => {
        // Nothing was written: the coordinator waits for these outcomes while this replica lives.
        this.opts.log.error('handing outcomes back to their coordinator failed; trying again', e);
        if (this.pollTimer) setTimeout(() => this.enqueue(batch), POLL_MS).unref();
      });
  }

  private pick(): string {
    this.cursor = (this.cursor + 1) % this.live.length;
    return this.live[this.cursor];
  }

  private async poll(): Promise<void> {
    const generation = ++this.generation;
    const mine = await assignments.ofWorker(this.opts.db, this.opts.id);
    const present = new Set<string>();
    for (const a of mine) {
      const key = keyOf(a.operation_id, a.seq);
      present.add(key);
      if (this.launched.has(key)) continue;
      const found = await this.operation(a.operation_id);
      if (!found) continue;
      this.launched.set(key, generation);
      this.opts.launch(found.op, found.groupName, { seq: a.seq, accountId: a.account_id, regionId: a.region_id });
    }
    for (const [key, at] of this.launched) if (at < generation && !present.has(key)) this.launched.delete(key);
    const opsWithWork = new Set(mine.map((a) => a.operation_id));
    for (const id of this.ops.keys()) if (!opsWithWork.has(id)) this.ops.delete(id);

    const coordinating = this.opts.coordinating();
    if (!coordinating.length) return;
    const waiting = await handedOutcomes.waiting(this.opts.db, coordinating);
    for (const id of waiting) this.waiting.add(id);
    if (waiting.length) this.opts.wake(waiting);
  }

  private operation(id: string): Promise<{ op: Operation; groupName: string } | undefined> {
    let found = this.ops.get(id);
    if (!found) {
      found = (async () => {
        const op = await operations.get(this.opts.db, id);
        if (!op) return undefined;
        // Stryker disable next-line OptionalChaining,StringLiteral: unreachable: a group is deleted only with no operation in flight, and an assignment lives only while its operation runs
        return { op, groupName: (await stackGroups.byIdUnscoped(this.opts.db, op.group_id))?.name ?? '' };
      })();
      this.ops.set(id, found);
    }
    return found;
  }

  // The heartbeat; then the targets of this replica's operations whose worker died go to live
  // replicas.
  private async beat(): Promise<void> {
    const now = this.opts.now();
    await replicas.beat(this.opts.db, this.opts.id, now + this.opts.timeoutMs);
    // This replica is among them: its row was just written to expire no earlier than now, and
    // only its own stop() deletes it.
    this.live = await replicas.live(this.opts.db, now);
    const moved = await this.opts.db.transaction(async (tx) => {
      const orphans = await assignments.orphaned(tx, this.opts.id, this.live);
      await assignments.insert(tx, orphans.map((a) => ({ ...a, worker: this.pick() })));
      return orphans.length;
    });
    if (moved) this.opts.log.info(`${moved} target(s) of a replica that stopped answering assigned again`);
  }

  // A clean stop: this replica's targets go to the others at their next heartbeat.
  async stop(): Promise<void> {
    clearTimeout(this.pollTimer);
    clearTimeout(this.beatTimer);
    this.pollTimer = this.beatTimer = undefined;
    await this.running;
    await this.beating;
    await this.handed;
    await replicas.leave(this.opts.db, this.opts.id);
  }
}
