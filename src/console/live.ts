// Live operation progress for the server-sent events endpoint. The engine has no change feed,
// so while at least one page watches an operation, one shared poller reads it through the
// handlers every POLL_MS and pushes a snapshot to every watcher when something changed. The
// results carry no timestamps; the poller records when it first saw each target in each status,
// and those observation times (never invented ones) are what the timeline shows.
import { rosTime, type Clock } from '../engine/clock.ts';
import { SurfaceError } from '../control/surface.ts';
import { TERMINAL_OPERATION_STATUSES, type OperationKey, type OperationSnapshot } from './operation-view.ts';

const POLL_MS = 200;
// Observations of operations nobody watches any more, so that a reload still shows them.
const HISTORY = 100;

export interface Observations {
  // "account/region" → status → when the console first saw the target in that status.
  targets: Record<string, Record<string, string>>;
  // Operation status → when first seen (QUEUED/RUNNING/terminal times come from the API).
  operation: Record<string, string>;
}

export type LivePayload = OperationSnapshot & { seen: Observations };

export interface Watcher {
  snapshot(payload: LivePayload): void;
  // The stream is over: the operation finished, or it cannot be read (code and message).
  end(problem?: { code: string; message: string }): void;
}

type Loader = (key: OperationKey) => Promise<OperationSnapshot>;
const idOf = (key: OperationKey): string => `${key.accountId}\n${key.regionId}\n${key.operationId}`;

class Watch {
  readonly watchers = new Set<Watcher>();
  last?: LivePayload;
  private lastJson = '';
  private polling = false;
  stopped = false;

  constructor(
    private readonly key: OperationKey,
    private readonly load: Loader,
    private readonly clock: Clock,
    readonly seen: Observations,
    private readonly onDone: () => void,
  ) {}

  // Polls until finished; the sleep goes through the injected clock, so tests step through it.
  async run(): Promise<void> {
    while (!this.stopped) {
      await this.poll();
      if (!this.stopped) await this.clock.sleep(POLL_MS);
    }
  }

  async poll(): Promise<void> {
    if (this.polling || this.stopped) return;
    this.polling = true;
    try {
      const snapshot = await this.load(this.key);
      if (this.stopped) return;
      const json = JSON.stringify(snapshot);
      if (json !== this.lastJson) {
        this.observe(snapshot);
        this.lastJson = json;
        this.last = { ...snapshot, seen: this.seen };
        for (const w of this.watchers) w.snapshot(this.last);
      }
      if (TERMINAL_OPERATION_STATUSES.has(snapshot.operation.Status)) this.finish();
    } catch (e) {
      const problem = e instanceof SurfaceError ? { code: e.code, message: e.message } : { code: 'InternalError', message: String(e) };
      if (!this.stopped) this.finish(problem);
    } finally {
      this.polling = false;
    }
  }

  // Only changes seen between two polls get a time; what was already so on the first poll
  // happened before anyone watched, and stays without one.
  private observe(snapshot: OperationSnapshot): void {
    const now = rosTime(this.clock.now());
    const previous = this.last && new Map(this.last.targets.map((t) => [`${t.accountId}/${t.regionId}`, t.status]));
    for (const t of snapshot.targets) {
      const key = `${t.accountId}/${t.regionId}`;
      const seen = (this.seen.targets[key] ??= {});
      if (previous && previous.get(key) !== t.status && !(t.status in seen)) seen[t.status] = now;
    }
    const status = snapshot.operation.Status;
    if (this.last && this.last.operation.Status !== status && !(status in this.seen.operation)) this.seen.operation[status] = now;
  }

  finish(problem?: { code: string; message: string }): void {
    this.stopped = true;
    for (const w of this.watchers) w.end(problem);
    this.watchers.clear();
    this.onDone();
  }
}

export class LiveOperations {
  private readonly watches = new Map<string, Watch>();
  private readonly history = new Map<string, Observations>();

  constructor(
    private readonly load: Loader,
    private readonly clock: Clock,
  ) {}

  // Starts watching; the returned function stops (call it when the client disconnects).
  subscribe(key: OperationKey, watcher: Watcher): () => void {
    const id = idOf(key);
    let watch = this.watches.get(id);
    if (!watch) {
      const seen = this.history.get(id) ?? { targets: {}, operation: {} };
      const created: Watch = new Watch(key, this.load, this.clock, seen, () => this.retire(id, created));
      watch = created;
      this.watches.set(id, watch);
      void watch.run();
    } else if (watch.last) {
      watcher.snapshot(watch.last);
    }
    const current = watch;
    current.watchers.add(watcher);
    return () => {
      current.watchers.delete(watcher);
      if (current.watchers.size === 0 && !current.stopped) current.finish();
    };
  }

  // Reads at once, e.g. right after a Stop, instead of at the next tick.
  poke(key: OperationKey): void {
    void this.watches.get(idOf(key))?.poll();
  }

  // For the known observations of an operation a plain (non-streaming) read returns.
  observations(key: OperationKey): Observations {
    const id = idOf(key);
    return this.watches.get(id)?.seen ?? this.history.get(id) ?? { targets: {}, operation: {} };
  }

  closeAll(): void {
    for (const watch of [...this.watches.values()]) watch.finish({ code: 'ServerClosing', message: 'localros is shutting down' });
  }

  private retire(id: string, watch: Watch): void {
    if (this.watches.get(id) === watch) this.watches.delete(id);
    this.history.delete(id);
    this.history.set(id, watch.seen);
    if (this.history.size > HISTORY) this.history.delete(this.history.keys().next().value!);
  }
}
