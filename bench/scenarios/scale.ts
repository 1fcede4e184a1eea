// Scenarios 4 and 5, scale and memory. One stack group grows to 1,000, 10,000 and 100,000
// instances through CreateStackInstances (zero stack time, limits raised to 500 accounts × 20
// regions a call): 50 × 20, then 450 × 20, then nine calls of 500 × 20. At each level: the
// latency of the first and the last page (PageSize 50) of ListStackInstances, and of
// ListStackGroupOperationResults for the last call's operation (1,000, 9,000 and 10,000
// results), and the server's RSS 1 s after (at 100,000 also at rest, after the server's idle
// collection). Paging must cost the same whatever the total.
import type { BenchContext } from '../lib/context.ts';
import { figure, type Figure } from '../lib/report.ts';
import { accounts, REGION, regionIds, ros, rpcClient, waitForStatus, type RpcClient } from '../lib/rpc.ts';
import { startLocalRos, type LocalRosProcess } from '../lib/server.ts';
import { median, sleep, timeCalls } from '../lib/stats.ts';

const SCALE = 'Scale';
const MEMORY = 'Memory';
const PAGE_SIZE = 50;
const CALLS_PER_PAGE = 200;
// Accounts per CreateStackInstances call (× 20 regions) that bring the group to each level.
const LEVELS = [
  { instances: 1_000, calls: [50] },
  { instances: 10_000, calls: [450] },
  { instances: 100_000, calls: Array<number>(9).fill(500) },
];
const LIMITS = { accountsPerCall: 500, regionsPerCall: 20, stackInstancesPerGroup: 200_000 };
const PAGE_GROWTH_LIMIT = 1.5;
const RSS_LIMIT_MB = 150;
// The default idle delay before the server's collection (5 s), its 1 s check interval and the
// collection itself on a loaded machine.
const AT_REST_MS = 8000;

interface PageTimes {
  instancesFirst: number;
  instancesLast: number;
  resultsFirst: number;
  resultsLast: number;
}

