import { Accounts } from './accounts.ts';
import type { Config } from './config/schema.ts';
import { systemClock, type Clock } from './engine/clock.ts';
import type { Logger } from './log.ts';
import { MAX_REMEMBERED_NONCES, NonceCache } from './protocol/signature/freshness.ts';
import type { Db } from './store/db.ts';
import { OperationEngine } from './engine/engine.ts';
import { FaultRegistry } from './engine/faults.ts';
import { ResourceDirectoryService } from './engine/directory-service.ts';
import { setResourceLimit } from './stacks/template/index.ts';

// Everything a handler may use, built once per server.
export interface Services {
  config: Config;
  clock: Clock;
  log: Logger;
  db: Db;
  accounts: Accounts;
  nonces: NonceCache;
  faults: FaultRegistry;
  engine: OperationEngine;
  directories: ResourceDirectoryService;
}

export function createServices(config: Config, db: Db, log: Logger, clock: Clock = systemClock): Services {
  setResourceLimit(config.limits.resourcesPerStack);
  const faults = new FaultRegistry(db, clock);
  const engine = new OperationEngine({ db, clock, log, faults, stackOperationMs: config.simulation.stackOperationMs });
  return {
    config,
    clock,
    log,
    db,
    faults,
    engine,
    directories: new ResourceDirectoryService(db, clock, engine, new Set(config.accounts.map((a) => a.accountId))),
    accounts: new Accounts(config),
    nonces: new NonceCache(MAX_REMEMBERED_NONCES, db),
  };
}
