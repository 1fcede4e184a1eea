// Fault injection for target actions (the control plane's /_localros/faults). Faults live in
// the database, so they survive a restart, and in memory, so matching costs no I/O; a counted
// fault's `times` are taken in the database, one conditional update each, so that two claims
// (of two replicas, too) never both take the last one.
//
// With several replicas (a cluster bus and a replica id), the database is the source of truth:
// every change of the faults is announced on the bus and the others reload their copy, releasing
// the targets they hold for a hold deleted elsewhere; held targets are recorded per replica
// (migration 022), so that every replica lists them all.
import { randomUUID } from 'node:crypto';
import { FAULTS_TOPIC, type ClusterBus } from '../store/cluster-bus.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import type { FaultMatch, HeldTarget, NewFault, StoredFault as Fault } from '../domain/fault.ts';
import { heldTargets } from '../store/repos/held-targets.ts';
import { faults as faultRepo } from '../store/repos/stored-faults.ts';
import { rosTime, type Clock } from './clock.ts';

export interface TargetAction {
  operationId: string;
  accountId: string;
  regionId: string;
  stackGroupName: string;
  action: 'CREATE' | 'UPDATE' | 'DELETE';
  // Known for standalone stacks, whose faults may name them.
  stackName?: string;
}

// One resource of a standalone stack's action.
export interface ResourceAction {
  logicalResourceId: string;
  resourceType: string;
  action: 'CREATE' | 'UPDATE' | 'DELETE';
}

interface Hold {
  target: HeldTarget;
  release: () => void;
}

export interface FaultCluster {
  bus: ClusterBus;
  // The replica's operation-lease owner: its held targets count while its heartbeat is live
  // (engine/target-sharing.ts).
  replica: string;
  log: Logger;
}

export type ListedFault = Fault & { held: HeldTarget[] };

