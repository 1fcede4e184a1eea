// Scenario 3, StopStackGroupOperation: a rollout is caught with k targets held in flight (a
// control-plane hold, `times: k`), every window full, so nothing else can legitimately start.
// Stop, then release the hold, and poll GetStackGroupOperation back to back until STOPPED.
// Violation check: results are read before the Stop, after its answer, and at the end. Only
// the k targets RUNNING before the Stop may ever leave PENDING/CANCELLED. Any other target
// that runs afterwards is not held (the hold is used up), so it finishes SUCCEEDED and is
// counted: a Stop that let a target start would show here.
// The size cases (issue 17) repeat it with 20 targets in flight (20 regions, a window of 1) in
// operations of 1,000, 10,000 and 100,000 targets: the Stop call and release → STOPPED must be
// flat, as a stop only marks the operation and its unstarted targets are written CANCELLED in
// the background (src/engine/stop-backlog.ts).
import type { BenchContext } from '../lib/context.ts';
import { control } from '../lib/control.ts';
import { figure, type Figure } from '../lib/report.ts';
import { accounts, regionIds, ros, rpcClient, waitForStatus, type RpcClient } from '../lib/rpc.ts';
import { startLocalRos } from '../lib/server.ts';
import { median, timeCalls } from '../lib/stats.ts';

const SCENARIO = 'Stop';
const REPEATS = 3;
const STOPPED_WITHIN_MS = 10;
const STOP_CALL_WITHIN_MS = 3;
// k = regions × window targets in flight; accounts per region leaves most targets PENDING.
const CASES = [
  { regions: 1, window: 1, accounts: 20 },
  { regions: 1, window: 20, accounts: 50 },
  { regions: 20, window: 10, accounts: 50 },
];
// Operation sizes, 20 regions × accounts, a window of 1: 20 in flight.
const SIZES = [
  { accounts: 50, repeats: 3 },
  { accounts: 500, repeats: 3 },
  { accounts: 5_000, repeats: 2 },
];
// 100,000 targets in one call, and every group of the run on one server.
const LIMITS = { accountsPerCall: 5_000, stackInstancesPerGroup: 100_000 };

interface StopRun {
  stopCallMs: number;
  releaseToStoppedMs: number;
  startedAfterStop: number;
}

