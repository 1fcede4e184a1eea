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
// Topics in use: `faults` (the faults changed), `reset` (the control plane's reset), `signal`
// (a wait condition handle of the stack named by the message was signalled).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../log.ts';
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

// One channel for every topic: a replica listens with one statement, and the payload names the
// topic and the sender.
const CHANNEL = 'localros_bus';
const FIRST_RETRY_MS = 200;
const MAX_RETRY_MS = 5_000;

interface Envelope {
  r: string;
  t: string;
  m: string;
}

class PgClusterBus implements ClusterBus {
  readonly replicaId = randomUUID();
  private readonly handlers = new Map<string, BusHandler[]>();
  private readonly reconnected: (() => void)[] = [];
  private client: pg.Client | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly log: Logger,
  ) {}

  async publish(tx: Db, topic: string, message = ''): Promise<void> {
    const envelope: Envelope = { r: this.replicaId, t: topic, m: message };
    await tx.run(`SELECT pg_notify(@channel, @payload)`, { channel: CHANNEL, payload: JSON.stringify(envelope) });
  }

  subscribe(topic: string, handler: BusHandler): void {
    const list = this.handlers.get(topic) ?? [];
    list.push(handler);
    this.handlers.set(topic, list);
  }

  onReconnect(handler: () => void): void {
    this.reconnected.push(handler);
  }

  // The first connection must succeed (the server does not start without its bus); later ones
  // are retried until they do.
  async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    let lost = false;
    const onLost = (e?: Error) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.log.warn(`cluster bus connection lost${e ? `: ${e.message}` : ''}; reconnecting`);
      this.retry(FIRST_RETRY_MS);
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (n) => this.dispatch(n.payload));
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
  }

  private retry(delayMs: number): void {
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect().then(
        () => {
          if (this.closed) return;
          this.log.info('cluster bus reconnected');
          for (const fn of this.reconnected) this.safely(fn);
        },
        () => {
          if (!this.closed) this.retry(Math.min(MAX_RETRY_MS, delayMs * 2));
        },
      );
    }, delayMs);
    this.retryTimer.unref();
  }

  private dispatch(payload: string | undefined): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload ?? '') as Envelope;
    } catch {
      return;
    }
    if (envelope.r === this.replicaId) return;
    for (const fn of this.handlers.get(envelope.t) ?? []) this.safely(() => fn(envelope.m));
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log.error('cluster bus handler failed', e);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}

export async function openClusterBus(url: string, log: Logger): Promise<ClusterBus> {
  const bus = new PgClusterBus(url, log);
  await bus.connect();
  return bus;
}
