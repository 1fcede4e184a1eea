// Intrinsic functions that only transform already-evaluated arguments. Semantics follow the ROS
// "Functions" pages (one page per function, linked from "Function index"); the functions that
// look up names (Ref, Fn::GetAtt, Fn::Sub, Fn::If, conditions, Fn::FindInMap) are in evaluate.ts.
import { ApiError } from '../../protocol/errors.ts';
import { calculate } from './calculate.ts';
import { cidr } from './cidr.ts';
import { formatTime } from './format-time.ts';
import { usageError } from './intrinsics.ts';
import { jqFunction } from './jq.ts';
import { deepEqual, own, setKey } from './json.ts';
import { compileRegex, PatternSyntaxError } from './pattern.ts';
import { isJsonObject, type JsonObject, type JsonValue } from './types.ts';

export interface FunctionEnv {
  region: string;
  // The current time, for Fn::FormatTime.
  now: () => Date;
}

type PureFunction = (args: JsonValue, env: FunctionEnv) => JsonValue;

function valueError(name: string, detail: string): ApiError {
  return new ApiError('InvalidTemplate', { reason: `"${name}": ${detail}` });
}

function list(name: string, args: JsonValue, usage: string, length?: number): JsonValue[] {
  if (!Array.isArray(args) || (length !== undefined && args.length !== length)) throw usageError(name, usage);
  return args;
}

function toNumber(name: string, value: JsonValue): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw valueError(name, `${JSON.stringify(value)} is not a number`);
  return n;
}

// Python slice semantics: "1:3" -> items 1..2, "::2" -> every other item, "5:0:-2" walks back
// ("Fn::Select" page examples).
function slice(items: JsonValue[], spec: string): JsonValue[] {
  const parts = spec.split(':');
  if (parts.length > 3 || parts.some((p) => p.trim() !== '' && !/^-?\d+$/.test(p.trim()))) {
    throw valueError('Fn::Select', `"${spec}" is not a valid slice`);
  }
  const [rawStart, rawStop, rawStep] = parts.map((p) => (p.trim() === '' ? undefined : Number(p)));
  const step = rawStep ?? 1;
  if (step === 0) throw valueError('Fn::Select', 'slice step cannot be zero');
  const n = items.length;
  const clamp = (i: number | undefined, fallback: number, lo: number, hi: number): number => {
    if (i === undefined) return fallback;
    const j = i < 0 ? i + n : i;
    return Math.min(Math.max(j, lo), hi);
  };
  const out: JsonValue[] = [];
  if (step > 0) {
    for (let i = clamp(rawStart, 0, 0, n), stop = clamp(rawStop, n, 0, n); i < stop; i += step) out.push(items[i]!);
  } else {
    for (let i = clamp(rawStart, n - 1, -1, n - 1), stop = clamp(rawStop, -1, -1, n - 1); i > stop; i += step) out.push(items[i]!);
  }
  return out;
}

// [index, list, default?] or [key, map, default?]; a missing element gives the default or ""
// ("Fn::Select" page: "If the index is out of range ... the default value is returned, otherwise
// an empty string").
const select: PureFunction = (args) => {
  const usage = '[index, [value1, value2, ...], default_value] or [key, {key1: value1, ...}, default_value]';
  if (!Array.isArray(args) || args.length < 2 || args.length > 3) throw usageError('Fn::Select', usage);
  const [index, container, fallback] = args;
  const missing = fallback === undefined ? '' : fallback;
  if (typeof index !== 'number' && typeof index !== 'string') throw usageError('Fn::Select', usage);
  if (isJsonObject(container)) return own(container, String(index)) ?? missing;
  if (!Array.isArray(container)) throw usageError('Fn::Select', usage);
  if (typeof index === 'string' && index.includes(':')) return slice(container, index);
  const i = typeof index === 'number' ? index : /^\s*-?\d+\s*$/.test(index) ? Number(index) : NaN;
  if (!Number.isInteger(i)) throw valueError('Fn::Select', `index ${JSON.stringify(index)} is not an integer`);
  const item = container[i < 0 ? container.length + i : i];
  return item === undefined ? missing : item;
};

