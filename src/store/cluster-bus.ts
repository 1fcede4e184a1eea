// The cluster bus: small messages between the replicas that share one PostgreSQL database
// (docs/scale-out.md), on LISTEN/NOTIFY. A message is published inside the write transaction
// whose change it announces, so PostgreSQL sends it when that transaction commits (never after a
// rollback), after the change is visible to every reader. Each replica listens on one dedicated
// connection, reconnected when it is lost.
//
// A message reaches the OTHER replicas only: the publishing replica acts on its own change
// directly, as a single process does. Messages are hints, not a log: one sent while a replica's
// connection was down is lost, so subscribers resynchronise from the database in `onReconnect`.
// A single SQLite process has no bus (Services.bus is undefined).
//
// The PostgreSQL implementation is store/pg-notify.ts, loaded only with a PostgreSQL database.
import type { Db } from './db.ts';

export type BusHandler = (message: string) => void;

export interface ClusterBus {
  // This process, as the bus tells replicas apart.
  readonly replicaId: string;
  // Inside a write transaction: tells the other replicas `topic`, with a short message (well
  // under 7,000 bytes), once the transaction commits.
  publish(tx: Db, topic: string, message?: string): Promise<void>;
  // The messages of `topic` from other replicas. A handler must not throw (it is logged).
  subscribe(topic: string, handler: BusHandler): void;
  // After the listening connection came back: messages sent meanwhile were missed.
  onReconnect(handler: () => void): void;
  close(): Promise<void>;
}

// The topics in use. `faults`: the faults changed (engine/fault-registry.ts). `reset`: the
// control plane's reset emptied the database. `signal`: a wait condition handle of the stack
// whose id is the message was signalled.
export const FAULTS_TOPIC = 'faults';
export const RESET_TOPIC = 'reset';
export const SIGNAL_TOPIC = 'signal';