export async function stopScenario(ctx: BenchContext): Promise<Figure[]> {
  const server = await startLocalRos({ config: { logLevel: 'warn', limits: LIMITS, simulation: { stackOperationMs: 0 } }, cpuProfDir: ctx.cpuProfDir });
  const client = rpcClient(server.url);
  try {
    const regions = await regionIds(client, 20);
    // The baseline: one GetStackGroupOperation round trip on this server, the poll's own period.
    await ros(client).createGroup('stop-baseline');
    const probe = await ros(client).createInstances('stop-baseline', accounts(1), regions.slice(0, 1), {});
    await waitForStatus(client, probe, ['SUCCEEDED']);
    const pollMs = { name: 'GetStackGroupOperation round trip', value: median(await timeCalls(() => ros(client).status(probe), 300)) };

    const figures: Figure[] = [];
    let group = 0;
    for (const c of CASES) {
      const k = c.regions * c.window;
      ctx.log(`stop: ${k} target(s) in flight`);
      const runs: StopRun[] = [];
      for (let i = 0; i < REPEATS; i++) runs.push(await stopRun(client, server.url, `stop-${group++}`, regions.slice(0, c.regions), c.accounts, c.window));
      const name = `${k} in flight of ${(c.regions * c.accounts).toLocaleString('en-US')}`;
      const worst = Math.max(...runs.map((r) => r.releaseToStoppedMs));
      const started = runs.reduce((sum, r) => sum + r.startedAfterStop, 0);
      figures.push(
        figure(SCENARIO, `${name}: release → STOPPED (worst of ${REPEATS})`, worst, 'ms', {
          baseline: pollMs,
          target: { text: `≤ ${STOPPED_WITHIN_MS} ms`, met: worst <= STOPPED_WITHIN_MS },
        }),
        figure(SCENARIO, `${name}: targets started after the Stop answer (all runs)`, started, 'count', { target: { text: '0', met: started === 0 } }),
        figure(SCENARIO, `${name}: the Stop call (median)`, median(runs.map((r) => r.stopCallMs)), 'ms', { baseline: pollMs }),
      );
    }
    // Flat: each size against the 1,000-target figures of the same run.
    let first: { stopCallMs: number; releaseToStoppedMs: number } | undefined;
    for (const size of SIZES) {
      const targets = 20 * size.accounts;
      const name = `${targets.toLocaleString('en-US')} targets, 20 in flight`;
      ctx.log(`stop: ${name}`);
      const runs: StopRun[] = [];
      for (let i = 0; i < size.repeats; i++) runs.push(await stopRun(client, server.url, `stop-${group++}`, regions, size.accounts, 1));
      const stopCallMs = median(runs.map((r) => r.stopCallMs));
      const releaseToStoppedMs = median(runs.map((r) => r.releaseToStoppedMs));
      first ??= { stopCallMs, releaseToStoppedMs };
      const started = runs.reduce((sum, r) => sum + r.startedAfterStop, 0);
      const flat = (value: number, at1k: number) => `${(value / at1k).toFixed(2)}× the 1,000 figure`;
      figures.push(
        figure(SCENARIO, `${name}: the Stop call (median of ${size.repeats})`, stopCallMs, 'ms', {
          baseline: pollMs,
          target: { text: `≤ ${STOP_CALL_WITHIN_MS} ms (${flat(stopCallMs, first.stopCallMs)})`, met: stopCallMs <= STOP_CALL_WITHIN_MS },
        }),
        figure(SCENARIO, `${name}: release → STOPPED (median of ${size.repeats})`, releaseToStoppedMs, 'ms', {
          baseline: pollMs,
          target: { text: `≤ ${STOPPED_WITHIN_MS} ms (${flat(releaseToStoppedMs, first.releaseToStoppedMs)})`, met: releaseToStoppedMs <= STOPPED_WITHIN_MS },
        }),
        figure(SCENARIO, `${name}: targets started after the Stop answer (all runs)`, started, 'count', { target: { text: '0', met: started === 0 } }),
      );
    }
    return figures;
  } finally {
    client.close();
    await server.stop();
    server.cleanup();
  }
}

async function stopRun(client: RpcClient, url: string, group: string, regionList: string[], accountCount: number, window: number): Promise<StopRun> {
  const api = ros(client);
  const faults = control(url);
  const k = regionList.length * window;
  await api.createGroup(group);
  const hold = await faults.addHold(group, k);
  const operationId = await api.createInstances(group, accounts(accountCount), regionList, { MaxConcurrentCount: window, RegionConcurrencyType: 'PARALLEL' });
  await faults.waitHeld(hold, k);

  const before = await api.results(operationId);
  const inFlight = new Set(before.filter((r) => r.Status === 'RUNNING').map(key));
  if (inFlight.size !== k || before.some((r) => r.Status !== 'RUNNING' && r.Status !== 'PENDING')) {
    throw new Error(`expected ${k} RUNNING and the rest PENDING before the Stop, got ${summary(before)}`);
  }
  const t0 = performance.now();
  await api.stop(operationId);
  const stopCallMs = performance.now() - t0;
  const afterStop = await api.results(operationId);

  await faults.release(hold);
  const released = performance.now();
  const stopped = await waitForStatus(client, operationId, ['STOPPED', 'SUCCEEDED', 'FAILED'], { pause: () => 0 });
  if (stopped.status !== 'STOPPED') throw new Error(`operation ${operationId} ended ${stopped.status}, not STOPPED`);
  const final = await api.results(operationId);

  // Started after the Stop: any target outside the in-flight set that is not CANCELLED, right
  // after the Stop's answer or at the end.
  const outside = (rows: typeof before) => rows.filter((r) => !inFlight.has(key(r)) && r.Status !== 'CANCELLED').length;
  return {
    stopCallMs,
    releaseToStoppedMs: stopped.at - released,
    startedAfterStop: Math.max(outside(afterStop), outside(final)),
  };
}

const key = (r: { AccountId: string; RegionId: string }) => `${r.AccountId}/${r.RegionId}`;

function summary(rows: { Status: string }[]): string {
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.Status] = (counts[r.Status] ?? 0) + 1;
  return JSON.stringify(counts);
}
