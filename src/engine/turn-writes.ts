// What one runner's turn writes for its targets, gathered and written in shared statements at
// the end of the turn (still inside its transaction): targets started, results ended alike,
// instances deployed alike, and first stack creates. One statement per target and per row was
// most of what a target cost (bench/README.md, issue 17).
import type { Db } from '../store/db.ts';
import { results } from '../store/repos/operations.ts';
import { stackInstances, type TargetKey } from '../store/repos/stack-instances.ts';
import { DeploymentBatch } from '../stacks/run/stack-writer.ts';
import type { InstanceStatus, ResultStatus } from './types.ts';

interface Finished {
  status: ResultStatus;
  reason: string | null;
  drift: string | null;
  seqs: number[];
}

interface Deployed {
  status: InstanceStatus;
  reason: string | null;
  rows: (TargetKey & { stackId: string | null })[];
}

export class TurnWrites {
  readonly deployments = new DeploymentBatch();
  private readonly started: number[] = [];
  private readonly finished = new Map<string, Finished>();
  private readonly deployed = new Map<string, Deployed>();

  constructor(
    private readonly operationId: string,
    private readonly groupId: string,
  ) {}

  start(seq: number): void {
    this.started.push(seq);
  }

  finish(seq: number, status: ResultStatus, reason: string | null, drift: string | null): void {
    // Most outcomes of a turn end alike (SUCCEEDED, no reason, no drift): their key is the status.
    const key = reason === null && drift === null ? status : JSON.stringify([status, reason, drift]);
    let group = this.finished.get(key);
    if (!group) this.finished.set(key, (group = { status, reason, drift, seqs: [] }));
    group.seqs.push(seq);
  }

  setDeployed(target: TargetKey, status: InstanceStatus, reason: string | null, stackId: string | null): void {
    const key = reason === null ? status : JSON.stringify([status, reason]);
    let group = this.deployed.get(key);
    if (!group) this.deployed.set(key, (group = { status, reason, rows: [] }));
    group.rows.push({ accountId: target.accountId, regionId: target.regionId, stackId });
  }

  // Stacks before the instances and results that name them.
  async flush(db: Db): Promise<void> {
    await this.deployments.flush(db);
    for (const d of this.deployed.values()) await stackInstances.setDeployedMany(db, this.groupId, d.status, d.reason, d.rows);
    for (const f of this.finished.values()) await results.finishMany(db, this.operationId, f.seqs, f.status, f.reason, f.drift);
    await results.startMany(db, this.operationId, this.started);
  }
}
