// The one configuration schema: defaults < config file < environment < CLI flags, validated
// once, then frozen. Every key is documented in the README.
import { z } from 'zod';

export const DEFAULT_ACCOUNT_ID = '1000000000000001';
export const DEFAULT_ACCESS_KEY_ID = 'LTAI5tLocalRosDefaultKey';
export const DEFAULT_ACCESS_KEY_SECRET = 'localros-default-secret-do-not-use-in-cloud';

const accessKey = z.strictObject({
  accessKeyId: z.string().min(1),
  accessKeySecret: z.string().min(1),
});

const account = z.strictObject({
  accountId: z.string().regex(/^\d{1,32}$/, 'an account ID is a string of digits'),
  accessKeys: z.array(accessKey).min(1),
});

const folder = z.strictObject({
  folderId: z.string().regex(/^fd-[A-Za-z0-9]{1,32}$/, 'a folder ID looks like fd-<letters and digits>'),
  name: z.string().min(1).optional(),
  // Omitted: directly under the root folder.
  parentFolderId: z.string().min(1).optional(),
  accountIds: z.array(z.string().regex(/^\d{1,32}$/, 'an account ID is a string of digits')).default([]),
});

// The resource directory of a management account, for SERVICE_MANAGED stack groups.
const resourceDirectory = z.strictObject({
  accountId: z.string().regex(/^\d{1,32}$/, 'an account ID is a string of digits'),
  // Member accounts directly under the root folder.
  accountIds: z.array(z.string().regex(/^\d{1,32}$/, 'an account ID is a string of digits')).default([]),
  folders: z.array(folder).default([]),
});

export const configSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(4599),
  dataDir: z.string().min(1).default('./.localros'),
  inMemory: z.boolean().default(false),
  // A PostgreSQL URL: the store shared by several replicas (docs/scale-out.md). dataDir and
  // inMemory are then unused.
  database: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a PostgreSQL URL, postgres://user@host:port/database')
    .optional(),
  // How long an operation stays owned by a replica that stopped renewing its lease (it died):
  // the fail-over time. Renewed every third of it.
  leaseTimeoutMs: z.number().int().min(300).default(10_000),
  // Required for the control plane and console when the server listens beyond loopback.
  controlToken: z.string().min(1).optional(),
  logLevel: z.enum(['silent', 'error', 'warn', 'info', 'debug']).default('info'),
  logFormat: z.enum(['pretty', 'json']).default('pretty'),
  // `localros serve` runs one full garbage collection once it has been idle this long after the
  // heap grew, giving V8's slack back (src/cli/idle-memory.ts); 0 never does.
  releaseMemoryAfterIdleMs: z.number().int().min(0).default(5000),
  accounts: z
    .array(account)
    .min(1)
    .default([
      {
        accountId: DEFAULT_ACCOUNT_ID,
        accessKeys: [{ accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET }],
      },
    ]),
  resourceDirectories: z.array(resourceDirectory).default([]),
  signature: z
    .strictObject({
      maxSkewSeconds: z.number().int().min(1).default(900),
    })
    .prefault({}),
  limits: z
    .strictObject({
      stackGroupsPerAccount: z.number().int().min(1).default(100),
      stackInstancesPerGroup: z.number().int().min(1).default(2000),
      accountsPerCall: z.number().int().min(1).default(50),
      regionsPerCall: z.number().int().min(1).default(20),
      // Resources in one stack after Count is expanded (ROS "Limits" page).
      resourcesPerStack: z.number().int().min(1).default(300),
    })
    .prefault({}),
  simulation: z
    .strictObject({
      // How long each simulated stack action takes.
      stackOperationMs: z.number().int().min(0).default(300),
      // Standalone stacks' wait conditions wait for real signals; false: they complete at once.
      waitConditionSignals: z.boolean().default(true),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