// The "Fn::Join" page says it combines only strings, yet published templates join Number
// parameters (ports, sizes, counts) and the cloud accepts them: numbers and booleans are written
// in their literal form, as Fn::Sub writes them. Lists and maps are refused.
const join: PureFunction = (args) => {
  const [delimiter, items] = list('Fn::Join', args, '[delimiter, [string1, string2, ...]]', 2);
  if (typeof delimiter !== 'string' || !Array.isArray(items)) {
    throw usageError('Fn::Join', '[delimiter, [string1, string2, ...]]');
  }
  return items
    .map((item) => {
      if (item === null) return '';
      if (typeof item === 'object') throw valueError('Fn::Join', `items to join must be strings or numbers, got ${JSON.stringify(item)}`);
      return String(item);
    })
    .join(delimiter);
};

const split: PureFunction = (args) => {
  const [delimiter, text] = list('Fn::Split', args, '[delimiter, original_string]', 2);
  if (typeof delimiter !== 'string' || delimiter === '' || typeof text !== 'string') {
    throw usageError('Fn::Split', '[delimiter, original_string]');
  }
  return text.split(delimiter);
};

const replace: PureFunction = (args) => {
  const [replacements, text] = list('Fn::Replace', args, '[{"old": "new", ...}, string]', 2);
  if (!isJsonObject(replacements) || typeof text !== 'string') throw usageError('Fn::Replace', '[{"old": "new", ...}, string]');
  let out = text;
  for (const [from, to] of Object.entries(replacements)) {
    if (typeof to !== 'string' && typeof to !== 'number') throw valueError('Fn::Replace', `replacement for "${from}" must be a string`);
    out = out.split(from).join(String(to));
  }
  return out;
};

const base64Encode: PureFunction = (args) => {
  if (typeof args !== 'string') throw usageError('Fn::Base64Encode', 'String');
  return Buffer.from(args, 'utf8').toString('base64');
};

const base64Decode: PureFunction = (args) => {
  if (typeof args !== 'string') throw usageError('Fn::Base64Decode', 'String');
  return Buffer.from(args, 'base64').toString('utf8');
};

const str: PureFunction = (args) => {
  if (typeof args === 'string' || typeof args === 'number' || typeof args === 'boolean') return String(args);
  throw usageError('Fn::Str', 'Number');
};

// localros has no zone catalogue: every region gets the zones "<region>-a" to "<region>-c".
// An empty argument means the stack's own region.
export const ZONE_SUFFIXES = ['a', 'b', 'c'] as const;
const getAZs: PureFunction = (args, env) => {
  if (typeof args !== 'string') throw usageError('Fn::GetAZs', 'region');
  const region = args === '' ? env.region : args;
  return ZONE_SUFFIXES.map((suffix) => `${region}-${suffix}`);
};

const length: PureFunction = (args) => {
  if (typeof args === 'string') return [...args].length;
  if (Array.isArray(args)) return args.length;
  if (isJsonObject(args)) return Object.keys(args).length;
  throw usageError('Fn::Length', 'String, List or Map');
};

// Missing items give an empty string ("Fn::Index" page).
const index: PureFunction = (args) => {
  const [item, items] = list('Fn::Index', args, '[item_to_find_index, [item1, item2, ...]]', 2);
  if (!Array.isArray(items)) throw usageError('Fn::Index', '[item_to_find_index, [item1, item2, ...]]');
  const found = items.findIndex((candidate) => deepEqual(candidate, item!));
  return found < 0 ? '' : found;
};

const listMerge: PureFunction = (args) => {
  const lists = list('Fn::ListMerge', args, '[[list_1_item_1, ...], [list_2_item_1, ...], ...]');
  if (!lists.every(Array.isArray)) throw usageError('Fn::ListMerge', '[[list_1_item_1, ...], [list_2_item_1, ...], ...]');
  return (lists as JsonValue[][]).flat(1);
};

// The result is as long as the longest list; shorter lists repeat their last item
// ("Fn::MergeMapToList" page).
const mergeMapToList: PureFunction = (args) => {
  const usage = '[{"key_1": [item, ...]}, {"key_2": [item, ...]}, ...]';
  const maps = list('Fn::MergeMapToList', args, usage);
  const columns: Array<[string, JsonValue[]]> = [];
  for (const map of maps) {
    if (!isJsonObject(map)) throw usageError('Fn::MergeMapToList', usage);
    for (const [key, values] of Object.entries(map)) {
      if (!Array.isArray(values)) throw valueError('Fn::MergeMapToList', `the value of "${key}" must be a list`);
      if (values.length > 0) columns.push([key, values]);
    }
  }
  const rows = Math.max(0, ...columns.map(([, values]) => values.length));
  return Array.from({ length: rows }, (_, i) => {
    const row: JsonObject = {};
    for (const [key, values] of columns) setKey(row, key, values[Math.min(i, values.length - 1)]!);
    return row;
  });
};

