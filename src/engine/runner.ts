// One operation in flight (semantics.md §2, §3, §7, §8). The runner keeps the scheduling state
// in memory and writes every transition in the engine's batched transaction, so that the
// database alone is enough to rebuild it after a restart (see `fromResults`).
import type { Db } from '../store/db.ts';
import { operations, results as resultRepo, type Operation, type ResultRow } from '../store/repos/operations.ts';
import { applyBatched, applyCancel, applyOutcome } from './apply.ts';
import type { TargetContext, TurnContext } from './target-context.ts';
import { TurnWrites } from './turn-writes.ts';
import { recordGroupDrift } from './drift.ts';
import type { Outcome } from '../stacks/run/stack-run.ts';
import type { TemplateLoader } from '../stacks/template/template-loader.ts';
import { planRegion, type RegionPlan } from './plan.ts';
import { markStopped } from './stop-backlog.ts';
import { TOLERANCE_REASON, type OperationStatus } from './types.ts';

export interface Target {
  seq: number;
  accountId: string;
  regionId: string;
}

// Failures count per region, except for drift detection, whose tolerance is documented over
// the whole operation (ros-api.md §4.4): there every region shares one scope.
interface ToleranceScope {
  tolerance: number;
  failed: number;
}

interface RegionState {
  plan: RegionPlan;
  scope: ToleranceScope;
  pending: Target[];
  next: number;
  running: number;
}

export class OperationRunner {
  private readonly regions: RegionState[];
  private readonly byRegion: Map<string, RegionState>;
  private readonly parallel: boolean;
  private activeRegion = 0;
  private completions: { target: Target; outcome: Outcome }[] = [];
  private stopRequested: boolean;
  private toleranceExceeded = false;
  // Targets recorded RUNNING whose outcome has not been written yet.
  private inFlight = 0;
  finished = false;

  private constructor(
    readonly op: Operation,
    readonly groupName: string,
    private readonly templateHash: string,
    // The server's templates, for the checks a finished target's outcome needs (drift).
    private readonly templates: TemplateLoader,
    regions: RegionState[],
    // Targets that were RUNNING when the process stopped: they run again.
    private resumed: Target[],
  ) {
    this.regions = regions;
    this.byRegion = new Map(regions.map((r) => [r.plan.regionId, r]));
    this.parallel = op.preferences.RegionConcurrencyType === 'PARALLEL';
    this.stopRequested = op.status === 'STOPPING';
    // A stopped operation's unstarted targets never start: they read CANCELLED (stop-view.ts).
    if (this.stopRequested) for (const r of regions) r.pending = [];
  }

  static fromResults(op: Operation, groupName: string, templateHash: string, templates: TemplateLoader, rows: ResultRow[]): OperationRunner {
    const byRegion = new Map<string, ResultRow[]>();
    for (const r of rows) {
      const list = byRegion.get(r.region_id) ?? [];
      list.push(r);
      byRegion.set(r.region_id, list);
    }
    const resumed: Target[] = [];
    const shared: ToleranceScope | undefined =
      op.action === 'DETECT_DRIFT' ? { tolerance: planRegion(op.preferences, '', rows.length).tolerance, failed: 0 } : undefined;
    const regions = op.region_order.map((regionId): RegionState => {
      const list = byRegion.get(regionId) ?? [];
      const plan = planRegion(op.preferences, regionId, list.length);
      const state: RegionState = { plan, scope: shared ?? { tolerance: plan.tolerance, failed: 0 }, pending: [], next: 0, running: 0 };
      for (const r of list) {
        const target = { seq: r.seq, accountId: r.account_id, regionId };
        if (r.status === 'PENDING') state.pending.push(target);
        else if (r.status === 'RUNNING') resumed.push(target);
        else if (r.status === 'FAILED') state.scope.failed++;
      }
      return state;
    });
    const runner = new OperationRunner(op, groupName, templateHash, templates, regions, resumed);
    runner.toleranceExceeded = regions.some((r) => r.scope.failed > r.scope.tolerance);
    for (const t of resumed) runner.regionOf(t).running++;
    runner.inFlight = resumed.length;
    return runner;
  }

  private regionOf(t: Target): RegionState {
    return this.byRegion.get(t.regionId)!;
  }

  complete(target: Target, outcome: Outcome): void {
    this.completions.push({ target, outcome });
  }

  // The targets whose outcome the next step writes.
  completedSeqs(): number[] {
    return this.completions.map((c) => c.target.seq);
  }

  takeResumed(): Target[] {
    const out = this.resumed;
    // Stryker disable next-line ArrayDeclaration: takeResumed is called once per runner, when it is tracked
    this.resumed = [];
    return out;
  }

  private ctx(db: Db, target: Target, now: string): TargetContext {
    return { db, templates: this.templates, op: this.op, groupName: this.groupName, target, now, templateHash: this.templateHash };
  }

  private async cancelPending(db: Db, region: RegionState, reason: string, now: string): Promise<void> {
    for (; region.next < region.pending.length; region.next++) {
      const t = region.pending[region.next];
      await resultRepo.finish(db, this.op.id, t.seq, 'CANCELLED', reason);
      await applyCancel(this.ctx(db, t, now), reason);
    }
  }

