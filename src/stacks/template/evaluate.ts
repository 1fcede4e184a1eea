// Evaluates template expressions: walks values, calls intrinsic functions, resolves names
// (parameters, pseudo parameters, locals, resources, conditions, mappings).
import { ApiError } from '../../protocol/errors.ts';
import { PURE_FUNCTIONS } from './functions.ts';
import { checkFunctionKnown, getAttArgs, intrinsicOf, parseSub, splitAttributeVariable, usageError } from './intrinsics.ts';
import { own, setKey, stringifyValue } from './json.ts';
import { invalidReference } from './references.ts';
import {
  NO_VALUE,
  isJsonObject,
  type Evaluated,
  type JsonObject,
  type JsonValue,
  type PseudoParameters,
  type ResolvedParameters,
  type Template,
} from './types.ts';

// Ref and Fn::GetAtt on resources. `undefined` means the resource has no value yet (not created,
// or its Condition is false).
export interface ResourceResolver {
  ref(logicalId: string): JsonValue | undefined;
  getAtt(logicalId: string, attribute: string): JsonValue | undefined;
}

// The outputs of another stack of the caller for Fn::GetStackOutput, by name or id and region;
// undefined when there is no such stack or it has no readable outputs (deleted, in progress,
// failed to delete). Stacks live in the store, which evaluation does not reach: the caller
// supplies what it has read.
export type StackOutputLookup = (stack: string, regionId: string) => Readonly<Record<string, JsonValue>> | undefined;

export interface EvalContext {
  template: Template;
  parameters: ResolvedParameters;
  pseudo: PseudoParameters;
  conditions: Record<string, boolean>;
  resources?: ResourceResolver;
  // ALIYUN::Index inside a resource expanded by Count.
  index?: number;
  // Who is evaluating, for error messages: a logical resource id, `Outputs.X`, `Conditions.X`.
  where: string;
  // The clock of Fn::FormatTime; the real one when absent.
  now?: () => Date;
  // Without it every Fn::GetStackOutput answers "" (no such stack).
  stackOutputs?: StackOutputLookup;
}

function pseudoValue(name: string, ctx: EvalContext): Evaluated | undefined {
  switch (name) {
    case 'ALIYUN::StackName':
      return ctx.pseudo.StackName;
    case 'ALIYUN::StackId':
      return ctx.pseudo.StackId;
    case 'ALIYUN::Region':
      return ctx.pseudo.Region;
    case 'ALIYUN::AccountId':
      return ctx.pseudo.AccountId;
    case 'ALIYUN::TenantId':
      return ctx.pseudo.TenantId ?? ctx.pseudo.AccountId;
    case 'ALIYUN::ResourceGroupId':
      return ctx.pseudo.ResourceGroupId ?? '';
    case 'ALIYUN::NoValue':
      return NO_VALUE;
    case 'ALIYUN::Index':
      // "ALIYUN::Index cannot be used in other parts of a template" ("Resources" page, Count).
      if (ctx.index === undefined) {
        throw new ApiError('InvalidTemplate', { reason: `ALIYUN::Index can only be used in the Properties of a resource with Count (in ${ctx.where})` });
      }
      return ctx.index;
    default:
      return undefined;
  }
}

function ref(name: string, ctx: EvalContext): Evaluated {
  const pseudo = pseudoValue(name, ctx);
  if (pseudo !== undefined) return pseudo;
  if (Object.hasOwn(ctx.parameters, name)) return ctx.parameters[name]!;
  const local = own(ctx.template.Locals, name);
  if (local) return evaluate(local.Value ?? null, ctx);
  if (Object.hasOwn(ctx.template.Resources, name)) {
    const value = ctx.resources?.ref(name);
    if (value !== undefined) return value;
  }
  throw invalidReference(name, ctx.where);
}

function getAtt(resource: string, attribute: string, ctx: EvalContext): JsonValue {
  if (!Object.hasOwn(ctx.template.Resources, resource)) throw invalidReference(resource, ctx.where);
  const value = ctx.resources?.getAtt(resource, attribute);
  if (value === undefined) throw invalidReference(resource, ctx.where);
  return value;
}

