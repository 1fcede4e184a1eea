// Static walk over an expression: which names it refers to (parameters, resources, attributes,
// conditions, mappings) and which functions it calls. Used for validation and for the
// dependency graph; evaluate.ts does the dynamic part.
import { ApiError } from '../../protocol/errors.ts';
import { getAttArgs, intrinsicOf, parseSub, splitAttributeVariable, usageError } from './intrinsics.ts';
import { isJsonObject, type JsonValue } from './types.ts';

export type Reference =
  // fromSub: a `${Name}` variable of Fn::Sub rather than a Ref call.
  | { kind: 'Ref'; name: string; fromSub?: boolean }
  | { kind: 'GetAtt'; resource: string; attribute: string }
  | { kind: 'Condition'; name: string }
  | { kind: 'Mapping'; name: string }
  | { kind: 'Function'; name: string };

export interface WalkOptions {
  // Inside the Conditions and Rules sections `{ "Condition": "X" }` is a call.
  conditionContext?: boolean;
  // When condition values are known, only the taken branch of Fn::If is followed.
  conditions?: Record<string, boolean>;
}

// Fn::And / Fn::Or / Fn::Not take condition names as plain strings ("Conditions" page example:
// `"Fn::Or": ["DevEnv", "UTEnv"]`).
function conditionOperand(value: JsonValue, out: Reference[], options: WalkOptions): void {
  if (typeof value === 'string') out.push({ kind: 'Condition', name: value });
  else if (isJsonObject(value) && Object.keys(value).length === 1 && typeof value.Condition === 'string') {
    out.push({ kind: 'Condition', name: value.Condition });
  } else walk(value, out, options);
}

function walkSub(args: JsonValue, out: Reference[], options: WalkOptions): void {
  let text: JsonValue = args;
  let variables: Record<string, JsonValue> = {};
  if (Array.isArray(args)) {
    if (args.length !== 2 || typeof args[0] !== 'string' || !isJsonObject(args[1])) {
      throw usageError('Fn::Sub', 'String or [String, {VarName: VarValue, ...}]');
    }
    text = args[0];
    variables = args[1];
    walk(variables, out, options);
  }
  if (typeof text !== 'string') throw usageError('Fn::Sub', 'String or [String, {VarName: VarValue, ...}]');
  for (const part of parseSub(text)) {
    if (!('variable' in part) || part.variable in variables) continue;
    const attr = splitAttributeVariable(part.variable);
    out.push(attr ? { kind: 'GetAtt', resource: attr[0], attribute: attr[1] } : { kind: 'Ref', name: part.variable, fromSub: true });
  }
}

function walkCall(name: string, args: JsonValue, out: Reference[], options: WalkOptions): void {
  out.push({ kind: 'Function', name });
  switch (name) {
    case 'Ref':
      // "When you use the Ref function, you cannot use other functions in it" ("Ref" page).
      if (typeof args !== 'string') throw usageError('Ref', 'String');
      out.push({ kind: 'Ref', name: args });
      return;
    case 'Condition':
      if (typeof args !== 'string') throw usageError('Condition', 'String');
      out.push({ kind: 'Condition', name: args });
      return;
    case 'Fn::GetAtt': {
      const pair = getAttArgs(args);
      if (!pair) throw usageError('Fn::GetAtt', '[resourceID, attributeName]');
      out.push({ kind: 'GetAtt', resource: pair[0], attribute: pair[1] });
      return;
    }
    case 'Fn::Sub':
      walkSub(args, out, options);
      return;
    case 'Fn::If': {
      if (!Array.isArray(args) || args.length !== 3 || typeof args[0] !== 'string') {
        throw usageError('Fn::If', '[condition_name, value_if_true, value_if_false]');
      }
      out.push({ kind: 'Condition', name: args[0] });
      const known = options.conditions?.[args[0]];
      if (known === undefined || known) walk(args[1]!, out, options);
      if (known === undefined || !known) walk(args[2]!, out, options);
      return;
    }
    case 'Fn::And':
    case 'Fn::Or':
    case 'Fn::Not':
      for (const operand of Array.isArray(args) ? args : [args]) conditionOperand(operand, out, options);
      return;
    case 'Fn::FindInMap':
      if (Array.isArray(args) && typeof args[0] === 'string') out.push({ kind: 'Mapping', name: args[0] });
      walk(args, out, options);
      return;
    default:
      walk(args, out, options);
  }
}

function walk(value: JsonValue, out: Reference[], options: WalkOptions): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, out, options);
  } else if (isJsonObject(value)) {
    const call = intrinsicOf(value, options.conditionContext);
    if (call) walkCall(call.name, call.args, out, options);
    else for (const item of Object.values(value)) walk(item, out, options);
  }
}

export function collectReferences(value: JsonValue, options: WalkOptions = {}): Reference[] {
  const out: Reference[] = [];
  walk(value, out, options);
  return out;
}

export function referencedNames(value: JsonValue, options: WalkOptions = {}): Set<string> {
  const names = new Set<string>();
  for (const ref of collectReferences(value, options)) {
    if (ref.kind === 'Ref') names.add(ref.name);
    else if (ref.kind === 'GetAtt') names.add(ref.resource);
  }
  return names;
}

export function invalidReference(name: string, referencer: string): ApiError {
  return new ApiError('InvalidTemplateReference', { name, referencer });
}
