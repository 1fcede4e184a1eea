// Turns raw string parameters into typed values, as the catalogue (generated from the shared
// ROS reference) defines each action's parameters: scalars, flat lists (`Name.N`,
// `Name.N.Key`) and JSON-encoded values (ros-api.md §1.3). Validators are compiled once per
// action. Parameters an action does not define are ignored, as the gateway ignores them.
import { z } from 'zod';
import { ApiError, invalidParameter } from '../protocol/errors.ts';
import type { RawParams } from '../protocol/raw-params.ts';
import catalogue from './catalogue.json' with { type: 'json' };

export interface ParamDef {
  name: string;
  type: string;
  required: boolean;
  style: string;
  constraints?: {
    minLength?: number;
    maxLength?: number;
    pattern?: string;
    maxItems?: number;
    minItems?: number;
    min?: number;
    max?: number;
    enum?: string[];
    maxBytes?: number;
    minBytes?: number;
    itemPattern?: string;
    default?: unknown;
    keys?: Record<string, { type: string; min?: number; max?: number; enum?: string[] }>;
    mutuallyExclusive?: string[][];
  };
  members?: ParamDef[];
}

export type Decoded = Record<string, unknown>;
export type Decoder = (raw: RawParams) => Decoded;

const INTEGER_RE = /^-?\d{1,15}$/;

function stringSchema(def: ParamDef): z.ZodType<string> {
  const c = def.constraints ?? {};
  let s = z.string();
  if (c.minLength !== undefined && c.minLength > 0 && c.maxLength !== undefined) {
    s = s.min(c.minLength, `the length must be between ${c.minLength} and ${c.maxLength}`);
  } else if (c.minLength !== undefined && c.minLength > 0) {
    s = s.min(c.minLength, `the length must be at least ${c.minLength}`);
  }
  if (c.maxLength !== undefined) {
    s = s.max(c.maxLength, c.minLength ? `the length must be between ${c.minLength} and ${c.maxLength}` : `the length must be at most ${c.maxLength}`);
  }
  if (c.pattern) s = s.regex(new RegExp(c.pattern), `it must match the pattern ${c.pattern}`);
  let out: z.ZodType<string> = s;
  if (c.enum) out = s.refine((v) => c.enum!.includes(v), `it must be one of ${c.enum.join(', ')}`);
  if (c.maxBytes !== undefined || c.minBytes !== undefined) {
    const max = c.maxBytes ?? Infinity;
    const min = c.minBytes ?? 0;
    out = out.refine((v) => {
      const bytes = Buffer.byteLength(v);
      return bytes >= min && bytes <= max;
    }, `its size must be between ${min} and ${max} bytes`);
  }
  return out;
}

function integerSchema(def: ParamDef): z.ZodType<number, string> {
  const c = def.constraints ?? {};
  const range =
    c.min !== undefined && c.max !== undefined ? `between ${c.min} and ${c.max}` : c.min !== undefined ? `at least ${c.min}` : `at most ${c.max}`;
  return z
    .string()
    .regex(INTEGER_RE, 'it must be an integer')
    .transform(Number)
    .refine((n) => (c.min === undefined || n >= c.min) && (c.max === undefined || n <= c.max), `it must be ${range}`);
}

const booleanSchema = z
  .string()
  .regex(/^(true|false)$/i, 'it must be true or false')
  .transform((v) => v.toLowerCase() === 'true');

// A JSON value from the wire or from flat keys (pop-core sends lists flat). Strings inside
// account and region lists may arrive as JSON numbers.
function arrayOfStrings(def: ParamDef): z.ZodType<string[], unknown> {
  const c = def.constraints ?? {};
  let a = z.array(z.union([z.string(), z.number().transform(String)]), 'it must be a JSON array of strings');
  if (c.minItems !== undefined) a = a.min(c.minItems, `it must have at least ${c.minItems} item(s)`);
  if (c.maxItems !== undefined) a = a.max(c.maxItems, `it must have at most ${c.maxItems} item(s)`);
  let out: z.ZodType<string[], unknown> = a;
  if (c.itemPattern) {
    const re = new RegExp(c.itemPattern);
    out = a.refine((items) => items.every((i) => re.test(i)), `each item must match ${c.itemPattern}`);
  }
  return out;
}

function memberSchema(def: ParamDef): z.ZodType<unknown, unknown> {
  switch (def.type) {
    case 'string':
      return stringSchema(def);
    case 'boolean':
      return z.union([z.boolean(), booleanSchema], 'it must be a boolean');
    case 'integer':
      return z.union([z.number().int(), integerSchema(def)], 'it must be an integer');
    case 'array<string>':
      return arrayOfStrings(def);
    default:
      return z.unknown();
  }
}

function objectSchema(def: ParamDef): z.ZodType<Record<string, unknown>, unknown> {
  const shape: Record<string, z.ZodType<unknown, unknown>> = {};
  for (const m of def.members ?? []) shape[m.name] = m.required ? memberSchema(m) : memberSchema(m).optional();
  return z.object(shape, 'it must be a JSON object');
}

