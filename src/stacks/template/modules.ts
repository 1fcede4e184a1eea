// MODULE resources (ROS "Use a module"): a resource whose Type is a registered module, with the
// module Version (`v<N>` or `default`), is replaced by the module's resources before the template
// is validated. Each module resource becomes `<ModuleLogicalId><ResourceLogicalId>`; the module's
// Parameters take their values from the resource's Properties (or their Default); its Conditions
// and Mappings are prefixed the same way; `Fn::GetAtt: [<Module>, <Output>]` (or
// `${<Module>.<Output>}` in Fn::Sub) in the template is the module output's Value. The
// resource's Condition and DependsOn apply to every resource of the module, and
// `DependsOn: <Module>` means all of them [INF].
import { ApiError } from '../../protocol/errors.ts';
import { typedParameterValue } from './parameter-types.ts';
import { isJsonObject, type JsonObject, type JsonValue, type ResourceDef, type Template } from './types.ts';

export const MODULE_TYPE_PREFIX = 'MODULE::';
export const MODULE_VERSION = /^(?:v[1-9][0-9]*|default)$/;
// Modules may use modules; a chain deeper than this is refused [INF].
const MAX_MODULE_DEPTH = 5;

// The module template registered under `type` at `version`, or undefined when there is none.
export type ModuleLookup = (type: string, version: string) => Promise<Template | undefined>;

const invalid = (reason: string) => new ApiError('InvalidTemplate', { reason });

export const isModuleType = (type: unknown): type is string => typeof type === 'string' && type.startsWith(MODULE_TYPE_PREFIX);

export function hasModules(template: Template): boolean {
  return Object.values(template.Resources).some((def) => isJsonObject(def) && isModuleType(def.Type));
}

interface Names {
  resources: Map<string, string>;
  conditions: Map<string, string>;
  mappings: Map<string, string>;
  parameters: Map<string, JsonValue>;
}

const renamed = (map: Map<string, string>, name: unknown): unknown => (typeof name === 'string' ? (map.get(name) ?? name) : name);

// `${Name}` / `${Name.Attr}` of Fn::Sub: resources renamed, module parameters passed as variables.
function rewriteSub(arg: JsonValue, names: Names): JsonValue {
  const [text, vars] = Array.isArray(arg) ? [arg[0], isJsonObject(arg[1]) ? arg[1] : {}] : [arg, {}];
  if (typeof text !== 'string') return { 'Fn::Sub': rewrite(arg, names) };
  const variables: JsonObject = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, rewrite(v, names)]));
  const body = text.replace(/\$\{([^!}][^}]*)\}/g, (whole, ref: string) => {
    const [head, ...rest] = ref.split('.');
    if (Object.hasOwn(variables, head)) return whole;
    const resource = names.resources.get(head);
    if (resource !== undefined) return `\${${[resource, ...rest].join('.')}}`;
    if (names.parameters.has(head) && rest.length === 0) variables[head] = names.parameters.get(head)!;
    return whole;
  });
  return { 'Fn::Sub': Object.keys(variables).length ? [body, variables] : body };
}

// A module expression moved into the parent's namespace.
function rewrite(value: JsonValue, names: Names): JsonValue {
  if (Array.isArray(value)) return value.map((v) => rewrite(v, names));
  if (!isJsonObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [fn] = keys;
    const arg = value[fn];
    if (fn === 'Ref' && typeof arg === 'string') {
      if (names.parameters.has(arg)) return names.parameters.get(arg)!;
      return { Ref: renamed(names.resources, arg) as string };
    }
    if (fn === 'Fn::GetAtt' && Array.isArray(arg)) return { 'Fn::GetAtt': [renamed(names.resources, arg[0]) as JsonValue, ...arg.slice(1).map((v) => rewrite(v, names))] };
    if (fn === 'Fn::FindInMap' && Array.isArray(arg)) return { 'Fn::FindInMap': [renamed(names.mappings, rewrite(arg[0], names)) as JsonValue, ...arg.slice(1).map((v) => rewrite(v, names))] };
    if (fn === 'Fn::If' && Array.isArray(arg)) return { 'Fn::If': [renamed(names.conditions, arg[0]) as JsonValue, ...arg.slice(1).map((v) => rewrite(v, names))] };
    if (fn === 'Condition' && typeof arg === 'string') return { Condition: renamed(names.conditions, arg) as string };
    if (fn === 'Fn::Sub') return rewriteSub(arg, names);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, names)]));
}

