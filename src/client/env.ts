// The environment a user's SDK code reads to find a localros server: the one place that names
// these variables, for `localros exec` and for `LocalRos.env()` alike.
import type { Credentials } from './ros-client.ts';

export const DEFAULT_REGION = 'cn-hangzhou';

export interface LocalRosEnvInput {
  /** `host:port`. */
  endpoint: string;
  credentials: Credentials;
  /** The account owning `credentials`. */
  accountId: string;
  regionId: string;
  controlToken?: string;
}

// ALIBABA_CLOUD_*: the SDKs' credential chain (Node, Python, Go) and the aliyun CLI.
// ALICLOUD_*: the Terraform provider. No client reads an endpoint from the environment, hence
// LOCALROS_ENDPOINT for code that builds its client (README, "Clients").
export function localRosEnv(input: LocalRosEnvInput): Record<string, string> {
  return {
    ALIBABA_CLOUD_ACCESS_KEY_ID: input.credentials.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: input.credentials.accessKeySecret,
    ALIBABA_CLOUD_REGION_ID: input.regionId,
    ALICLOUD_ACCESS_KEY: input.credentials.accessKeyId,
    ALICLOUD_SECRET_KEY: input.credentials.accessKeySecret,
    ALICLOUD_REGION: input.regionId,
    ALICLOUD_ACCOUNT_ID: input.accountId,
    LOCALROS_ENDPOINT: input.endpoint,
    LOCALROS_URL: `http://${input.endpoint}`,
    ...(input.controlToken ? { LOCALROS_CONTROL_TOKEN: input.controlToken } : {}),
  };
}