// OperationPreferences is a free map on the wire: keys arrive as the caller wrote them and
// values as numbers or numeric strings (ros-api.md §1.3). Keys match case-insensitively.
function preferencesSchema(def: ParamDef): z.ZodType<Record<string, unknown>, unknown> {
  const keys = def.constraints?.keys ?? {};
  const exclusive = def.constraints?.mutuallyExclusive ?? [];
  return z.record(z.string(), z.unknown(), 'it must be a JSON object').transform((input, ctx) => {
    const out: Record<string, unknown> = {};
    for (const [rawKey, value] of Object.entries(input)) {
      const key = Object.keys(keys).find((k) => k.toLowerCase() === rawKey.toLowerCase());
      if (!key) continue;
      const spec = keys[key];
      if (spec.type === 'integer') {
        const n = typeof value === 'string' && INTEGER_RE.test(value.trim()) ? Number(value) : value;
        if (typeof n !== 'number' || !Number.isInteger(n) || (spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
          ctx.addIssue({ code: 'custom', message: `${key} must be an integer between ${spec.min} and ${spec.max}` });
          return z.NEVER;
        }
        out[key] = n;
      } else {
        if (typeof value !== 'string' || (spec.enum && !spec.enum.includes(value))) {
          ctx.addIssue({ code: 'custom', message: `${key} must be one of ${(spec.enum ?? []).join(', ')}` });
          return z.NEVER;
        }
        out[key] = value;
      }
    }
    for (const group of exclusive) {
      const given = group.filter((k) => k in out);
      if (given.length > 1) {
        ctx.addIssue({ code: 'custom', message: `${given.join(' and ')} cannot both be specified` });
        return z.NEVER;
      }
    }
    return out;
  });
}

function jsonValueSchema(def: ParamDef): z.ZodType<unknown, unknown> {
  if (def.type === 'array<string>') return arrayOfStrings(def);
  if (def.type === 'map' && def.constraints?.keys) return preferencesSchema(def);
  if (def.type === 'map') return z.record(z.string(), z.unknown(), 'it must be a JSON object');
  return objectSchema(def);
}

interface CompiledParam {
  def: ParamDef;
  read: (raw: RawParams, flat: FlatIndex) => unknown;
  schema: z.ZodType<unknown, unknown>;
}

// Flat keys grouped by their first segment, so each list parameter reads only its own keys.
type FlatIndex = Map<string, [index: number, rest: string, value: string][]>;

function indexFlat(raw: RawParams): FlatIndex {
  const index: FlatIndex = new Map();
  for (const [key, value] of raw) {
    const m = /^([A-Za-z]+)\.(\d+)(?:\.(.+))?$/.exec(key);
    if (!m) continue;
    let list = index.get(m[1]);
    if (!list) index.set(m[1], (list = []));
    list.push([Number(m[2]), m[3] ?? '', value]);
  }
  return index;
}

function readFlatList(def: ParamDef, flat: FlatIndex): unknown[] | undefined {
  const entries = flat.get(def.name);
  if (!entries) return undefined;
  const byIndex = new Map<number, Record<string, string> | string>();
  for (const [i, rest, value] of entries) {
    if (rest) {
      const item = (byIndex.get(i) ?? {}) as Record<string, string>;
      item[rest] = value;
      byIndex.set(i, item);
    } else {
      byIndex.set(i, value);
    }
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, v]) => v);
}

function flatSchema(def: ParamDef): z.ZodType<unknown, unknown> {
  const c = def.constraints ?? {};
  const item = def.type === 'array<object>' ? objectSchema(def) : z.string('each item must be a string');
  let a = z.array(item);
  if (c.maxItems !== undefined) a = a.max(c.maxItems, `it must have at most ${c.maxItems} item(s)`);
  return a;
}

function compileParam(def: ParamDef): CompiledParam {
  switch (def.style) {
    case 'json':
      return {
        def,
        schema: jsonValueSchema(def),
        read: (raw, flat) => {
          const text = raw.get(def.name);
          if (text === undefined) return def.type === 'array<string>' ? readFlatList(def, flat) : undefined;
          try {
            return JSON.parse(text);
          } catch {
            throw invalidParameter(def.name, 'it is not valid JSON');
          }
        },
      };
    case 'flat':
      return { def, schema: flatSchema(def), read: (_raw, flat) => readFlatList(def, flat) };
    default: {
      const schema = def.type === 'integer' ? integerSchema(def) : def.type === 'boolean' ? booleanSchema : stringSchema(def);
      return { def, schema, read: (raw) => raw.get(def.name) };
    }
  }
}

// Per-call list limits that the configuration can raise are checked by the handlers instead.
const CONFIGURABLE_LIMITS = new Set(['AccountIds', 'RegionIds']);

function withoutConfigurableLimit(def: ParamDef): ParamDef {
  if (!CONFIGURABLE_LIMITS.has(def.name) || def.constraints?.maxItems === undefined) return def;
  const { maxItems: _limit, ...constraints } = def.constraints;
  return { ...def, constraints };
}

// What a decoder without list parameters reads its lists from: never written to.
const NO_FLAT: FlatIndex = new Map();

export function compileDecoder(defs: ParamDef[]): Decoder {
  const compiled = defs.map(withoutConfigurableLimit).map(compileParam);
  const needsFlat = defs.some((d) => d.style !== 'scalar');
  return (raw) => {
    const flat: FlatIndex = needsFlat ? indexFlat(raw) : NO_FLAT;
    const out: Decoded = {};
    for (const { def, read, schema } of compiled) {
      const value = read(raw, flat);
      if (value === undefined) {
        if (def.required) throw new ApiError('MissingParameter', { name: def.name });
        continue;
      }
      const parsed = schema.safeParse(value);
      if (!parsed.success) throw invalidParameter(def.name, describeZodIssue(parsed.error.issues[0]));
      out[def.name] = parsed.data;
    }
    return out;
  };
}

function describeZodIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
}

export const ACTION_PARAMS = catalogue.actions as unknown as Record<string, ParamDef[]>;
