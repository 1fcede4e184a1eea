// Recognising intrinsic function calls and the pieces of Fn::Sub strings. The function list is
// the ROS "Function index" page.
import { ApiError } from '../../protocol/errors.ts';
import type { JsonObject, JsonValue } from './types.ts';

export const SUPPORTED_FUNCTIONS: ReadonlySet<string> = new Set([
  'Ref', 'Fn::GetAtt', 'Fn::Join', 'Fn::Sub', 'Fn::Select', 'Fn::Split', 'Fn::If', 'Fn::Equals',
  'Fn::And', 'Fn::Or', 'Fn::Not', 'Fn::FindInMap', 'Fn::Base64Encode', 'Fn::Base64Decode',
  'Fn::Replace', 'Fn::Str', 'Fn::GetAZs', 'Fn::Length', 'Fn::Index', 'Fn::ListMerge',
  'Fn::MergeMapToList', 'Fn::GetJsonValue', 'Fn::Add', 'Fn::Max', 'Fn::Min', 'Fn::Avg',
  'Fn::SelectMapList', 'Fn::Contains', 'Fn::EachMemberIn', 'Fn::Any', 'Fn::Calculate',
  'Fn::GetStackOutput', 'Fn::Jq', 'Fn::FormatTime', 'Fn::MatchPattern', 'Fn::Indent', 'Fn::Cidr',
  'Fn::MemberListToMap',
]);

// Documented by ROS but not emulated: it needs the cloud's image marketplace.
export const UNSUPPORTED_FUNCTIONS: ReadonlySet<string> = new Set(['Fn::MarketplaceImage']);

export interface Intrinsic {
  name: string;
  args: JsonValue;
}

// A call is an object with exactly one key that is `Ref` or starts with `Fn::`. In condition
// contexts `{ "Condition": "Name" }` is a call as well; elsewhere it is an ordinary property
// (RAM policy statements have a `Condition` key).
export function intrinsicOf(value: JsonObject, conditionContext = false): Intrinsic | undefined {
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const name = keys[0]!;
  if (name === 'Ref' || name.startsWith('Fn::') || (conditionContext && name === 'Condition')) {
    return { name, args: value[name]! };
  }
  return undefined;
}

export function checkFunctionKnown(name: string, where: string): void {
  if (SUPPORTED_FUNCTIONS.has(name) || name === 'Condition') return;
  if (UNSUPPORTED_FUNCTIONS.has(name)) throw new ApiError('NotSupported', { feature: `The function ${name} (in ${where})` });
  throw new ApiError('InvalidTemplate', { reason: `Unknown function "${name}" (in ${where})` });
}

export type SubPart = { literal: string } | { variable: string };

// "${Name}" is a variable, "${!Literal}" stands for the text "${Literal}" ("Fn::Sub" page).
export function parseSub(text: string): SubPart[] {
  const parts: SubPart[] = [];
  const pattern = /\$\{([^}]*)\}/g;
  let last = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m.index > last) parts.push({ literal: text.slice(last, m.index) });
    const inner = m[1]!;
    parts.push(inner.startsWith('!') ? { literal: `\${${inner.slice(1)}}` } : { variable: inner.trim() });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ literal: text.slice(last) });
  return parts;
}

// A `${Res.Attr}` variable names an attribute; the split is at the last dot, as for `!GetAtt`.
export function splitAttributeVariable(variable: string): [string, string] | undefined {
  const dot = variable.lastIndexOf('.');
  return dot > 0 ? [variable.slice(0, dot), variable.slice(dot + 1)] : undefined;
}

export function getAttArgs(args: JsonValue): [string, string] | undefined {
  if (typeof args === 'string') return splitAttributeVariable(args);
  if (Array.isArray(args) && args.length === 2 && typeof args[0] === 'string' && typeof args[1] === 'string') {
    return [args[0], args[1]];
  }
  return undefined;
}

export function usageError(name: string, usage: string): ApiError {
  return new ApiError('InvalidTemplate', { reason: `Arguments to "${name}" must be of the form ${usage}` });
}
