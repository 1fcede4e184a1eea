import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { configSchema, type Config } from './schema.ts';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

// Environment variables, each mapped onto one config key.
const ENV_KEYS: [string, string[], 'string' | 'int' | 'bool'][] = [
  ['LOCALROS_HOST', ['host'], 'string'],
  ['LOCALROS_PORT', ['port'], 'int'],
  ['LOCALROS_DATA_DIR', ['dataDir'], 'string'],
  ['LOCALROS_IN_MEMORY', ['inMemory'], 'bool'],
  ['LOCALROS_DATABASE', ['database'], 'string'],
  ['LOCALROS_LEASE_TIMEOUT_MS', ['leaseTimeoutMs'], 'int'],
  ['LOCALROS_CONTROL_TOKEN', ['controlToken'], 'string'],
  ['LOCALROS_LOG_LEVEL', ['logLevel'], 'string'],
  ['LOCALROS_LOG_FORMAT', ['logFormat'], 'string'],
  ['LOCALROS_RELEASE_MEMORY_AFTER_IDLE_MS', ['releaseMemoryAfterIdleMs'], 'int'],
  ['LOCALROS_STACK_OPERATION_MS', ['simulation', 'stackOperationMs'], 'int'],
  ['LOCALROS_WAIT_CONDITION_SIGNALS', ['simulation', 'waitConditionSignals'], 'bool'],
];

type Layer = Record<string, unknown>;

function setPath(target: Layer, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Layer;
  node[path[path.length - 1]] = value;
}

function envLayer(env: NodeJS.ProcessEnv): Layer {
  const layer: Layer = {};
  for (const [name, path, kind] of ENV_KEYS) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    let value: unknown = raw;
    if (kind === 'int') {
      if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
      value = Number(raw);
    } else if (kind === 'bool') {
      if (!/^(true|false|1|0)$/i.test(raw)) throw new ConfigError(`${name} must be true or false, got "${raw}"`);
      value = /^(true|1)$/i.test(raw);
    }
    setPath(layer, path, value);
  }
  return layer;
}

function fileLayer(file: string): Layer {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config file ${file}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ConfigError(`config file ${file} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(e as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`config file ${file} must hold an object`);
  return parsed as Layer;
}

function merge(base: Layer, over: Layer): Layer {
  const out: Layer = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const prev = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && prev && typeof prev === 'object' && !Array.isArray(prev)
        ? merge(prev as Layer, v as Layer)
        : v;
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export function describeIssue(issue: z.core.$ZodIssue): string {
  const key = issue.path.join('.') || '(root)';
  if (issue.code === 'unrecognized_keys') {
    const prefix = issue.path.length ? `${issue.path.join('.')}.` : '';
    return `unknown key ${issue.keys.map((k) => `"${prefix}${k}"`).join(', ')}`;
  }
  return `"${key}": ${issue.message}`;
}

export function loadConfig(opts: { file?: string; env?: NodeJS.ProcessEnv; flags?: Layer } = {}): Config {
  const layered = merge(merge(opts.file ? fileLayer(opts.file) : {}, envLayer(opts.env ?? {})), opts.flags ?? {});
  const result = configSchema.safeParse(layered);
  if (!result.success) {
    throw new ConfigError(`invalid configuration: ${result.error.issues.map(describeIssue).join('; ')}`);
  }
  const accessKeyIds = result.data.accounts.flatMap((a) => a.accessKeys.map((k) => k.accessKeyId));
  const duplicate = accessKeyIds.find((id, i) => accessKeyIds.indexOf(id) !== i);
  if (duplicate) throw new ConfigError(`invalid configuration: "accounts": access key ${duplicate} is listed twice`);
  const accountIds = new Set(result.data.accounts.map((a) => a.accountId));
  for (const [i, rd] of result.data.resourceDirectories.entries()) {
    if (!accountIds.has(rd.accountId)) throw new ConfigError(`invalid configuration: "resourceDirectories.${i}.accountId": ${rd.accountId} is not one of the configured accounts`);
    const folderIds = new Set(['r-root', ...rd.folders.map((f) => f.folderId)]);
    for (const [j, f] of rd.folders.entries()) {
      if (f.parentFolderId && !folderIds.has(f.parentFolderId)) {
        throw new ConfigError(`invalid configuration: "resourceDirectories.${i}.folders.${j}.parentFolderId": no folder ${f.parentFolderId}`);
      }
    }
  }
  return deepFreeze(result.data);
}
