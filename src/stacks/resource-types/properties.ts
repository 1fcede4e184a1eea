// Resource properties checked against the catalogue, as ROS (a Heat descendant) checks them:
// a missing required property, an unknown property, a value of the wrong type, outside its
// allowed values, range, length or pattern → StackValidationFailed "Property error:
// Resources.<Id>.Properties[.<Path>]: <reason>". Messages follow Heat's property errors with ROS's
// section names ([INF] in docs/fidelity.md). Scalars are coerced as Heat coerces them: numbers
// and booleans are valid strings, numeric strings valid numbers, "true"/"false" valid booleans.
// At validation time a value that is still a function (Ref, Fn::*) is skipped; the engine checks
// it again once resolved, at deploy time.
import { ApiError } from '../../protocol/errors.ts';
import { catalogueType } from './catalogue.ts';
import type { PropertySchema } from './schema.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type CheckMode = 'template' | 'resolved';

const isObject = (v: Json | undefined): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

// { "Ref": … } or { "Fn::…": … }: resolved only at deploy time.
function isFunction(value: Json): boolean {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
}

const show = (value: Json): string => (typeof value === 'string' ? value : JSON.stringify(value));

class PropertyError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

function checkScalar(schema: PropertySchema, value: Json, path: string): void {
  const fail = (message: string): never => {
    throw new PropertyError(path, message);
  };
  let comparable: Json = value;
  switch (schema.type) {
    case 'string':
      if (typeof value === 'number' || typeof value === 'boolean') comparable = String(value);
      else if (typeof value !== 'string') fail(`Value must be a string; got ${show(value)}`);
      break;
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n)) fail(`Value "${show(value)}" is not a number`);
      comparable = n;
      break;
    }
    case 'boolean':
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) comparable = value.toLowerCase() === 'true';
      else if (typeof value !== 'boolean') fail(`Unrecognized value "${show(value)}", acceptable values are: true, false`);
      break;
  }
  if (schema.allowed && !schema.allowed.some((a) => a === comparable || String(a) === String(comparable))) {
    fail(`"${show(value)}" is not an allowed value [${schema.allowed.map(String).join(', ')}]`);
  }
  if (typeof comparable === 'number' && ((schema.min !== undefined && comparable < schema.min) || (schema.max !== undefined && comparable > schema.max))) {
    fail(`${comparable} is out of range (min: ${schema.min ?? 'None'}, max: ${schema.max ?? 'None'})`);
  }
  if (typeof comparable === 'string') {
    checkLength(schema, comparable.length, path);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(comparable)) {
      fail(`"${comparable}" does not match pattern "${schema.pattern}"`);
    }
  }
}

function checkLength(schema: PropertySchema, length: number, path: string): void {
  if ((schema.minLength !== undefined && length < schema.minLength) || (schema.maxLength !== undefined && length > schema.maxLength)) {
    throw new PropertyError(path, `length (${length}) is out of range (min: ${schema.minLength ?? 'None'}, max: ${schema.maxLength ?? 'None'})`);
  }
}

function checkValue(schema: PropertySchema, value: Json, path: string, mode: CheckMode): void {
  if (mode === 'template' && isFunction(value)) return;
  switch (schema.type) {
    case 'any':
      return;
    case 'list':
      if (!Array.isArray(value)) throw new PropertyError(path, `"${show(value)}" is not a list`);
      checkLength(schema, value.length, path);
      value.forEach((item, i) => schema.items && checkValue(schema.items, item, `${path}[${i}]`, mode));
      return;
    case 'map':
      if (!isObject(value)) throw new PropertyError(path, `"${show(value)}" is not a map`);
      for (const [key, item] of Object.entries(value)) if (schema.items) checkValue(schema.items, item, `${path}.${key}`, mode);
      return;
    case 'object':
      if (!isObject(value)) throw new PropertyError(path, `"${show(value)}" is not a map`);
      if (schema.properties) checkMembers(schema.properties, value, path, mode);
      return;
    default:
      // Policy documents modelled by the CDK as structs take a string or a list of strings
      // where the model says string (Action, Resource): the cloud accepts both [INF].
      if (Array.isArray(value) && path.includes('.')) value.forEach((item, i) => checkValue(schema, item, `${path}[${i}]`, mode));
      else checkScalar(schema, value, path);
  }
}

function checkMembers(schemas: Record<string, PropertySchema>, values: { [key: string]: Json }, path: string, mode: CheckMode): void {
  for (const name of Object.keys(values)) {
    if (!Object.hasOwn(schemas, name)) throw new PropertyError(path, `Unknown Property ${name}`);
  }
  for (const [name, schema] of Object.entries(schemas)) {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    // null stands for an absent value (ALIYUN::NoValue resolves to nothing).
    if (value === undefined || value === null) {
      if (schema.required) throw new PropertyError(path, `Property ${name} not assigned`);
      continue;
    }
    checkValue(schema, value, path ? `${path}.${name}` : name, mode);
  }
}

// Throws StackValidationFailed when `properties` break the catalogue's schema of `type`; types
// the catalogue does not have are not checked here.
export function checkResourceProperties(logicalId: string, type: string, properties: unknown, mode: CheckMode): void {
  const schema = catalogueType(type);
  if (!schema) return;
  const values = (properties ?? {}) as Json;
  if (mode === 'template' && isFunction(values)) return;
  try {
    if (!isObject(values)) throw new PropertyError('', `"${show(values)}" is not a map`);
    checkMembers(schema.properties, values, '', mode);
  } catch (e) {
    if (!(e instanceof PropertyError)) throw e;
    const where = `Resources.${logicalId}.Properties${e.path ? `.${e.path}` : ''}`;
    throw new ApiError('StackValidationFailed', { reason: `Property error: ${where}: ${e.message}` });
  }
}
