// ALIYUN::ROS::Stack with the child template written inline (`TemplateBody: {ROSTemplateFormat-
// Version: ..., ...}`): the child is a template of its own. Its Refs, Fn::GetAtt and Fn::Sub
// variables name the child's parameters and resources, so the parent neither checks nor
// evaluates them; the child is validated on its own, as the cloud does when it creates the
// nested stack. A TemplateBody built by a function (Fn::Sub, Fn::Join, ...) is the parent's
// expression as usual.
import { ApiError } from '../../protocol/errors.ts';
import { parseTemplate } from './parse.ts';
import { isJsonObject, type JsonObject, type ResourceDef, type Template } from './types.ts';

export const NESTED_STACK_TYPE = 'ALIYUN::ROS::Stack';

function inlineBody(def: ResourceDef): JsonObject | string | undefined {
  if (def.Type !== NESTED_STACK_TYPE || !isJsonObject(def.Properties)) return undefined;
  const body = def.Properties.TemplateBody;
  if (typeof body === 'string') return body;
  return isJsonObject(body) && Object.hasOwn(body, 'ROSTemplateFormatVersion') ? body : undefined;
}

// The Properties that belong to the parent's namespace: all of them but an inline child
// template (written as a map or as a template string), which is validated on its own.
export function parentProperties(def: ResourceDef): JsonObject {
  const properties = isJsonObject(def.Properties) ? def.Properties : {};
  if (inlineBody(def) === undefined) return properties;
  const { TemplateBody: _child, ...rest } = properties;
  return rest;
}

// Resolved properties as the resource-type schema sees them: an ALIYUN::ROS::Stack's inline
// child template is the child's, checked when the child is validated.
export function schemaProperties(type: string, resolved: JsonObject): JsonObject {
  if (type !== NESTED_STACK_TYPE || !('TemplateBody' in resolved)) return resolved;
  const { TemplateBody: _child, ...rest } = resolved;
  return rest;
}

// Evaluated parent properties with the inline child template put back as written.
export function withChildTemplate(def: ResourceDef, evaluated: JsonObject): JsonObject {
  const body = inlineBody(def);
  return isJsonObject(body) ? { ...evaluated, TemplateBody: body } : evaluated;
}

// The child template of a nested stack, parsed; undefined when the resource has none inline.
// A child that does not parse is the parent's error, named after the resource.
export function childTemplate(logicalId: string, def: ResourceDef): Template | undefined {
  const body = inlineBody(def);
  if (body === undefined) return undefined;
  try {
    return parseTemplate(typeof body === 'string' ? body : JSON.stringify(body));
  } catch (err) {
    if (err instanceof ApiError && 'reason' in err.args) {
      throw new ApiError(err.entry, { ...err.args, reason: `${String(err.args.reason)} (in the TemplateBody of ${logicalId})` });
    }
    throw err;
  }
}
