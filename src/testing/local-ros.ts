// startLocalRos(): a localros server inside the test process, on a free port and a throw-away
// database, with a configured SDK client and the control plane's helpers. In-process is the
// fastest way (no child to spawn, no ready line to wait for) and leaves nothing behind once
// stop() resolves.
import { loadConfig } from '../config/load.ts';
import type { ConfigInput } from '../config/schema.ts';
import { createServer } from '../server.ts';
import { DEFAULT_REGION, localRosEnv } from '../client/env.ts';
import { controlPlane, createFaults, type Faults } from '../client/control-plane.ts';
import { createResourceDirectory, type ResourceDirectory } from './resource-directory.ts';
import { createRosClient, type Credentials, type RosClient } from '../client/ros-client.ts';

/** Configuration keys as in the README's "Configuration" section, all optional. */
export type LocalRosConfig = ConfigInput;

export interface StartLocalRosOptions {
  /**
   * Configuration over the defaults and `configFile`, e.g. `{ simulation: { stackOperationMs: 0 } }`.
   * Unless set here: `port` 0 (a free port), `inMemory` true, `logLevel` `warn`.
   */
  config?: LocalRosConfig;
  /** A YAML or JSON configuration file, as `localros serve --config` reads it. */
  configFile?: string;
  /** The region `rosClient()` and `env()` use; `cn-hangzhou` by default. */
  regionId?: string;
}

export interface RosClientOverrides {
  /** Another access key, e.g. of a second configured account or a wrong one. */
  credentials?: Credentials;
  regionId?: string;
  /** `v3` (the SDK default) or `v1` (HMAC-SHA1). */
  signature?: 'v1' | 'v3';
}

export interface LocalRos {
  /** `host:port`, the form the SDK's `endpoint` setting takes. */
  readonly endpoint: string;
  /** `http://host:port`, for fetch and the control plane. */
  readonly url: string;
  /** The first access key of the first configured account. */
  readonly credentials: Credentials;
  /** The account owning `credentials`. */
  readonly accountId: string;
  readonly regionId: string;
  /** Fault injection through the control plane. */
  readonly faults: Faults;
  /** The resource directory of `accountId`, for SERVICE_MANAGED stack groups. */
  readonly resourceDirectory: ResourceDirectory;
  /** A new `@alicloud/ros20190910` client pointed at this server. */
  rosClient(overrides?: RosClientOverrides): RosClient;
  /** The variables `localros exec` sets, for spawning a program under test. */
  env(): Record<string, string>;
  /** Empties all state: stack groups, instances, operations, stacks, faults. */
  reset(): Promise<void>;
  /** Stops the server and deletes its temporary database; safe to call twice. */
  stop(): Promise<void>;
}

export async function startLocalRos(options: StartLocalRosOptions = {}): Promise<LocalRos> {
  // The environment is deliberately not read: a test's server should be the same on every
  // machine, whatever LOCALROS_* variables the developer has exported.
  const config = loadConfig({
    file: options.configFile,
    flags: { port: 0, inMemory: true, logLevel: 'warn', ...options.config },
  });
  const server = await createServer(config);
  const { url } = await server.start();
  const endpoint = url.slice('http://'.length);
  const account = config.accounts[0];
  const credentials: Credentials = { ...account.accessKeys[0] };
  const regionId = options.regionId ?? DEFAULT_REGION;
  const control = { url, controlToken: config.controlToken };
  let stopped: Promise<void> | undefined;

  return {
    endpoint,
    url,
    credentials,
    accountId: account.accountId,
    regionId,
    faults: createFaults(control),
    resourceDirectory: createResourceDirectory(control, account.accountId),
    rosClient: (o = {}) =>
      createRosClient({ endpoint, credentials: o.credentials ?? credentials, regionId: o.regionId ?? regionId, signature: o.signature }),
    env: () => localRosEnv({ endpoint, credentials, accountId: account.accountId, regionId, controlToken: config.controlToken }),
    reset: () => controlPlane(control).reset(),
    stop: () => (stopped ??= server.stop()),
  };
}
