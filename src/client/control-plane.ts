// Typed helpers over the control plane's /_localros/faults routes. Shared by the testing
// library (`localros.faults`) and the CLI's `faults` commands.
import type { FaultEffect, FaultMatch, FaultSpec, HeldTarget, StoredFault } from '../domain/fault.ts';

export type { FaultEffect, FaultMatch, FaultSpec, HeldTarget };

/** A fault as `GET /_localros/faults` lists it. */
export interface Fault extends StoredFault {
  held: HeldTarget[];
}

export interface FaultOptions {
  /** How many target actions the fault applies to; unlimited when unset. */
  times?: number;
}

export interface WaitOptions {
  /** How long to wait before failing; 10 s by default. */
  timeoutMs?: number;
}

/** A fault that was added; `remove()` deletes it (a no-op when it is already gone). */
export interface FaultHandle {
  readonly id: string;
  remove(): Promise<void>;
}

/** A `hold` fault: the targets it catches stay RUNNING until `release()`. */
export interface HoldHandle extends FaultHandle {
  /** Resolves once the hold holds at least `count` targets; the deterministic way to catch an operation mid-way. */
  waitHeld(count: number, opts?: WaitOptions): Promise<HeldTarget[]>;
  /** The targets held right now. */
  held(): Promise<HeldTarget[]>;
  /** Deletes the fault, which lets every held target go on. */
  release(): Promise<void>;
}

export interface Faults {
  /** Makes matching target actions fail with `message` (their StatusReason). */
  fail(match: FaultMatch, message: string, opts?: FaultOptions): Promise<FaultHandle>;
  /** Keeps matching target actions RUNNING until the handle is released. */
  hold(match: FaultMatch, opts?: FaultOptions): Promise<HoldHandle>;
  /** Adds `ms` to the duration of matching target actions. */
  delay(match: FaultMatch, ms: number, opts?: FaultOptions): Promise<FaultHandle>;
  /** Adds any fault; answers its id. */
  add(spec: FaultSpec): Promise<string>;
  list(): Promise<Fault[]>;
  /** Deletes one fault; rejects with a ControlPlaneError (code FaultNotFound) if there is none. */
  remove(id: string): Promise<void>;
  /** Deletes every fault, releasing whatever they hold. */
  clear(): Promise<void>;
}

/** An error answer of the control plane (`{ error: { code, message } }`). */
export class ControlPlaneError extends Error {
  override readonly name = 'ControlPlaneError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export interface ControlPlaneOptions {
  /** Base URL of the server, `http://host:port`. */
  url: string;
  /** Bearer token, when the server has `controlToken` set. */
  controlToken?: string;
}

const POLL_MS = 10;

/** A minimal client for the control plane; `reset()` empties all of the server's state. */
export function controlPlane(opts: ControlPlaneOptions) {
  const headers: Record<string, string> = opts.controlToken ? { authorization: `Bearer ${opts.controlToken}` } : {};

  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    // Changes are JSON even without a body: the control plane refuses any other type (CSRF).
    const res = await fetch(`${opts.url}/_localros${path}`, {
      method,
      headers: method === 'GET' ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.ok) return text ? JSON.parse(text) : undefined;
    let error: { code?: string; message?: string } = {};
    try {
      error = (JSON.parse(text) as { error?: typeof error }).error ?? {};
    } catch {
      // Not the control plane answering (a proxy, another server): report the status alone.
    }
    throw new ControlPlaneError(res.status, error.code ?? `HTTP${res.status}`, error.message ?? (text.slice(0, 200) || res.statusText));
  }

  const reset = async (): Promise<void> => {
    await call('POST', '/reset');
  };
  return { call, reset };
}

export function createFaults(opts: ControlPlaneOptions): Faults {
  const { call } = controlPlane(opts);

  const list = async () => ((await call('GET', '/faults')) as { faults: Fault[] }).faults;
  const add = async (spec: FaultSpec) => ((await call('POST', '/faults', spec)) as { faultId: string }).faultId;
  const remove = async (id: string) => {
    await call('DELETE', `/faults/${encodeURIComponent(id)}`);
  };
  const removeIfPresent = async (id: string) => {
    try {
      await remove(id);
    } catch (e) {
      // A reset() or a clear() may have deleted it already; removing is idempotent for handles.
      if (!(e instanceof ControlPlaneError && e.status === 404)) throw e;
    }
  };
  const handle = (id: string): FaultHandle => ({ id, remove: () => removeIfPresent(id) });
  const heldBy = async (id: string) => (await list()).find((f) => f.id === id)?.held ?? [];

  return {
    add,
    list,
    remove,
    async fail(match, message, o = {}) {
      return handle(await add({ match, effect: 'fail', message, ...o }));
    },
    async delay(match, ms, o = {}) {
      return handle(await add({ match, effect: 'delay', delayMs: ms, ...o }));
    },
    async hold(match, o = {}) {
      const id = await add({ match, effect: 'hold', ...o });
      return {
        ...handle(id),
        held: () => heldBy(id),
        release: () => removeIfPresent(id),
        // Polls an observable condition (not a sleep), so a test waits only as long as needed.
        async waitHeld(count, w = {}) {
          const timeoutMs = w.timeoutMs ?? 10_000;
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            const held = await heldBy(id);
            if (held.length >= count) return held;
            if (Date.now() > deadline) throw new Error(`hold ${id} held ${held.length} target(s), not ${count}, within ${timeoutMs} ms`);
            await new Promise((r) => setTimeout(r, POLL_MS));
          }
        },
      };
    },
    async clear() {
      for (const f of await list()) await removeIfPresent(f.id);
    },
  };
}