export class FaultRegistry {
  private faults: Fault[] = [];
  private readonly holds = new Map<string, Hold[]>();
  // Reloads run one after another, so the last one to finish read the latest faults.
  private reloading: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly cluster?: FaultCluster,
  ) {
    if (cluster) {
      const reload = () => void this.reload().catch((e: unknown) => cluster.log.error('reloading the faults failed', e));
      cluster.bus.subscribe(FAULTS_TOPIC, reload);
      cluster.bus.onReconnect(reload);
    }
  }

  load(): Promise<void> {
    return this.reload();
  }

  // Reads the faults again; the targets held for a fault that is gone are released.
  reload(): Promise<void> {
    // A failed reload does not stop the next one.
    this.reloading = this.reloading.catch(() => undefined).then(async () => {
      this.faults = await faultRepo.all(this.db);
      const ids = new Set(this.faults.map((f) => f.id));
      for (const id of [...this.holds.keys()]) if (!ids.has(id)) this.releaseHeld(id);
    });
    return this.reloading;
  }

  private announce(tx: Db): Promise<void> {
    return this.cluster ? this.cluster.bus.publish(tx, FAULTS_TOPIC) : Promise.resolve();
  }

  async add(input: NewFault): Promise<Fault> {
    const fault: Fault = {
      id: `fault-${randomUUID()}`,
      match: input.match,
      effect: input.effect,
      message: input.message ?? null,
      delayMs: input.delayMs ?? null,
      timesRemaining: input.times ?? null,
      createTime: rosTime(this.clock.now()),
    };
    await this.db.transaction(async (tx) => {
      await faultRepo.insert(tx, fault);
      await this.announce(tx);
    });
    // A reload that read the faults before this one committed must not end after it.
    if (this.cluster) await this.reload();
    else this.faults.push(fault);
    return fault;
  }

  // With several replicas, the faults and every replica's held targets as the database has them
  // (the rows of replicas that died are deleted on the way).
  async list(): Promise<ListedFault[]> {
    if (!this.cluster) return this.faults.map((f) => ({ ...f, held: (this.holds.get(f.id) ?? []).map((h) => h.target) }));
    // The engine's clock, as heartbeats compare.
    const now = this.clock.now();
    const [faults, held] = await Promise.all([faultRepo.all(this.db), heldTargets.live(this.db, now)]);
    if (held.dead) await this.db.transaction((tx) => heldTargets.removeDead(tx, now));
    return faults.map((f) => ({ ...f, held: held.byFault.get(f.id) ?? [] }));
  }

  // Deleting a hold releases every target it holds, on every replica.
  async remove(id: string): Promise<boolean> {
    const removed = await this.db.transaction(async (tx) => {
      const found = await faultRepo.remove(tx, id);
      if (this.cluster) await heldTargets.removeFault(tx, id);
      if (found) await this.announce(tx);
      return found;
    });
    // The reload drops the fault and releases its held targets, as another replica's does.
    if (this.cluster) await this.reload();
    else {
      this.faults = this.faults.filter((f) => f.id !== id);
      this.releaseHeld(id);
    }
    return removed;
  }

  // Part of the control plane's reset (of this replica or another): what is held is released,
  // and the faults are what the database has (none, unless added since).
  async clear(): Promise<void> {
    // Stryker disable next-line ArrayDeclaration: the same reset drops the operations waiting on these holds; releasing them only lets their promises be collected, which no request can see
    for (const id of [...this.holds.keys()]) this.releaseHeld(id);
    this.faults = [];
    if (this.cluster) await this.reload();
  }

  private releaseHeld(id: string): void {
    for (const h of this.holds.get(id) ?? []) h.release();
    this.holds.delete(id);
  }

  // The faults that apply to one target action as a whole, each consumed once when it has a count.
  async claim(target: TargetAction): Promise<Fault[]> {
    return this.consume(this.faults.filter((f) => live(f) && !isResourceFault(f.match) && matches(f.match, target)));
  }

  // The faults that apply to one resource of a standalone stack's action.
  async claimResource(target: TargetAction, resource: ResourceAction): Promise<Fault[]> {
    return this.consume(this.faults.filter((f) => live(f) && isResourceFault(f.match) && matches(f.match, { ...target, action: resource.action }) && matchesResource(f.match, resource)));
  }

  private async consume(hits: Fault[]): Promise<Fault[]> {
    // Stryker disable next-line ArrayDeclaration: every caller acts on a taken fault by its effect, and an entry without one has none
    const taken: Fault[] = [];
    for (const f of hits) {
      if (f.timesRemaining === null) {
        taken.push(f);
        continue;
      }
      const remaining = await this.db.transaction(async (tx) => {
        const left = await faultRepo.consumeOne(tx, f.id);
        // An exhausted hold stays listed until its targets are released, so that the caller
        // can still release them by deleting it.
        if (left === 0 && f.effect !== 'hold') await faultRepo.remove(tx, f.id);
        if (left === 0) await this.announce(tx);
        return left;
      });
      // A used-up hold stays too when another target took its last time first: it holds that
      // target until it is deleted (or, with replicas, until a reload finds it gone).
      if (f.effect !== 'hold' && (remaining === undefined || remaining === 0)) this.faults = this.faults.filter((x) => x !== f);
      if (remaining === undefined) continue;
      f.timesRemaining = remaining;
      taken.push(f);
    }
    return taken;
  }

  async hold(faultId: string, target: HeldTarget): Promise<void> {
    if (!this.faults.some((f) => f.id === faultId)) return;
    const released = new Promise<void>((resolve) => {
      const list = this.holds.get(faultId) ?? [];
      list.push({ target, release: resolve });
      this.holds.set(faultId, list);
    });
    const cluster = this.cluster;
    if (cluster) await this.db.transaction((tx) => heldTargets.insert(tx, faultId, cluster.replica, target));
    await released;
  }
}

const live = (f: Fault): boolean => f.timesRemaining === null || f.timesRemaining > 0;

const isResourceFault = (m: FaultMatch): boolean => m.logicalResourceId !== undefined || m.resourceType !== undefined;

function matches(m: FaultMatch, t: TargetAction): boolean {
  return (
    (m.accountId === undefined || m.accountId === t.accountId) &&
    (m.regionId === undefined || m.regionId === t.regionId) &&
    (m.stackGroupName === undefined || m.stackGroupName === t.stackGroupName) &&
    (m.stackName === undefined || m.stackName === t.stackName) &&
    (m.action === undefined || m.action === t.action)
  );
}

function matchesResource(m: FaultMatch, r: ResourceAction): boolean {
  return (m.logicalResourceId === undefined || m.logicalResourceId === r.logicalResourceId) && (m.resourceType === undefined || m.resourceType === r.resourceType);
}
