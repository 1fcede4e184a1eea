// Scenario 1, API throughput and latency: three actions, V3-signed as the SDK signs, at 1 and
// 32 connections, against the bare node:http baseline driven by the same generator in the same
// run. GetStackGroupOperation is the polling call every rollout test makes; ListStackInstances
// reads a full page of 50; StopStackGroupOperation on a finished operation is the error path
// (InvalidParameter), which still verifies the signature and reads the operation.
import { figure, type Figure } from '../lib/report.ts';
import type { BenchContext } from '../lib/context.ts';
import { measureLoad, type LoadResult } from '../lib/load.ts';
import { accounts, REGION, ros, rpcClient, waitForStatus } from '../lib/rpc.ts';
import { startLocalRos } from '../lib/server.ts';
import type { RpcParams } from '../lib/signer.ts';

const SCENARIO = 'API';
const SECONDS_PER_RUN = 4;
const CONNECTIONS = [1, 32];
const P99_TARGET_MS = 5;

interface ActionRun {
  action: string;
  params: RpcParams;
  status: number;
  code?: string;
}

export async function apiScenario(ctx: BenchContext): Promise<Figure[]> {
  const server = await startLocalRos({ config: { logLevel: 'warn', simulation: { stackOperationMs: 0 } }, cpuProfDir: ctx.cpuProfDir });
  try {
    const client = rpcClient(server.url);
    const api = ros(client);
    await api.createGroup('bench');
    const operationId = await api.createInstances('bench', accounts(50), [REGION], { MaxConcurrentCount: 20 });
    await waitForStatus(client, operationId, ['SUCCEEDED']);
    client.close();

    const runs: ActionRun[] = [
      { action: 'GetStackGroupOperation', params: { RegionId: REGION, OperationId: operationId }, status: 200 },
      { action: 'ListStackInstances', params: { RegionId: REGION, StackGroupName: 'bench', PageNumber: 1, PageSize: 50 }, status: 200 },
      { action: 'StopStackGroupOperation', params: { RegionId: REGION, OperationId: operationId }, status: 400, code: 'InvalidParameter' },
    ];
    const figures: Figure[] = [];
    let unexpected = 0;
    for (const connections of CONNECTIONS) {
      // The baseline gets the same signed requests; it ignores them and answers its fixed body.
      ctx.log(`api: bare node:http, ${connections} connection(s)`);
      const bare = await measureLoad({ url: ctx.bare.url, host: ctx.bare.host, ...runs[0], connections, serverCpuMs: ctx.bare.cpuMs }, SECONDS_PER_RUN);
      for (const run of runs) {
        ctx.log(`api: ${run.action}, ${connections} connection(s)`);
        const result = await measureLoad({ url: server.url, host: server.host, action: run.action, params: run.params, connections, serverCpuMs: server.cpuMs }, SECONDS_PER_RUN);
        unexpected += unexpectedAnswers(result, run);
        figures.push(...runFigures(run.action, connections, result, bare));
      }
    }
    figures.push(figure(SCENARIO, 'answers other than the expected status and Code, all runs', unexpected, 'count', { target: { text: '0', met: unexpected === 0 } }));
    return figures;
  } finally {
    await server.stop();
    server.cleanup();
  }
}

// Answers that are not the intended one: another status, another error Code (a nonce or
// signature failure would show here), or a connection error.
function unexpectedAnswers(result: LoadResult, run: ActionRun): number {
  const intended = run.code ? (result.errorCodes[run.code] ?? 0) : (result.statuses[run.status] ?? 0);
  return result.requests - intended + result.errors;
}

function runFigures(action: string, connections: number, r: LoadResult, bare: LoadResult): Figure[] {
  const name = `${action}, ${connections} conn.`;
  const base = (value: number) => ({ name: 'bare node:http', value });
  const isGet = action === 'GetStackGroupOperation';
  return [
    figure(SCENARIO, `${name}: requests/s`, r.rps, 'req/s', {
      baseline: base(bare.rps),
      ...(isGet ? { target: { text: '≥ 0.5× baseline', met: r.rps >= 0.5 * bare.rps } } : {}),
    }),
    figure(SCENARIO, `${name}: p50 latency`, r.p50Ms, 'ms', { baseline: base(bare.p50Ms) }),
    figure(SCENARIO, `${name}: p99 latency`, r.p99Ms, 'ms', {
      baseline: base(bare.p99Ms),
      ...(connections === 32 ? { target: { text: `< ${P99_TARGET_MS} ms`, met: r.p99Ms < P99_TARGET_MS } } : {}),
    }),
    figure(SCENARIO, `${name}: server CPU per request`, r.serverCpuUs ?? NaN, 'µs', { baseline: base(bare.serverCpuUs ?? NaN) }),
  ];
}