  // What a turn (stoppedElsewhere, complete, step) changes in memory, kept before its
  // transaction: the answer puts it back when that transaction fails, so that the next turn
  // writes the same outcomes and starts the same targets (engine.ts flush). Outcomes that
  // arrived meanwhile are kept.
  checkpoint(): () => void {
    const completions = [...this.completions];
    const regions = this.regions.map((r) => ({ next: r.next, running: r.running, failed: r.scope.failed }));
    const { activeRegion, inFlight, stopRequested, toleranceExceeded, finished } = this;
    const { status, end_time } = this.op;
    return () => {
      this.completions = [...completions, ...this.completions.filter((c) => !completions.includes(c))];
      this.regions.forEach((r, i) => {
        r.next = regions[i].next;
        r.running = regions[i].running;
        r.scope.failed = regions[i].failed;
      });
      this.activeRegion = activeRegion;
      this.inFlight = inFlight;
      this.stopRequested = stopRequested;
      this.toleranceExceeded = toleranceExceeded;
      this.finished = finished;
      this.op.status = status;
      this.op.end_time = end_time;
    };
  }

  // Called inside a transaction. Records finished targets, applies tolerance, starts what the
  // windows allow and returns the targets to launch once the transaction has committed.
  async step(db: Db, now: string): Promise<Target[]> {
    if (this.finished) return [];
    const done = this.completions;
    this.completions = [];
    const writes = new TurnWrites(this.op.id, this.op.group_id);
    const turn = { db, templates: this.templates, op: this.op, groupName: this.groupName, now, templateHash: this.templateHash, writes };
    for (const { target, outcome } of done) {
      const region = this.regionOf(target);
      region.running--;
      this.inFlight--;
      writes.finish(target.seq, outcome.ok ? 'SUCCEEDED' : 'FAILED', outcome.ok ? null : outcome.reason, (outcome.ok && outcome.drift) || null);
      const ctx: TurnContext = { ...turn, target };
      if (!applyBatched(ctx, outcome)) await applyOutcome(ctx, outcome);
      if (!outcome.ok) {
        region.scope.failed++;
        if (region.scope.failed > region.scope.tolerance && !this.toleranceExceeded) {
          this.toleranceExceeded = true;
          // A failed region stops there; SEQUENTIAL never starts the later regions and
          // PARALLEL cancels the other regions' unstarted targets (semantics.md §7.4).
          for (const r of this.regions) await this.cancelPending(db, r, TOLERANCE_REASON, now);
        }
      }
    }

    const launches: Target[] = [];
    if (!this.stopRequested && !this.toleranceExceeded) {
      if (this.parallel) {
        for (const region of this.regions) this.fill(region, launches, writes);
      } else {
        // SEQUENTIAL: the next region starts only once every target of this one finished.
        while (this.activeRegion < this.regions.length - 1 && isDrained(this.regions[this.activeRegion])) this.activeRegion++;
        if (this.regions.length) this.fill(this.regions[this.activeRegion], launches, writes);
      }
    }
    // Before the operation's own end, which reads the results (drift detection).
    await writes.flush(db);

    if (this.inFlight === 0 && launches.length === 0 && this.regions.every((r) => r.next >= r.pending.length)) {
      await this.finish(db, now);
    }
    return launches;
  }

  private fill(region: RegionState, launches: Target[], writes: TurnWrites): void {
    while (region.running < region.plan.window && region.next < region.pending.length) {
      const t = region.pending[region.next++];
      region.running++;
      this.inFlight++;
      writes.start(t.seq);
      launches.push(t);
    }
  }

  // A Stop answered STOPPING by another replica (engine/leases.ts), seen in this turn's
  // transaction before any target starts: nothing more starts; the Stop already marked the
  // unstarted targets. (One answered STOPPED released this runner's lease in its transaction:
  // the turn finds the operation lost instead.)
  stoppedElsewhere(): void {
    this.stopRequested = true;
    for (const r of this.regions) r.next = r.pending.length;
    this.op.status = 'STOPPING';
  }

  // StopStackGroupOperation, inside the request's transaction: unstarted targets are cancelled
  // now, by a marker written later (stop-backlog.ts), whatever their number; the operation is
  // STOPPING while anything is in flight, else STOPPED at once.
  async stop(db: Db, now: string): Promise<OperationStatus> {
    if (!this.stopRequested) {
      this.stopRequested = true;
      // The unstarted targets are dropped (a stopped operation may leave 100,000 of them).
      for (const r of this.regions) r.pending.length = r.next;
      await markStopped(db, this.op);
    }
    if (this.inFlight === 0) {
      await this.finish(db, now);
      return 'STOPPED';
    }
    await operations.setStatus(db, this.op.id, 'STOPPING', null);
    this.op.status = 'STOPPING';
    return 'STOPPING';
  }

  private async finish(db: Db, now: string): Promise<void> {
    const status: OperationStatus = this.stopRequested ? 'STOPPED' : this.toleranceExceeded ? 'FAILED' : 'SUCCEEDED';
    await operations.setStatus(db, this.op.id, status, now);
    this.op.status = status;
    this.op.end_time = now;
    this.finished = true;
    await recordGroupDrift(db, this.op);
  }
}

const isDrained = (r: RegionState): boolean => r.running === 0 && r.next >= r.pending.length;
