// Count preprocessing ("Resources" page, Count): a resource with `Count: n` becomes resources
// `A[0]` ... `A[n-1]`; ALIYUN::Index in its Properties becomes the copy's index; DependsOn, Ref and
// Fn::GetAtt naming `A` become lists over the copies. At most the resource limit may result
// (limits.ts), checked before any copy is made.
import { ApiError } from '../../protocol/errors.ts';
import { getAttArgs, intrinsicOf } from './intrinsics.ts';
import { setKey } from './json.ts';
import { dependsOnList } from './dependencies.ts';
import { countOf, resourceLimit, tooManyResources, type CountContext } from './limits.ts';
import { isJsonObject, type JsonObject, type JsonValue, type ResourceDef, type Template } from './types.ts';

function substituteIndex(value: JsonValue, index: number): JsonValue {
  if (Array.isArray(value)) return value.map((v) => substituteIndex(v, index));
  if (!isJsonObject(value)) return value;
  const call = intrinsicOf(value);
  if (call?.name === 'Ref' && call.args === 'ALIYUN::Index') return index;
  if (call?.name === 'Fn::Sub') {
    const replace = (text: JsonValue): JsonValue => (typeof text === 'string' ? text.split('${ALIYUN::Index}').join(String(index)) : substituteIndex(text, index));
    return { 'Fn::Sub': Array.isArray(call.args) ? call.args.map(replace) : replace(call.args) };
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteIndex(v, index)]));
}

function rewriteReferences(value: JsonValue, copies: ReadonlyMap<string, string[]>): JsonValue {
  if (Array.isArray(value)) return value.map((v) => rewriteReferences(v, copies));
  if (!isJsonObject(value)) return value;
  const call = intrinsicOf(value);
  if (call?.name === 'Ref' && typeof call.args === 'string' && copies.has(call.args)) {
    return copies.get(call.args)!.map((name) => ({ Ref: name }));
  }
  if (call?.name === 'Fn::GetAtt') {
    const pair = getAttArgs(call.args);
    if (pair && copies.has(pair[0])) return copies.get(pair[0])!.map((name) => ({ 'Fn::GetAtt': [name, pair[1]] }));
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteReferences(v, copies)]));
}

function rewriteResource(def: ResourceDef, copies: ReadonlyMap<string, string[]>): ResourceDef {
  const out: ResourceDef = { ...def };
  if (def.Properties) out.Properties = rewriteReferences(def.Properties, copies) as JsonObject;
  if (def.DependsOn !== undefined) out.DependsOn = dependsOnList(def).flatMap((dep) => copies.get(dep) ?? [dep]);
  return out;
}

export function expandCount(template: Template, ctx: CountContext): Template {
  const counted = Object.entries(template.Resources).filter(([, def]) => def.Count !== undefined);
  if (counted.length === 0) return template;

  const copies = new Map<string, string[]>();
  const limit = resourceLimit(template);
  let total = Object.keys(template.Resources).length - counted.length;
  for (const [logicalId, def] of counted) {
    const count = countOf(logicalId, def, ctx);
    total += count;
    if (total > limit) throw tooManyResources(limit);
    const names = Array.from({ length: count }, (_, i) => `${logicalId}[${i}]`);
    const clash = names.find((name) => Object.hasOwn(template.Resources, name));
    if (clash) throw new ApiError('InvalidTemplate', { reason: `The resource ${clash} created by Count already exists` });
    copies.set(logicalId, names);
  }

  const resources: Record<string, ResourceDef> = {};
  for (const [logicalId, def] of Object.entries(template.Resources)) {
    const names = copies.get(logicalId);
    if (!names) {
      setKey(resources, logicalId, rewriteResource(def, copies));
      continue;
    }
    names.forEach((name, index) => {
      const { Count: _count, ...rest } = def;
      const copy: ResourceDef = def.Properties ? { ...rest, Properties: substituteIndex(def.Properties, index) as JsonObject } : rest;
      setKey(resources, name, rewriteResource(copy, copies));
    });
  }
  const outputs = Object.fromEntries(
    Object.entries(template.Outputs).map(([key, output]) => [key, { ...output, Value: rewriteReferences(output.Value, copies) }]),
  );
  const locals = Object.fromEntries(
    Object.entries(template.Locals).map(([key, local]) => [key, local.Value === undefined ? local : { ...local, Value: rewriteReferences(local.Value, copies) }]),
  );
  return { ...template, Resources: resources, Outputs: outputs, Locals: locals };
}
