// Runs one target's stack action. Until real stacks land the action is simulated: it takes
// `simulation.stackOperationMs`, and the control plane's faults can hold, delay or fail it.
// The outcome is only computed here; its effects are written by the runner in the same
// transaction that records the result, so a crash never leaves half of a target applied.
import type { Clock } from './clock.ts';
import type { FaultRegistry, TargetAction } from './faults.ts';

export type Outcome = { ok: true } | { ok: false; reason: string };

export interface ExecutorOptions {
  stackOperationMs: number;
  clock: Clock;
  faults: FaultRegistry;
}

export async function executeTarget(target: TargetAction, timeoutMs: number, opts: ExecutorOptions): Promise<Outcome> {
  const hits = await opts.faults.claim(target);
  for (const hold of hits.filter((f) => f.effect === 'hold')) {
    await opts.faults.hold(hold.id, { operationId: target.operationId, accountId: target.accountId, regionId: target.regionId });
  }
  const delay = opts.stackOperationMs + hits.reduce((sum, f) => sum + (f.effect === 'delay' ? (f.delayMs ?? 0) : 0), 0);
  if (delay > timeoutMs) {
    await opts.clock.sleep(timeoutMs);
    return { ok: false, reason: `Stack ${target.action} timed out after ${Math.round(timeoutMs / 60000)} minute(s)` };
  }
  if (delay > 0) await opts.clock.sleep(delay);
  const failure = hits.find((f) => f.effect === 'fail');
  if (failure) return { ok: false, reason: failure.message ?? `Injected failure (${failure.id})` };
  return { ok: true };
}
