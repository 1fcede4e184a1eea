// ALIYUN::ROS::WaitConditionHandle / ALIYUN::ROS::WaitCondition of standalone stacks, waiting for
// real signals. A handle's URL points at localros's API port (`POST /waitcondition?stackid=…&
// resource=…&signature=…`, the signature a random token kept per handle: migration 019) and its
// CurlCli / WindowsCurlCli / PowerShellCurlCli are ready-made commands for it; SignalResource
// signals too. A WaitCondition completes once `Count` SUCCESS signals (default 1) have reached
// its handle, fails on a FAILURE signal, and fails `Timeout` seconds after it started without
// enough. Pure: the signals received so far are read before each simulation, and a simulation
// that reaches a wait condition still waiting stops there (simulate.ts); stack-operations.ts
// writes what the stack shows meanwhile, waits for a signal or the deadline, and simulates again.
import type { WaitSignal } from '../../store/repos/wait-conditions.ts';
import type { WaitConditionRunner, WaitState } from '../run/deployment.ts';
import type { JsonValue } from '../template/index.ts';

export const WAIT_CONDITION_TYPE = 'ALIYUN::ROS::WaitCondition';
export const WAIT_HANDLE_TYPE = 'ALIYUN::ROS::WaitConditionHandle';
export const SIGNAL_PATH = '/waitcondition';
export const SIGNAL_STATUSES = ['SUCCESS', 'FAILURE', 'WARNING'] as const;

export interface WaitContext {
  // localros's API address, `http://host:port`.
  baseUrl: string;
  stackId: string;
  regionId: string;
  // Handle logical id → token.
  tokens: ReadonlyMap<string, string>;
  signals: readonly WaitSignal[];
  // Clock time at which the simulated action starts, and now.
  startMs: number;
  nowMs: number;
}

export function signalUrl(baseUrl: string, stackId: string, handle: string, token: string): string {
  const q = new URLSearchParams({ stackid: stackId, resource: handle, signature: token });
  return `${baseUrl}${SIGNAL_PATH}?${q.toString()}`;
}

// Data of the signals as the attributes give it [INF]: the ROS documentation calls Data and
// ErrorData JSON strings keyed by signal id; the resource-type catalogue types them as maps,
// which Fn::GetJsonValue reads alike. ErrorData holds the FAILURE and WARNING signals (their data,
// else their reason); JoinedErrorData their values joined by newlines.
function attributesOf(signals: readonly WaitSignal[]): Record<string, JsonValue> {
  const data: Record<string, JsonValue> = {};
  const errors: Record<string, JsonValue> = {};
  for (const s of signals) {
    data[s.id] = s.data ?? '';
    if (s.status !== 'SUCCESS') errors[s.id] = s.data ?? s.reason ?? '';
  }
  return { Data: data, ErrorData: errors, JoinedErrorData: Object.values(errors).map(String).join('\n') };
}

export class WaitConditions implements WaitConditionRunner {
  constructor(private readonly ctx: WaitContext) {}

  handleAttributes(logicalId: string): Record<string, JsonValue> {
    const token = this.ctx.tokens.get(logicalId) ?? '';
    const url = signalUrl(this.ctx.baseUrl, this.ctx.stackId, logicalId, token);
    const headers = { 'Content-Type': 'application/json', 'x-acs-region-id': this.ctx.regionId };
    return {
      URL: url,
      Headers: headers,
      CurlCli: `curl -i -X POST -H 'Content-Type: application/json' -H 'x-acs-region-id: ${this.ctx.regionId}' '${url}'`,
      WindowsCurlCli: `curl.exe -i -X POST -H "Content-Type: application/json" -H "x-acs-region-id: ${this.ctx.regionId}" "${url}"`,
      PowerShellCurlCli: `Invoke-WebRequest -Method POST -ContentType 'application/json' -Headers @{'x-acs-region-id'='${this.ctx.regionId}'} -Uri '${url}'`,
    };
  }

  wait(handle: string, count: number, timeoutMs: number, atMs: number): WaitState {
    const { startMs, nowMs } = this.ctx;
    const signals = this.ctx.signals.filter((s) => s.handle === handle);
    const deadline = atMs + timeoutMs;
    const offset = (s: WaitSignal): number => Math.max(atMs, s.receivedMs - startMs);
    const attributes = attributesOf(signals);
    const failure = signals.filter((s) => s.status === 'FAILURE').sort((a, b) => a.receivedMs - b.receivedMs)[0];
    if (failure && offset(failure) <= deadline) {
      return { kind: 'failed', endMs: offset(failure), reason: `WaitConditionFailure: ${failure.reason ?? failure.data ?? 'FAILURE'}` };
    }
    const successes = signals.filter((s) => s.status === 'SUCCESS').sort((a, b) => a.receivedMs - b.receivedMs);
    const enough = successes[count - 1];
    if (enough && offset(enough) <= deadline) return { kind: 'done', endMs: offset(enough), attributes };
    if (nowMs - startMs >= deadline) {
      const received = successes.filter((s) => offset(s) <= deadline).length;
      return { kind: 'failed', endMs: deadline, reason: `WaitConditionTimeout: ${received} of ${count} received` };
    }
    return { kind: 'pending', untilMs: startMs + deadline };
  }
}