export async function scaleScenario(ctx: BenchContext): Promise<Figure[]> {
  const server = await startLocalRos({ config: { logLevel: 'warn', limits: LIMITS, simulation: { stackOperationMs: 0 } }, cpuProfDir: ctx.cpuProfDir });
  const client = rpcClient(server.url);
  try {
    const regions = await regionIds(client, 20);
    await sleep(1000);
    const idleMb = rssMb(server);
    const figures: Figure[] = [figure(MEMORY, 'RSS idle, after start', idleMb, 'MB')];
    const roundTrip = { name: 'node:http round trip', value: ctx.bareRoundTripMs };
    await ros(client).createGroup('scale');
    let first: PageTimes | undefined;
    let offset = 0;
    for (const level of LEVELS) {
      const n = level.instances.toLocaleString('en-US');
      ctx.log(`scale: growing to ${n} instances`);
      const t0 = performance.now();
      const cpu0 = server.cpuMs();
      let operationId = '';
      for (const accountCount of level.calls) {
        operationId = await ros(client).createInstances('scale', accounts(accountCount, offset), regions, { MaxConcurrentCount: 20, RegionConcurrencyType: 'PARALLEL' });
        const done = await waitForStatus(client, operationId, ['SUCCEEDED', 'FAILED']);
        if (done.status !== 'SUCCEEDED') throw new Error(`growing to ${n} instances: the operation ended ${done.status}`);
        offset += accountCount;
      }
      const added = level.calls.reduce((sum, a) => sum + a, 0) * regions.length;
      const lastCall = level.calls[level.calls.length - 1] * regions.length;
      figures.push(figure(SCALE, `growing to ${n}: create calls → SUCCEEDED, ${level.calls.length} call(s)`, (added * 1000) / (performance.now() - t0), 'instances/s'));
      // CPU is steadier than the rate on a shared machine (and shows what a heap setting costs).
      figures.push(figure(SCALE, `growing to ${n}: server CPU per instance`, ((server.cpuMs() - cpu0) * 1000) / added, 'µs'));

      const times = await pageTimes(client, operationId, level.instances, lastCall);
      first ??= times;
      const growth = (now: number, then: number) => ({
        text: `≤ ${PAGE_GROWTH_LIMIT}× the 1,000 level (${(now / then).toFixed(2)}×)`,
        met: now <= PAGE_GROWTH_LIMIT * then,
      });
      const at = `${n} instances`;
      figures.push(
        figure(SCALE, `${at}: ListStackInstances, first page`, times.instancesFirst, 'ms', { baseline: roundTrip, target: growth(times.instancesFirst, first.instancesFirst) }),
        figure(SCALE, `${at}: ListStackInstances, last page`, times.instancesLast, 'ms', { baseline: roundTrip, target: growth(times.instancesLast, first.instancesLast) }),
        figure(SCALE, `${at}: ListStackGroupOperationResults (${lastCall.toLocaleString('en-US')} results), first page`, times.resultsFirst, 'ms', {
          baseline: roundTrip,
          target: growth(times.resultsFirst, first.resultsFirst),
        }),
        figure(SCALE, `${at}: ListStackGroupOperationResults (${lastCall.toLocaleString('en-US')} results), last page`, times.resultsLast, 'ms', {
          baseline: roundTrip,
          target: growth(times.resultsLast, first.resultsLast),
        }),
      );
      if (level.instances >= 10_000) {
        await sleep(1000);
        const mb = rssMb(server);
        figures.push(figure(MEMORY, `RSS with ${n} instances stored`, mb, 'MB'));
        if (level.instances === 100_000) {
          // The server gives V8's slack back once it has been idle for releaseMemoryAfterIdleMs
          // (src/cli/idle-memory.ts): what an emulator left running between test runs holds.
          await sleep(AT_REST_MS);
          const atRest = rssMb(server);
          figures.push(figure(MEMORY, `RSS with ${n} instances stored, at rest (${AT_REST_MS / 1000} s idle)`, atRest, 'MB', { target: { text: `< ${RSS_LIMIT_MB} MB`, met: atRest < RSS_LIMIT_MB } }));
        }
      }
    }
    return figures;
  } finally {
    client.close();
    await server.stop();
    server.cleanup();
  }
}

const rssMb = (server: LocalRosProcess) => server.rssBytes() / 2 ** 20;

// Median latency of each page, read back to back; a page that is not full size where it must be
// is an error, so a broken query cannot pass for a fast one.
async function pageTimes(client: RpcClient, operationId: string, instances: number, results: number): Promise<PageTimes> {
  const page = async (action: string, params: Record<string, string | number>, total: number, pageNumber: number) => {
    const expected = Math.min(PAGE_SIZE, total - (pageNumber - 1) * PAGE_SIZE);
    const list = action === 'ListStackInstances' ? 'StackInstances' : 'StackGroupOperationResults';
    const call = async () => {
      const body = await client.call(action, { RegionId: REGION, ...params, PageNumber: pageNumber, PageSize: PAGE_SIZE });
      if (body[list].length !== expected || body.TotalCount !== total) {
        throw new Error(`${action} page ${pageNumber}: ${body[list].length} rows of ${body.TotalCount}, expected ${expected} of ${total}`);
      }
    };
    return median(await timeCalls(call, CALLS_PER_PAGE));
  };
  const lastPage = (total: number) => Math.ceil(total / PAGE_SIZE);
  return {
    instancesFirst: await page('ListStackInstances', { StackGroupName: 'scale' }, instances, 1),
    instancesLast: await page('ListStackInstances', { StackGroupName: 'scale' }, instances, lastPage(instances)),
    resultsFirst: await page('ListStackGroupOperationResults', { OperationId: operationId }, results, 1),
    resultsLast: await page('ListStackGroupOperationResults', { OperationId: operationId }, results, lastPage(results)),
  };
}
