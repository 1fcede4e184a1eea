// Fault injection for target actions (the control plane's /_localros/faults). Faults live in
// the database, so they survive a restart, and in memory, so matching costs no I/O.
import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db.ts';
import type { FaultMatch, HeldTarget, NewFault, StoredFault as Fault } from '../domain/fault.ts';
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

export class FaultRegistry {
  private faults: Fault[] = [];
  private readonly holds = new Map<string, Hold[]>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async load(): Promise<void> {
    this.faults = await faultRepo.all(this.db);
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
    await this.db.transaction((tx) => faultRepo.insert(tx, fault));
    this.faults.push(fault);
    return fault;
  }

  list(): (Fault & { held: HeldTarget[] })[] {
    return this.faults.map((f) => ({ ...f, held: (this.holds.get(f.id) ?? []).map((h) => h.target) }));
  }

  // Deleting a hold releases every target it holds.
  async remove(id: string): Promise<boolean> {
    const removed = await this.db.transaction((tx) => faultRepo.remove(tx, id));
    this.faults = this.faults.filter((f) => f.id !== id);
    this.releaseHeld(id);
    return removed;
  }

  async clear(): Promise<void> {
    for (const f of this.faults) this.releaseHeld(f.id);
    this.faults = [];
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
    for (const f of hits) {
      if (f.timesRemaining === null) continue;
      f.timesRemaining -= 1;
      if (f.timesRemaining <= 0) {
        // An exhausted hold stays listed until its targets are released, so that the caller
        // can still release them by deleting it.
        if (f.effect !== 'hold') this.faults = this.faults.filter((x) => x !== f);
        await this.db.transaction(async (tx) => (f.effect === 'hold' ? faultRepo.setTimesRemaining(tx, f.id, 0) : faultRepo.remove(tx, f.id)));
      } else {
        await this.db.transaction((tx) => faultRepo.setTimesRemaining(tx, f.id, f.timesRemaining!));
      }
    }
    return hits;
  }

  hold(faultId: string, target: HeldTarget): Promise<void> {
    if (!this.faults.some((f) => f.id === faultId)) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.holds.get(faultId) ?? [];
      list.push({ target, release: resolve });
      this.holds.set(faultId, list);
    });
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
