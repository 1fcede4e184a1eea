// What the `ops` and `stacks` commands share: the SDK client they call the API with, and the
// flags of their `show` subcommands. Loaded only when one of them runs, so that other commands
// start without the SDK.
import { createRosClient, type RosClient } from '../client/ros-client.ts';
import type { ApiFlags } from './client-options.ts';

export interface ShowFlags extends ApiFlags {
  watch?: boolean;
  interval: number;
}

export function apiClient(flags: ApiFlags): RosClient {
  return createRosClient({
    endpoint: flags.endpoint,
    credentials: { accessKeyId: flags.accessKeyId, accessKeySecret: flags.accessKeySecret },
    regionId: flags.region,
    // A CLI should answer quickly when pointed at the wrong place.
    timeoutMs: 10_000,
  });
}
