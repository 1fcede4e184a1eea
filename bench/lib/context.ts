// What every scenario gets: the bare node:http baseline server of this run, the round trip to
// it, and where to put CPU profiles.
import type { BareServer } from './bare-server.ts';
import { rpcClient } from './rpc.ts';
import { timeCalls, median } from './stats.ts';

export interface BenchContext {
  bare: BareServer;
  // Median round trip of a signed request to the bare server through the scenarios' client:
  // the baseline of every single-request latency (scale pages, stop reaction).
  bareRoundTripMs: number;
  // When set, every localros process writes a `--cpu-prof` profile here.
  cpuProfDir?: string;
  log(message: string): void;
}

export async function bareRoundTrip(bare: BareServer): Promise<number> {
  const client = rpcClient(bare.url);
  try {
    return median(await timeCalls(() => client.call('GetStackGroupOperation', { RegionId: 'cn-hangzhou', OperationId: 'baseline' }), 1000));
  } finally {
    client.close();
  }
}