const getJsonValue: PureFunction = (args) => {
  const [key, source] = list('Fn::GetJsonValue', args, '[key, json_string]', 2);
  if (typeof key !== 'string') throw usageError('Fn::GetJsonValue', '[key, json_string]');
  let parsed: JsonValue = source!;
  if (typeof source === 'string') {
    try {
      parsed = JSON.parse(source) as JsonValue;
    } catch {
      throw valueError('Fn::GetJsonValue', 'the second argument is not a JSON string');
    }
  }
  if (!isJsonObject(parsed)) throw valueError('Fn::GetJsonValue', 'the JSON value is not an object');
  const value = own(parsed, key);
  if (value === undefined) throw valueError('Fn::GetJsonValue', `key "${key}" not found`);
  return value;
};

// Numbers are summed, lists concatenated, maps merged with later keys winning ("Fn::Add" page).
const add: PureFunction = (args) => {
  const items = list('Fn::Add', args, '[value1, value2, ...]');
  if (items.length < 2) throw usageError('Fn::Add', '[value1, value2, ...] with at least two values');
  if (items.every((v) => typeof v === 'number')) return (items as number[]).reduce((a, b) => a + b, 0);
  if (items.every(Array.isArray)) return (items as JsonValue[][]).flat(1);
  if (items.every(isJsonObject)) return Object.fromEntries((items as JsonObject[]).flatMap((item) => Object.entries(item)));
  throw valueError('Fn::Add', 'all values must be numbers, lists or maps of the same type');
};

const numbers = (name: string, args: JsonValue): number[] =>
  list(name, args, '[number1, number2, ...]').map((v) => toNumber(name, v));

const max: PureFunction = (args) => Math.max(...numbers('Fn::Max', args));
const min: PureFunction = (args) => Math.min(...numbers('Fn::Min', args));

const avg: PureFunction = (args) => {
  const [digits, values] = list('Fn::Avg', args, '[ndigits, [number1, number2, ...]]', 2);
  if (!Number.isInteger(digits) || !Array.isArray(values) || values.length === 0) {
    throw usageError('Fn::Avg', '[ndigits, [number1, number2, ...]]');
  }
  const nums = values.map((v) => toNumber('Fn::Avg', v));
  return Number((nums.reduce((a, b) => a + b, 0) / nums.length).toFixed(digits as number));
};

const selectMapList: PureFunction = (args) => {
  const [key, maps] = list('Fn::SelectMapList', args, '[key, [{...}, {...}, ...]]', 2);
  if (typeof key !== 'string' || !Array.isArray(maps)) throw usageError('Fn::SelectMapList', '[key, [{...}, {...}, ...]]');
  return maps.flatMap((m) => {
    const value = isJsonObject(m) ? own(m, key) : undefined;
    return value === undefined ? [] : [value];
  });
};

const contains: PureFunction = (args) => {
  const [items, value] = list('Fn::Contains', args, '[[value1, value2, ...], value]', 2);
  if (!Array.isArray(items)) throw usageError('Fn::Contains', '[[value1, value2, ...], value]');
  return items.some((item) => deepEqual(item, value!));
};

const eachMemberIn: PureFunction = (args) => {
  const [members, allowed] = list('Fn::EachMemberIn', args, '[[values_to_check], [values_to_match]]', 2);
  if (!Array.isArray(members) || !Array.isArray(allowed)) {
    throw usageError('Fn::EachMemberIn', '[[values_to_check], [values_to_match]]');
  }
  return members.every((m) => allowed.some((a) => deepEqual(a, m)));
};

const equals: PureFunction = (args) => {
  const [a, b] = list('Fn::Equals', args, '[value_1, value_2]', 2);
  return deepEqual(a!, b!);
};

// The whole value must match, in the dialect and on the engine of AllowedPattern (pattern.ts); a
// pattern that is not a regular expression is a template error ("Fn::MatchPattern" page:
// [pattern, value] -> true or false).
const matchPattern: PureFunction = (args) => {
  const [pattern, value] = list('Fn::MatchPattern', args, '[pattern, value]', 2);
  if (typeof pattern !== 'string' || typeof value !== 'string') throw usageError('Fn::MatchPattern', '[pattern, value]');
  try {
    return compileRegex(pattern).matches(value);
  } catch (err) {
    if (!(err instanceof PatternSyntaxError)) throw err;
    throw valueError('Fn::MatchPattern', `${JSON.stringify(pattern)} ${err.message}`);
  }
};

