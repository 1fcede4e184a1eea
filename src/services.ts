import { Accounts } from './accounts.ts';
import type { Config } from './config/schema.ts';
import { systemClock, type Clock } from './engine/clock.ts';
import type { Logger } from './log.ts';
import { MAX_REMEMBERED_NONCES, NonceCache } from './protocol/signature/freshness.ts';
import { RESET_TOPIC, SIGNAL_TOPIC, type ClusterBus } from './store/cluster-bus.ts';
import type { Db } from './store/db.ts';
import { OperationEngine } from './engine/engine.ts';
import { FaultRegistry } from './engine/fault-registry.ts';
import { Leases } from './engine/leases.ts';
import { ResourceDirectoryService } from './engine/directory-service.ts';
import { TemplateLoader } from './stacks/template/template-loader.ts';

// Everything a handler may use, built once per server.
export interface Services {
  config: Config;
  clock: Clock;
  log: Logger;
  db: Db;
  // The other replicas on the same PostgreSQL database; none for a single SQLite process.
  bus: ClusterBus | undefined;
  accounts: Accounts;
  nonces: NonceCache;
  faults: FaultRegistry;
  engine: OperationEngine;
  directories: ResourceDirectoryService;
  // This server's templates: its resource limit and its parsed templates.
  templates: TemplateLoader;
  // The control plane's reset: every table emptied, nothing in flight, the configured resource
  // directories restored.
  reset(): Promise<void>;
}

export function createServices(config: Config, db: Db, log: Logger, clock: Clock = systemClock, bus?: ClusterBus): Services {
  const templates = new TemplateLoader(config.limits.resourcesPerStack);
  // A shared database (PostgreSQL) may have other replicas: operations run under leases.
  const leases = config.database ? new Leases({ db, log, timeoutMs: config.leaseTimeoutMs, now: () => clock.now() }) : undefined;
  const faults = new FaultRegistry(db, clock, bus && leases ? { bus, replica: leases.owner, log } : undefined);
  const engine = new OperationEngine({
    db,
    clock,
    log,
    faults,
    templates,
    stackOperationMs: config.simulation.stackOperationMs,
    waitConditionSignals: config.simulation.waitConditionSignals,
    ...(leases ? { leases } : {}),
  });
  const directories = new ResourceDirectoryService(db, clock, engine, new Set(config.accounts.map((a) => a.accountId)));
  // What this replica keeps in memory of what another one reset or signalled.
  const forget = async () => {
    engine.forgetAll();
    await faults.clear();
    templates.clear();
  };
  bus?.subscribe(RESET_TOPIC, () => void forget().catch((e: unknown) => log.error('applying a reset of another replica failed', e)));
  bus?.subscribe(SIGNAL_TOPIC, (stackId) => engine.stacks.signalled(stackId));
  // Signals sent while the bus was down: the waiting stacks look at theirs again.
  bus?.onReconnect(() => engine.stacks.signalledAll());
  return {
    config,
    clock,
    log,
    db,
    bus,
    faults,
    engine,
    directories,
    templates,
    accounts: new Accounts(config),
    nonces: new NonceCache(MAX_REMEMBERED_NONCES, db, config.database !== undefined),
    async reset() {
      engine.forgetAll();
      // Used nonces are replay protection and replicas' heartbeats say who is alive, not test
      // state: a reset keeps them.
      await db.clearTables(new Set(['used_nonces', 'used_nonce_batches', 'replicas']));
      await faults.clear();
      await directories.seed(config.resourceDirectories);
      templates.clear();
      // The other replicas drop their operations in flight too.
      if (bus) await db.transaction((tx) => bus.publish(tx, RESET_TOPIC));
    },
  };
}
