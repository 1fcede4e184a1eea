// Operations owned by leases, for several replicas on one database (docs/scale-out.md). A
// replica runs an operation only while it holds the operation's lease, renewed every third of
// the timeout; the lease of a replica that died expires and the next sweep of another replica
// takes the operation over, rebuilding it from its results as after a restart (RUNNING targets
// run again, once). Every engine turn re-checks its leases in its own transaction, so a replica
// that lost one (paused past the timeout) writes nothing more for that operation.
//
// Transactions are serialized across replicas (store/postgres.ts), so a claim is a conditional
// upsert in one: two replicas never both see a lease as free.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { operationLeases } from '../store/repos/operation-leases.ts';

export interface LeaseOptions {
  db: Db;
  log: Logger;
  timeoutMs: number;
  // Wall-clock ms (the engine's clock): replicas compare each other's expiry times, so their
  // clocks must agree to well within the timeout.
  now: () => number;
}

export class Leases {
  // This process; a restarted replica is a new owner and waits for its old leases to expire.
  readonly owner = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  // The sweep in progress: a stop waits for it, else its adoptions could claim again what the
  // stop released, a lease no replica would then renew or take over until it expired.
  private sweeping: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly opts: LeaseOptions) {}

  get timeoutMs(): number {
    return this.opts.timeoutMs;
  }

  async claim(operationId: string): Promise<boolean> {
    if (this.stopped) return false;
    const now = this.opts.now();
    return this.opts.db.transaction((tx) => operationLeases.claim(tx, operationId, this.owner, now, now + this.opts.timeoutMs));
  }

  // Inside an engine turn: the status of each operation whose lease is still ours.
  held(tx: Db, operationIds: readonly string[]): Promise<Map<string, string>> {
    return operationLeases.heldStatuses(tx, this.owner, operationIds);
  }

  release(tx: Db, operationId: string): Promise<void> {
    return operationLeases.release(tx, operationId);
  }

  // Every third of the timeout: renews the leases of `running()`, reports the ones lost, and
  // offers the orphaned operations to `adopt`.
  start(hooks: { running: () => string[]; lost: (ids: string[]) => void; adopt: (id: string) => Promise<void> }): void {
    const sweep = async () => {
      const running = hooks.running();
      const now = this.opts.now();
      if (running.length) {
        const kept = await operationLeases.renew(this.opts.db, this.owner, running, now + this.opts.timeoutMs);
        const lost = running.filter((id) => !kept.has(id));
        if (lost.length) hooks.lost(lost);
      }
      for (const id of await operationLeases.orphans(this.opts.db, now)) await hooks.adopt(id);
    };
    const tick = () => {
      this.timer = setTimeout(() => {
        this.sweeping = sweep()
          .catch((e: unknown) => this.opts.log.error('renewing operation leases failed', e))
          .finally(() => {
            if (this.timer) tick();
          });
      }, Math.max(100, Math.floor(this.opts.timeoutMs / 3)));
      this.timer.unref();
    };
    tick();
  }

  // A clean shutdown hands its operations over at once, instead of after the timeout.
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.sweeping;
    await operationLeases.releaseAll(this.opts.db, this.owner);
  }
}
