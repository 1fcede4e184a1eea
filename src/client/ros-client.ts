// The official ROS SDK client, configured for a localros server. Shared by the testing library
// and the CLI's `ops` commands, so both talk to the server exactly as a user's code does.
import * as $ROS from '@alicloud/ros20190910';
import * as $OpenApi from '@alicloud/openapi-core';
import { parseEndpoint } from './endpoint.ts';

export { $ROS };

export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
}

// The SDK is CommonJS; loaded from ESM its client class can arrive one `default` deeper.
type RosClientClass = typeof $ROS.default.default;
const RosClientCtor: RosClientClass = $ROS.default.default ?? ($ROS.default as unknown as RosClientClass);

/** The `@alicloud/ros20190910` client class, as `new ROS.default(config)` builds it. */
export type RosClient = InstanceType<RosClientClass>;

export interface RosClientOptions {
  /** `host:port` (the SDK's form) or `http://host:port`. */
  endpoint: string;
  credentials: Credentials;
  regionId: string;
  /** `v3` (ACS3-HMAC-SHA256, the SDK default) or `v1` (HMAC-SHA1, the SDK's `'v2'` setting). */
  signature?: 'v1' | 'v3';
  /** Milliseconds before a connection attempt or a read gives up (the SDK defaults apply if unset). */
  timeoutMs?: number;
}

export function createRosClient(opts: RosClientOptions): RosClient {
  return new RosClientCtor(
    new $OpenApi.$OpenApiUtil.Config({
      accessKeyId: opts.credentials.accessKeyId,
      accessKeySecret: opts.credentials.accessKeySecret,
      endpoint: parseEndpoint(opts.endpoint).endpoint,
      protocol: 'http',
      regionId: opts.regionId,
      ...(opts.signature === 'v1' ? { signatureAlgorithm: 'v2' } : {}),
      ...(opts.timeoutMs !== undefined ? { connectTimeout: opts.timeoutMs, readTimeout: opts.timeoutMs } : {}),
    }),
  );
}