// The module's parameter values: the resource's Properties, else each parameter's Default.
function parameterValues(logicalId: string, type: string, module: Template, properties: JsonObject): Map<string, JsonValue> {
  for (const key of Object.keys(properties)) {
    if (!Object.hasOwn(module.Parameters, key)) throw invalid(`Unknown property ${key} in the Properties of ${logicalId} (module ${type} has no parameter ${key})`);
  }
  const values = new Map<string, JsonValue>();
  for (const [name, def] of Object.entries(module.Parameters)) {
    const value = Object.hasOwn(properties, name) ? properties[name] : def.Default;
    if (value === undefined) throw invalid(`The property ${name} of ${logicalId} is required by module ${type}`);
    // A value written out is checked against the parameter's type and constraints now, and has
    // the type Ref of the parameter would give; an expression is the template's to resolve.
    values.set(name, hasFunction(value) ? value : typedParameterValue(name, def, value));
  }
  return values;
}

function hasFunction(value: JsonValue): boolean {
  if (Array.isArray(value)) return value.some(hasFunction);
  if (!isJsonObject(value)) return false;
  return Object.entries(value).some(([k, v]) => k === 'Ref' || k.startsWith('Fn::') || hasFunction(v));
}

const dependsOf = (def: ResourceDef): string[] => (def.DependsOn === undefined ? [] : Array.isArray(def.DependsOn) ? def.DependsOn : [def.DependsOn]);

interface Expanded {
  resources: Record<string, ResourceDef>;
  conditions: Record<string, JsonValue>;
  mappings: Template['Mappings'];
  outputs: Map<string, JsonValue>;
}

function expandOne(logicalId: string, def: ResourceDef, module: Template): Expanded {
  const type = def.Type;
  const properties = isJsonObject(def.Properties) ? def.Properties : {};
  const prefixed = (name: string) => `${logicalId}${name}`;
  const names: Names = {
    resources: new Map(Object.keys(module.Resources).map((id) => [id, prefixed(id)])),
    conditions: new Map(Object.keys(module.Conditions).map((id) => [id, prefixed(id)])),
    mappings: new Map(Object.keys(module.Mappings).map((id) => [id, prefixed(id)])),
    parameters: parameterValues(logicalId, type, module, properties),
  };
  const outer = dependsOf(def);
  const resources: Record<string, ResourceDef> = {};
  for (const [id, inner] of Object.entries(module.Resources)) {
    const moved = rewrite(inner as unknown as JsonValue, names) as unknown as ResourceDef;
    const depends = [...dependsOf(inner).map((d) => names.resources.get(d) ?? d), ...outer];
    if (depends.length) moved.DependsOn = depends;
    else delete moved.DependsOn;
    if (inner.Condition !== undefined) moved.Condition = names.conditions.get(inner.Condition) ?? inner.Condition;
    // A resource with its own condition and a module under a condition: the module's wins [INF].
    if (def.Condition !== undefined) moved.Condition = def.Condition;
    resources[prefixed(id)] = moved;
  }
  const conditions = Object.fromEntries(Object.entries(module.Conditions).map(([id, c]) => [prefixed(id), rewrite(c, names)]));
  const mappings = Object.fromEntries(Object.entries(module.Mappings).map(([id, m]) => [prefixed(id), m]));
  const outputs = new Map(Object.entries(module.Outputs).map(([name, out]) => [name, rewrite(out.Value, names)]));
  return { resources, conditions, mappings, outputs };
}

// `Fn::GetAtt: [<Module>, <Output>]` becomes the output's value; anything else of the module's
// name is an error, as the module resource no longer exists.
function readOutputs(value: JsonValue, modules: Map<string, Map<string, JsonValue>>): JsonValue {
  if (Array.isArray(value)) return value.map((v) => readOutputs(v, modules));
  if (!isJsonObject(value)) return value;
  const single = Object.keys(value).length === 1;
  const getAtt = single ? value['Fn::GetAtt'] : undefined;
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && modules.has(getAtt[0])) return moduleOutput(modules, getAtt[0], getAtt[1]);
  if (single && value['Fn::Sub'] !== undefined) return readSubOutputs(value['Fn::Sub'], modules);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, readOutputs(v, modules)]));
}

