// Runs one target's stack action. The stack action is simulated (src/stacks/): it is planned
// from the database, its stack shows *_IN_PROGRESS, then it takes `simulation.stackOperationMs`
// (plus template and control-plane delays) on the clock, and the control plane's faults can
// hold, delay or fail it. The outcome is only computed here; its effects are written by the
// runner in the same transaction that records the result, so a crash never leaves half of a
// target applied; only a large action's resources are written ahead of it (write-ahead.ts), in
// a way a target run again after a crash writes over.
import type { Outcome, StackRun } from '../stacks/run/stack-run.ts';
import type { Clock } from './clock.ts';
import type { FaultRegistry, TargetAction } from './fault-registry.ts';

export interface ExecutorOptions {
  stackOperationMs: number;
  clock: Clock;
  faults: FaultRegistry;
  // src/stacks/run/stack-run.ts `openStackRun`, bound to the database.
  openStackRun(target: TargetAction): Promise<StackRun>;
  // Told when the target starts (1) and stops (-1) waiting on a hold or its simulated time: the
  // engine's turn waits for targets still computing, never for these.
  waiting(delta: 1 | -1): void;
}

async function waitingOn(opts: ExecutorOptions, wait: () => Promise<void>): Promise<void> {
  opts.waiting(1);
  try {
    await wait();
  } finally {
    opts.waiting(-1);
  }
}

export async function executeTarget(target: TargetAction, timeoutMs: number, opts: ExecutorOptions): Promise<Outcome> {
  const hits = await opts.faults.claim(target);
  const run = await opts.openStackRun(target);
  const holds = hits.filter((f) => f.effect === 'hold');
  // A held target is a stack action in progress: its stack shows *_IN_PROGRESS meanwhile.
  if (holds.length) await run.begin(opts.clock.now());
  for (const hold of holds) {
    await waitingOn(opts, () => opts.faults.hold(hold.id, { operationId: target.operationId, accountId: target.accountId, regionId: target.regionId }));
  }
  const failure = hits.find((f) => f.effect === 'fail');
  const startMs = opts.clock.now();
  const { durationMs, outcome } = await run.finish({
    startMs,
    stackOperationMs: opts.stackOperationMs,
    faultDelayMs: hits.reduce((sum, f) => sum + (f.effect === 'delay' ? (f.delayMs ?? 0) : 0), 0),
    timeoutMs,
    ...(failure ? { failMessage: failure.message ?? `Injected failure (${failure.id})` } : {}),
  });
  // An action that takes no time has no moment in progress to show (and no timer).
  if (durationMs > 0) {
    if (!holds.length) await run.begin(startMs);
    await waitingOn(opts, () => opts.clock.sleep(durationMs));
  }
  return run.settle(outcome);
}
