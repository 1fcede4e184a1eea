// A lean signed RPC client for the scenarios' setup calls and tight polling. The SDK would do
// (it signs the same way), but its per-call overhead would blur millisecond figures; this one
// is one keep-alive socket and the same V3 signature.
import { Agent, request } from 'node:http';
import { signRpc, type RpcParams } from './signer.ts';
import { sleep } from './stats.ts';

export const REGION = 'cn-hangzhou';
export const TEMPLATE = JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Parameters: { Env: { Type: 'String', Default: 'dev' } } });

// The same template grown to about `kb` KB with a mapping no resource uses: a template of a
// realistic size with no more simulated work.
export function templateOfSize(kb: number): string {
  const rows: Record<string, { Value: string }> = {};
  for (let i = 0; i < kb; i++) rows[`Row${i}`] = { Value: 'x'.repeat(1000) };
  return JSON.stringify({ ...JSON.parse(TEMPLATE), Mappings: { Padding: rows } });
}

export interface RpcAnswer {
  status: number;
  body: Record<string, any>;
}

export interface RpcClient {
  // Resolves with any status; `call` throws on an error answer.
  send(action: string, params: RpcParams): Promise<RpcAnswer>;
  call(action: string, params: RpcParams): Promise<Record<string, any>>;
  close(): void;
}

export function rpcClient(baseUrl: string): RpcClient {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const send = (action: string, params: RpcParams): Promise<RpcAnswer> => {
    const signed = signRpc(url.host, action, params);
    return new Promise((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, agent, method: signed.method, path: signed.path, headers: signed.headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  };
  return {
    send,
    async call(action, params) {
      const answer = await send(action, params);
      if (answer.status !== 200) throw new Error(`${action} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      return answer.body;
    },
    close: () => agent.destroy(),
  };
}

// The calls the scenarios share, in the SDK's parameter shapes.
export function ros(client: RpcClient) {
  return {
    createGroup: (name: string, templateBody = TEMPLATE) => client.call('CreateStackGroup', { RegionId: REGION, StackGroupName: name, TemplateBody: templateBody }),
    async createInstances(group: string, accountIds: string[], regionIds: string[], preferences: Record<string, unknown>): Promise<string> {
      const body = await client.call('CreateStackInstances', {
        RegionId: REGION,
        StackGroupName: group,
        AccountIds: accountIds,
        RegionIds: regionIds,
        OperationPreferences: preferences,
      });
      return body.OperationId as string;
    },
    async status(operationId: string): Promise<string> {
      const body = await client.call('GetStackGroupOperation', { RegionId: REGION, OperationId: operationId });
      return body.StackGroupOperation.Status as string;
    },
    // Every result of an operation, page by page (50 a page, as the SDK tests read them).
    async results(operationId: string): Promise<{ AccountId: string; RegionId: string; Status: string }[]> {
      const out: { AccountId: string; RegionId: string; Status: string }[] = [];
      for (let page = 1; ; page++) {
        const body = await client.call('ListStackGroupOperationResults', { RegionId: REGION, OperationId: operationId, PageNumber: page, PageSize: 50 });
        out.push(...body.StackGroupOperationResults);
        if (out.length >= body.TotalCount || body.StackGroupOperationResults.length === 0) return out;
      }
    },
    stop: (operationId: string) => client.call('StopStackGroupOperation', { RegionId: REGION, OperationId: operationId }),
  };
}

// Polls the operation until it reaches one of `statuses`; returns when the first such answer
// arrived (performance.now()). Between polls it pauses `pause(elapsedMs)`: by default 2% of the
// time waited so far (at most 10 ms), so the answer is late by at most ~2% while the polling
// itself takes little of the server's CPU away from the operation it is timing.
export async function waitForStatus(
  client: RpcClient,
  operationId: string,
  statuses: string[],
  opts: { timeoutMs?: number; pause?: (elapsedMs: number) => number } = {},
): Promise<{ at: number; status: string; polls: number }> {
  const api = ros(client);
  const start = performance.now();
  const timeoutMs = opts.timeoutMs ?? 300_000;
  const pause = opts.pause ?? ((elapsed: number) => Math.min(10, elapsed * 0.02));
  for (let polls = 1; ; polls++) {
    const status = await api.status(operationId);
    const at = performance.now();
    if (statuses.includes(status)) return { at, status, polls };
    if (at - start > timeoutMs) throw new Error(`operation ${operationId} still ${status} after ${timeoutMs} ms`);
    const ms = pause(at - start);
    if (ms > 0) await sleep(ms);
  }
}

// Account IDs that look like real ones: 16 digits, distinct per `offset`.
export const accounts = (count: number, offset = 0): string[] =>
  Array.from({ length: count }, (_, i) => String(1_100_000_000_000_000 + offset + i));

// The first `count` regions the server lists, in its order.
export async function regionIds(client: RpcClient, count: number): Promise<string[]> {
  const body = await client.call('DescribeRegions', { AcceptLanguage: 'en-US' });
  const ids = (body.Regions as { RegionId: string }[]).map((r) => r.RegionId);
  if (ids.length < count) throw new Error(`the server lists ${ids.length} regions, the scenario needs ${count}`);
  return ids.slice(0, count);
}
