// The cluster bus (store/cluster-bus.ts) on PostgreSQL's LISTEN/NOTIFY: NOTIFY inside the
// publishing transaction, LISTEN on one dedicated connection per replica, reconnected with
// backoff when it is lost.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../log.ts';
import type { BusHandler, ClusterBus } from './cluster-bus.ts';
import type { Db } from './db.ts';

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
    // Lost after it was listening: reconnect. Failing before that, connect() rejects instead.
    let listening = false;
    const onLost = (e?: Error) => {
      if (!listening) return;
      listening = false;
      if (this.client === client) this.client = undefined;
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.log.warn(`cluster bus connection lost${e ? `: ${e.message}` : ''}; reconnecting`);
      this.retry(FIRST_RETRY_MS);
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (n) => this.dispatch(n.payload));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
    if (this.closed) {
      await client.end();
      return;
    }
    listening = true;
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
