// The control plane, as a test uses it.
import type { FaultSpec } from '../../src/domain/fault.ts';
import type { ReplicaView } from '../../src/engine/engine.ts';

export interface FaultView {
  id: string;
  timesRemaining: number | null;
  held: { operationId: string; accountId: string; regionId: string; stackId?: string }[];
}

// GET /_localros/notifications: the NotificationURL outbox, newest first.
export interface NotificationView {
  id: number;
  stackId: string;
  url: string;
  status: string;
  attempts: number;
  lastError?: string;
  nextAttemptTime?: string;
  createTime: string;
  deliveredTime?: string;
  body: Record<string, unknown>;
}

export function control(url: string, token?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  return {
    async addFault(spec: FaultSpec): Promise<string> {
      const res = await fetch(`${url}/_localros/faults`, { method: 'POST', headers, body: JSON.stringify(spec) });
      const body = (await res.json()) as { faultId: string };
      if (res.status !== 201) throw new Error(`addFault failed: ${res.status} ${JSON.stringify(body)}`);
      return body.faultId;
    },
    async faults(): Promise<FaultView[]> {
      const res = await fetch(`${url}/_localros/faults`, { headers });
      return ((await res.json()) as { faults: FaultView[] }).faults;
    },
    async notifications(): Promise<NotificationView[]> {
      const res = await fetch(`${url}/_localros/notifications`, { headers });
      return ((await res.json()) as { notifications: NotificationView[] }).notifications;
    },
    async removeFault(id: string): Promise<number> {
      return (await fetch(`${url}/_localros/faults/${id}`, { method: 'DELETE', headers })).status;
    },
    // GET /_localros/replica: this replica's id, the targets it ran, the live replicas it sees.
    async replica(): Promise<ReplicaView> {
      return (await fetch(`${url}/_localros/replica`, { headers })).json() as Promise<ReplicaView>;
    },
    async reset(): Promise<void> {
      await fetch(`${url}/_localros/reset`, { method: 'POST', headers });
    },
    // Waits until a hold holds `count` targets: the deterministic way to catch an operation mid-way.
    async waitHeld(id: string, count: number, timeoutMs = 10_000): Promise<FaultView['held']> {
      return waitFor(async () => (await this.faults()).find((f) => f.id === id)?.held ?? [], (h) => h.length >= count, timeoutMs);
    },
  };
}

// Polls until the predicate holds; a bounded wait on an observable condition, not a sleep.
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
