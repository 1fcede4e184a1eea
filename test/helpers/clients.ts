// The official SDK clients, pointed at a local server.
import * as $ROS from '@alicloud/ros20190910';
import * as $OpenApi from '@alicloud/openapi-core';
import { createRequire } from 'node:module';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from '../../src/config/schema.ts';

export { $ROS };
const require = createRequire(import.meta.url);
const PopCore = require('@alicloud/pop-core');

export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
}

export const DEFAULT_CREDENTIALS: Credentials = {
  accessKeyId: DEFAULT_ACCESS_KEY_ID,
  accessKeySecret: DEFAULT_ACCESS_KEY_SECRET,
};

// The SDK is CommonJS; under ESM its client class can arrive one `default` deeper.
type RosClientClass = typeof $ROS.default.default;
const RosClientCtor: RosClientClass = $ROS.default.default ?? ($ROS.default as unknown as RosClientClass);
export type RosClient = InstanceType<RosClientClass>;

// `timeout`: instead of the SDK's few seconds (httpx counts its connect timeout up to the answer),
// for a call that may wait for a thread to start on a loaded machine.
export function rosClient(endpoint: string, opts: { v1?: boolean; credentials?: Credentials; timeout?: number } = {}): RosClient {
  const creds = opts.credentials ?? DEFAULT_CREDENTIALS;
  return new RosClientCtor(
    new $OpenApi.$OpenApiUtil.Config({
      accessKeyId: creds.accessKeyId,
      accessKeySecret: creds.accessKeySecret,
      endpoint,
      protocol: 'http',
      regionId: 'cn-hangzhou',
      ...(opts.v1 ? { signatureAlgorithm: 'v2' } : {}),
      ...(opts.timeout ? { readTimeout: opts.timeout, connectTimeout: opts.timeout } : {}),
    }),
  );
}

export interface PopClient {
  request(action: string, params: Record<string, unknown>, opts?: { method?: string; formatParams?: boolean }): Promise<Record<string, unknown>>;
}

export function popClient(url: string, credentials: Credentials = DEFAULT_CREDENTIALS): PopClient {
  return new PopCore({
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
    endpoint: url,
    apiVersion: '2019-09-10',
  });
}

// A second configured account, for isolation tests.
export const OTHER_CREDENTIALS: Credentials = { accessKeyId: 'LTAI5tOtherAccountKey', accessKeySecret: 'other-secret' };
export const TWO_ACCOUNTS = [
  { accountId: '1000000000000001', accessKeys: [DEFAULT_CREDENTIALS] },
  { accountId: '2000000000000002', accessKeys: [OTHER_CREDENTIALS] },
];
