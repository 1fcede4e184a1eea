// Drives a server with autocannon. Every request is distinct and V3-signed: a nonce is
// accepted once, so a replayed request would measure the SignatureNonceUsed path instead.
// All requests are signed and serialised before the run (signing during it would steal CPU
// from the server on a 2-core machine): each connection gets its own list, and a run is a fixed
// number of requests (`amount`), which autocannon splits evenly over the connections, so no
// list ever wraps round to a used nonce. 4xx bodies are checked for the expected error Code.
// autocannon's own histogram has 1 ms resolution, too coarse for sub-millisecond answers, so
// latencies and the rate are taken here from its 'response' events.
import autocannon from 'autocannon';
import { rpcSigner, type RpcParams } from './signer.ts';
import { percentile } from './stats.ts';

export interface LoadSpec {
  url: string;
  // The Host header the server sees (host:port).
  host: string;
  action: string;
  params: RpcParams;
  connections: number;
  amount: number;
  // Reads the server process's CPU time in ms (see server.ts), to report CPU per request.
  serverCpuMs?: () => number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  // Status code → count; the caller checks it is the one expected.
  statuses: Record<number, number>;
  // Error Codes seen in the bodies of 4xx/5xx answers, to tell the intended error path from a
  // signature or nonce failure.
  errorCodes: Record<string, number>;
  errors: number;
  // The server's CPU time per answered request (user + system), when the spec can read it.
  serverCpuUs?: number;
}

type ConnectionClient = { setRequests(requests: unknown[]): void };

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const sign = rpcSigner(spec.host, spec.action, spec.params);
  const errorCodes: Record<string, number> = {};
  const onResponse = (status: number, body: string) => {
    if (status < 400) return;
    const code = /"Code":"([^"]+)"/.exec(body)?.[1] ?? 'unparsed';
    errorCodes[code] = (errorCodes[code] ?? 0) + 1;
  };
  const perConnection = Math.ceil(spec.amount / spec.connections);
  const lists = Array.from({ length: spec.connections }, () => Array.from({ length: perConnection }, () => ({ ...sign(), onResponse })));
  let nextList = 0;
  const cpuBefore = spec.serverCpuMs?.();
  const latencies: number[] = [];
  let first = 0;
  let last = 0;
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    amount: spec.amount,
    setupClient: (client: ConnectionClient) => client.setRequests(lists[nextList++]),
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    last = performance.now();
    if (latencies.length === 0) first = last - responseTime;
    latencies.push(responseTime);
  });
  const result = await instance;
  const cpuMs = cpuBefore === undefined ? undefined : spec.serverCpuMs!() - cpuBefore;
  latencies.sort((a, b) => a - b);
  const statuses: Record<number, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statuses[Number(code)] = count;
  return {
    requests: latencies.length,
    rps: (latencies.length * 1000) / (last - first),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    statuses,
    errorCodes,
    errors: result.errors,
    ...(cpuMs === undefined ? {} : { serverCpuUs: (cpuMs * 1000) / latencies.length }),
  };
}

// A short run to warm the server's JIT and measure the rate, then a run sized to last about
// `seconds` at that rate.
export async function measureLoad(spec: Omit<LoadSpec, 'amount'>, seconds: number): Promise<LoadResult> {
  const warm = await runLoad({ ...spec, amount: 1500 * spec.connections ** 0.5 });
  const amount = Math.max(spec.connections * 50, Math.round(warm.rps * seconds));
  return runLoad({ ...spec, amount });
}