// [String, Level (0-20), Size (0-4, default 2), IndentFirstLine (default true)]: every line gains
// Level x Size spaces ("Fn::Indent" page); empty lines stay empty.
const indent: PureFunction = (args) => {
  const usage = '[String, Level, Size, IndentFirstLine]';
  if (!Array.isArray(args) || args.length < 2 || args.length > 4) throw usageError('Fn::Indent', usage);
  const [text, level, size = 2, indentFirst = true] = args as [JsonValue, JsonValue, JsonValue?, JsonValue?];
  if (typeof text !== 'string') throw usageError('Fn::Indent', usage);
  const levels = toNumber('Fn::Indent', level);
  const width = toNumber('Fn::Indent', size);
  if (!Number.isInteger(levels) || levels < 0 || levels > 20) throw valueError('Fn::Indent', `Level must be an integer from 0 to 20, got ${JSON.stringify(level)}`);
  if (!Number.isInteger(width) || width < 0 || width > 4) throw valueError('Fn::Indent', `Size must be an integer from 0 to 4, got ${JSON.stringify(size)}`);
  const first = typeof indentFirst === 'string' ? indentFirst.toLowerCase() !== 'false' : indentFirst !== false;
  const pad = ' '.repeat(levels * width);
  return text
    .split('\n')
    .map((line, i) => (line === '' || (i === 0 && !first) ? line : pad + line))
    .join('\n');
};

// Heat's Fn::MemberListToMap, which ROS keeps: [keyName, valueName, [".member.N.<keyName>=k",
// ".member.N.<valueName>=v", ...]] -> {k: v, ...}; members without a key are left out.
const memberListToMap: PureFunction = (args) => {
  const usage = '[key_name, value_name, [".member.0.key_name=key", ".member.0.value_name=value", ...]]';
  const [keyName, valueName, members] = list('Fn::MemberListToMap', args, usage, 3);
  if (typeof keyName !== 'string' || typeof valueName !== 'string' || !Array.isArray(members)) throw usageError('Fn::MemberListToMap', usage);
  const byIndex = new Map<string, Record<string, string>>();
  for (const member of members) {
    const m = typeof member === 'string' ? /^\.?member\.([^.=]+)\.([^=]+)=(.*)$/s.exec(member) : null;
    if (!m) throw valueError('Fn::MemberListToMap', `${JSON.stringify(member)} is not of the form ".member.N.Name=value"`);
    const fields = byIndex.get(m[1]!) ?? {};
    setKey(fields, m[2]!, m[3]!);
    byIndex.set(m[1]!, fields);
  }
  const out: JsonObject = {};
  for (const fields of byIndex.values()) {
    const key = own(fields, keyName);
    if (key !== undefined) setKey(out, key, own(fields, valueName) ?? null);
  }
  return out;
};

export const PURE_FUNCTIONS: Readonly<Record<string, PureFunction>> = {
  'Fn::Select': select,
  'Fn::Join': join,
  'Fn::Split': split,
  'Fn::Replace': replace,
  'Fn::Base64Encode': base64Encode,
  'Fn::Base64Decode': base64Decode,
  'Fn::Str': str,
  'Fn::GetAZs': getAZs,
  'Fn::Length': length,
  'Fn::Index': index,
  'Fn::ListMerge': listMerge,
  'Fn::MergeMapToList': mergeMapToList,
  'Fn::GetJsonValue': getJsonValue,
  'Fn::Add': add,
  'Fn::Max': max,
  'Fn::Min': min,
  'Fn::Avg': avg,
  'Fn::SelectMapList': selectMapList,
  'Fn::Contains': contains,
  'Fn::EachMemberIn': eachMemberIn,
  'Fn::Equals': equals,
  'Fn::MatchPattern': matchPattern,
  'Fn::Indent': indent,
  'Fn::MemberListToMap': memberListToMap,
  'Fn::Calculate': calculate,
  'Fn::Cidr': cidr,
  'Fn::Jq': (args) => jqFunction(args),
  'Fn::FormatTime': (args, env) => formatTime(args, env.now()),
};
