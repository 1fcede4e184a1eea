// Scenario 6, recovery: a 10,000-target rollout (500 × 20, SEQUENTIAL, MaxConcurrentCount 20)
// is caught with 20 targets held RUNNING and 9,980 PENDING, and the server is killed with
// SIGKILL. The restart on the same data directory is timed from spawn to the "listening" line
// (the engine rebuilds its runners and relaunches the interrupted targets before it listens),
// to the first result that finishes, and to the operation's SUCCEEDED. The hold is used up
// (`times: 20`), so nothing holds the targets after the restart. Baseline: the same spawn →
// listening on an empty data directory.
import type { BenchContext } from '../lib/context.ts';
import { control } from '../lib/control.ts';
import { figure, type Figure } from '../lib/report.ts';
import { accounts, REGION, regionIds, ros, rpcClient, waitForStatus } from '../lib/rpc.ts';
import { startLocalRos, tempDir } from '../lib/server.ts';
import { median } from '../lib/stats.ts';

const SCENARIO = 'Recovery';
const CONFIG = {
  logLevel: 'warn',
  limits: { accountsPerCall: 500, regionsPerCall: 20, stackInstancesPerGroup: 200_000 },
  simulation: { stackOperationMs: 0 },
};
const WINDOW = 20;

export async function recoveryScenario(ctx: BenchContext): Promise<Figure[]> {
  ctx.log('recovery: empty starts');
  const empty: number[] = [];
  for (let i = 0; i < 3; i++) {
    const server = await startLocalRos({ config: CONFIG });
    empty.push(server.readyMs);
    await server.stop();
    server.cleanup();
  }
  const baseline = { name: 'start on an empty data directory', value: median(empty) };

  ctx.log('recovery: 10,000 targets pending, kill -9, restart');
  const dataDir = tempDir('recovery');
  const first = await startLocalRos({ config: CONFIG, dataDir });
  let operationId: string;
  try {
    const client = rpcClient(first.url);
    const regions = await regionIds(client, 20);
    await ros(client).createGroup('recovery');
    const hold = await control(first.url).addHold('recovery', WINDOW);
    operationId = await ros(client).createInstances('recovery', accounts(500), regions, { MaxConcurrentCount: WINDOW, RegionConcurrencyType: 'SEQUENTIAL' });
    await control(first.url).waitHeld(hold, WINDOW);
    client.close();
  } finally {
    await first.kill9();
  }

  const restarted = await startLocalRos({ config: CONFIG, dataDir, cpuProfDir: ctx.cpuProfDir });
  const spawnedAt = performance.now() - restarted.readyMs;
  try {
    const client = rpcClient(restarted.url);
    // The first page holds the 20 targets that were RUNNING: the first to finish after a resume.
    let firstDoneAt = 0;
    for (;;) {
      const page = await client.call('ListStackGroupOperationResults', { RegionId: REGION, OperationId: operationId, PageNumber: 1, PageSize: 50 });
      firstDoneAt = performance.now();
      if (page.StackGroupOperationResults.some((r: { Status: string }) => r.Status === 'SUCCEEDED')) break;
    }
    const done = await waitForStatus(client, operationId, ['SUCCEEDED', 'FAILED', 'STOPPED']);
    client.close();
    if (done.status !== 'SUCCEEDED') throw new Error(`the resumed operation ended ${done.status}`);
    return [
      figure(SCENARIO, 'restart with 10,000 targets pending: spawn → listening (runners rebuilt)', restarted.readyMs, 'ms', { baseline }),
      figure(SCENARIO, 'restart: spawn → first target SUCCEEDED', firstDoneAt - spawnedAt, 'ms', { baseline }),
      figure(SCENARIO, 'restart: spawn → operation SUCCEEDED (all 10,000)', done.at - spawnedAt, 'ms', { baseline }),
    ];
  } finally {
    await restarted.stop();
    restarted.cleanup();
  }
}