function sub(args: JsonValue, ctx: EvalContext): string {
  const usage = 'String or [String, {VarName: VarValue, ...}]';
  let text = args;
  let variables: JsonObject = {};
  if (Array.isArray(args)) {
    if (args.length !== 2 || !isJsonObject(args[1])) throw usageError('Fn::Sub', usage);
    text = args[0]!;
    variables = evaluateObject(args[1], ctx);
  }
  if (typeof text !== 'string') throw usageError('Fn::Sub', usage);
  return parseSub(text)
    .map((part) => {
      if ('literal' in part) return part.literal;
      if (Object.hasOwn(variables, part.variable)) return stringifyValue(variables[part.variable]!);
      const attr = splitAttributeVariable(part.variable);
      const value = attr ? getAtt(attr[0], attr[1], ctx) : ref(part.variable, ctx);
      return value === NO_VALUE ? '' : stringifyValue(value);
    })
    .join('');
}

function findInMap(args: JsonValue, ctx: EvalContext): JsonValue {
  const usage = '[MapName, TopLevelKey, SecondLevelKey]';
  if (!Array.isArray(args) || args.length !== 3) throw usageError('Fn::FindInMap', usage);
  const [mapName, top, second] = args.map((a) => evaluateValue(a, ctx));
  const isKey = (v: JsonValue | undefined): v is string | number => typeof v === 'string' || typeof v === 'number';
  if (typeof mapName !== 'string' || !isKey(top) || !isKey(second)) throw usageError('Fn::FindInMap', usage);
  const mapping = own(ctx.template.Mappings, mapName);
  if (!mapping) throw invalidReference(mapName, ctx.where);
  const level = own(mapping, String(top));
  const value = level && own(level, String(second));
  if (value === undefined) {
    throw new ApiError('InvalidTemplate', { reason: `"Fn::FindInMap": key "${top}/${second}" not found in mapping "${mapName}"` });
  }
  return value;
}

// [Stack, OutputName, RegionId?] -> the output's value, or "" when an argument is empty, the
// stack is missing, deleted, in progress or failed to delete, or has no such output
// ("Fn::GetStackOutput" page). A stack cannot read its own outputs (the page's limits).
function getStackOutput(args: JsonValue, ctx: EvalContext): JsonValue {
  const usage = '[Stack, OutputName, RegionId]';
  if (!Array.isArray(args) || args.length < 2 || args.length > 3) throw usageError('Fn::GetStackOutput', usage);
  const [stack, output, region = ctx.pseudo.Region] = args.map((a) => evaluateValue(a, ctx)) as [JsonValue, JsonValue, JsonValue?];
  if (typeof stack !== 'string' || typeof output !== 'string' || typeof region !== 'string') throw usageError('Fn::GetStackOutput', usage);
  if (stack === '' || output === '' || region === '') return '';
  if (region === ctx.pseudo.Region && (stack === ctx.pseudo.StackId || stack === ctx.pseudo.StackName)) {
    throw new ApiError('InvalidTemplate', { reason: `"Fn::GetStackOutput": a stack cannot reference its own outputs (in ${ctx.where})` });
  }
  const outputs = ctx.stackOutputs?.(stack, region);
  return (outputs && own(outputs, output)) ?? '';
}

function conditionNamed(name: string, ctx: EvalContext): boolean {
  const value = own(ctx.conditions, name);
  if (value === undefined) throw invalidReference(name, ctx.where);
  return value;
}

// Operands of Fn::And / Fn::Or / Fn::Not / Fn::Any: a condition name, `{Condition: name}` or an
// expression that evaluates to a boolean.
function conditionOperand(fn: string, value: JsonValue, ctx: EvalContext): boolean {
  if (typeof value === 'string') return conditionNamed(value, ctx);
  if (isJsonObject(value) && Object.keys(value).length === 1 && typeof value.Condition === 'string') {
    return conditionNamed(value.Condition, ctx);
  }
  const result = evaluate(value, ctx);
  if (typeof result !== 'boolean') {
    throw new ApiError('InvalidTemplate', { reason: `"${fn}": operands must be conditions or booleans, got ${JSON.stringify(result)}` });
  }
  return result;
}

