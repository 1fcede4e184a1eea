// Small JSON helpers shared by the evaluator and the diff.
import { isJsonObject, type JsonValue } from './types.ts';

// Key order does not matter for equality, so objects are serialised with sorted keys.
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k]!)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function deepEqual(a: JsonValue, b: JsonValue): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

// How a value is written into a string (Fn::Sub, parameter views): strings as they are,
// scalars in their literal form, collections as JSON.
export function stringifyValue(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

// A localised text (`Description: {en: "...", zh-cn: "..."}`, common in published templates) read
// as one string wherever the API answers a string: English, else Simplified Chinese, else the
// first string it holds (keys compared case-insensitively). The ROS API has no language parameter
// for template answers, so this rule is ours (docs/fidelity.md).
const LANGUAGE_ORDER = ['en', 'zh-cn'];

export function plainText(value: JsonValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (isJsonObject(value)) {
    const texts = Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
    for (const language of LANGUAGE_ORDER) {
      const found = texts.find(([key]) => key.toLowerCase() === language);
      if (found) return found[1];
    }
    return texts.length > 0 ? texts[0]![1] : JSON.stringify(value);
  }
  return stringifyValue(value);
}

// Error templates end with their own full stop ("{reason}."), so user texts lose theirs.
export function sentence(text: string): string {
  return text.replace(/\.\s*$/, '');
}

// Template keys are user input: a key named "__proto__" must become a property, which plain
// assignment would not do. Any other key is assigned: defining each property made planning and
// simulating a 3,000-resource stack ~1.6× slower in this function (issue 18).
export function setKey<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

// Lookup by a name taken from the template or an API call: inherited members such as
// "constructor" are not entries.
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

// Whether a value nests deeper than `max` levels, found without recursion: every walker over
// template values recurses, so depth is bounded on the way in (templates, Json parameters).
export function nestedDeeperThan(root: unknown, max: number): boolean {
  const pending: Array<[unknown, number]> = [[root, 1]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(value)) if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
  }
  return false;
}
