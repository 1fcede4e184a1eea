// The environment a user's SDK code reads to find a localros server: the one place that names
// these variables, for `localros exec` and for `LocalRos.env()` alike.
import type { Credentials } from './ros-client.ts';

export const DEFAULT_REGION = 'cn-hangzhou';

export interface LocalRosEnvInput {
  /** `host:port`. */
  endpoint: string;
  credentials: Credentials;
  regionId: string;
  controlToken?: string;
}

export function localRosEnv(input: LocalRosEnvInput): Record<string, string> {
  return {
    ALIBABA_CLOUD_ACCESS_KEY_ID: input.credentials.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: input.credentials.accessKeySecret,
    ALIBABA_CLOUD_REGION_ID: input.regionId,
    LOCALROS_ENDPOINT: input.endpoint,
    LOCALROS_URL: `http://${input.endpoint}`,
    ...(input.controlToken ? { LOCALROS_CONTROL_TOKEN: input.controlToken } : {}),
  };
}