// Fn::And and Fn::Or "must contain at least two conditions" ("Functions" page).
function logical(fn: string, args: JsonValue, ctx: EvalContext): boolean {
  const minimum = fn === 'Fn::Any' ? 1 : 2;
  if (!Array.isArray(args) || args.length < minimum) throw usageError(fn, `[condition, condition, ...] with at least ${minimum} conditions`);
  const values = args.map((a) => conditionOperand(fn, a, ctx));
  return fn === 'Fn::And' ? values.every(Boolean) : values.some(Boolean);
}

function call(name: string, args: JsonValue, ctx: EvalContext): Evaluated {
  checkFunctionKnown(name, ctx.where);
  switch (name) {
    case 'Ref':
      if (typeof args !== 'string') throw usageError('Ref', 'String');
      return ref(args, ctx);
    case 'Condition':
      if (typeof args !== 'string') throw usageError('Condition', 'String');
      return conditionNamed(args, ctx);
    case 'Fn::GetAtt': {
      const pair = getAttArgs(args);
      if (!pair) throw usageError('Fn::GetAtt', '[resourceID, attributeName]');
      return getAtt(pair[0], pair[1], ctx);
    }
    case 'Fn::Sub':
      return sub(args, ctx);
    case 'Fn::FindInMap':
      return findInMap(args, ctx);
    case 'Fn::GetStackOutput':
      return getStackOutput(args, ctx);
    case 'Fn::If': {
      if (!Array.isArray(args) || args.length !== 3 || typeof args[0] !== 'string') {
        throw usageError('Fn::If', '[condition_name, value_if_true, value_if_false]');
      }
      return evaluate(conditionNamed(args[0], ctx) ? args[1]! : args[2]!, ctx);
    }
    case 'Fn::And':
    case 'Fn::Or':
    case 'Fn::Any':
      return logical(name, args, ctx);
    case 'Fn::Not': {
      const operands = Array.isArray(args) ? args : [args];
      if (operands.length !== 1) throw usageError('Fn::Not', 'condition');
      return !conditionOperand(name, operands[0]!, ctx);
    }
    default:
      return PURE_FUNCTIONS[name]!(evaluateValue(args, ctx), { region: ctx.pseudo.Region, now: ctx.now ?? (() => new Date()) });
  }
}

function evaluateObject(value: JsonObject, ctx: EvalContext): JsonObject {
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    const result = evaluate(item, ctx);
    if (result !== NO_VALUE) setKey(out, key, result);
  }
  return out;
}

export function evaluate(value: JsonValue, ctx: EvalContext, conditionContext = false): Evaluated {
  if (Array.isArray(value)) {
    return value.map((item) => evaluate(item, ctx)).filter((item): item is JsonValue => item !== NO_VALUE);
  }
  if (!isJsonObject(value)) return value;
  const intrinsic = intrinsicOf(value, conditionContext);
  return intrinsic ? call(intrinsic.name, intrinsic.args, ctx) : evaluateObject(value, ctx);
}

// A top-level ALIYUN::NoValue has nothing to be removed from, so it reads as null.
export function evaluateValue(value: JsonValue, ctx: EvalContext): JsonValue {
  const result = evaluate(value, ctx);
  return result === NO_VALUE ? null : result;
}

export function evaluateCondition(value: JsonValue, ctx: EvalContext): boolean {
  const result = typeof value === 'string' ? conditionNamed(value, ctx) : evaluate(value, ctx, true);
  if (typeof result !== 'boolean') {
    throw new ApiError('InvalidTemplate', { reason: `The condition (in ${ctx.where}) does not evaluate to a boolean` });
  }
  return result;
}