function moduleOutput(modules: Map<string, Map<string, JsonValue>>, module: string, name: JsonValue | undefined): JsonValue {
  const outputs = modules.get(module)!;
  if (typeof name !== 'string' || !outputs.has(name)) throw new ApiError('InvalidTemplateAttribute', { resource: module, name: String(name) });
  return outputs.get(name)!;
}

// `${<Module>.<Output>}` in Fn::Sub: the output's value, passed as a variable of that name.
function readSubOutputs(arg: JsonValue, modules: Map<string, Map<string, JsonValue>>): JsonValue {
  const [text, vars] = Array.isArray(arg) ? [arg[0], isJsonObject(arg[1]) ? arg[1] : {}] : [arg, {}];
  if (typeof text !== 'string') return { 'Fn::Sub': readOutputs(arg, modules) };
  const variables: JsonObject = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, readOutputs(v, modules)]));
  for (const [, ref] of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
    const dot = ref.indexOf('.');
    const module = ref.slice(0, dot);
    if (dot > 0 && modules.has(module) && !Object.hasOwn(variables, ref)) variables[ref] = moduleOutput(modules, module, ref.slice(dot + 1));
  }
  return { 'Fn::Sub': Object.keys(variables).length ? [text, variables] : text };
}

// The template with every MODULE resource replaced by the module's content.
export async function expandModules(template: Template, lookup: ModuleLookup, depth = 0): Promise<Template> {
  if (!hasModules(template)) return template;
  if (depth >= MAX_MODULE_DEPTH) throw invalid(`Modules are nested more than ${MAX_MODULE_DEPTH} levels deep`);
  const resources: Record<string, ResourceDef> = {};
  const conditions = { ...template.Conditions };
  const mappings = { ...template.Mappings };
  const outputs = new Map<string, Map<string, JsonValue>>();
  const members = new Map<string, string[]>();
  const add = <T>(into: Record<string, T>, id: string, value: T, what: string) => {
    if (Object.hasOwn(into, id) || Object.hasOwn(template.Resources, id) && what === 'resource') throw invalid(`The ${what} ${id} of an expanded module clashes with one of the template`);
    into[id] = value;
  };
  for (const [logicalId, def] of Object.entries(template.Resources)) {
    if (!isJsonObject(def) || !isModuleType(def.Type)) {
      resources[logicalId] = def;
      continue;
    }
    const version = (def as unknown as JsonObject).Version;
    if (typeof version !== 'string' || !MODULE_VERSION.test(version)) {
      throw invalid(`The Version of module resource ${logicalId} must be "default" or v<number> (v1, v2, ...)`);
    }
    const found = await lookup(def.Type, version);
    if (!found) throw invalid(`Unknown resource Type : ${def.Type} (version ${version})`);
    const module = await expandModules(found, lookup, depth + 1);
    const expanded = expandOne(logicalId, def, module);
    for (const [id, r] of Object.entries(expanded.resources)) add(resources, id, r, 'resource');
    for (const [id, c] of Object.entries(expanded.conditions)) add(conditions, id, c, 'condition');
    for (const [id, m] of Object.entries(expanded.mappings)) add(mappings, id, m, 'mapping');
    outputs.set(logicalId, expanded.outputs);
    members.set(logicalId, Object.keys(expanded.resources));
  }
  for (const [id, def] of Object.entries(resources)) {
    const depends = dependsOf(def);
    if (depends.some((d) => members.has(d))) resources[id] = { ...def, DependsOn: depends.flatMap((d) => members.get(d) ?? [d]) };
  }
  const read = (v: JsonValue) => readOutputs(v, outputs);
  return {
    ...template,
    Conditions: conditions,
    Mappings: mappings,
    Resources: read(resources as unknown as JsonValue) as unknown as Template['Resources'],
    Outputs: read(template.Outputs as unknown as JsonValue) as unknown as Template['Outputs'],
    Locals: read(template.Locals as unknown as JsonValue) as unknown as Template['Locals'],
  };
}
