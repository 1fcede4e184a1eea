// The catalogue as the resource-type actions show it: GetResourceType's Properties and
// Attributes, and GetResourceTypeTemplate's template. ROS inherits Heat's resource schema, so
// each property reads {Type, Required, Constraints, Schema}, constraints as AllowedValues,
// Range {min, max}, Length {min, max} and AllowedPattern ([INF] where the ROS reference shows
// no sample).
import type { AttributeSchema, PropertySchema } from './schema.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const TYPE_NAMES: Record<PropertySchema['type'], string> = {
  string: 'string',
  number: 'number',
  boolean: 'boolean',
  any: 'json',
  list: 'list',
  map: 'map',
  object: 'map',
};

const bounds = (min: number | undefined, max: number | undefined): { [key: string]: Json } => ({
  ...(min !== undefined ? { min } : {}),
  ...(max !== undefined ? { max } : {}),
});

export function describeProperty(schema: PropertySchema): { [key: string]: Json } {
  const constraints: Json[] = [];
  if (schema.allowed) constraints.push({ AllowedValues: schema.allowed });
  if (schema.min !== undefined || schema.max !== undefined) constraints.push({ Range: bounds(schema.min, schema.max) });
  if (schema.minLength !== undefined || schema.maxLength !== undefined) constraints.push({ Length: bounds(schema.minLength, schema.maxLength) });
  if (schema.pattern !== undefined) constraints.push({ AllowedPattern: schema.pattern });
  const out: { [key: string]: Json } = { Type: TYPE_NAMES[schema.type], Required: schema.required === true };
  if (constraints.length > 0) out.Constraints = constraints;
  if (schema.items) out.Schema = { '*': describeProperty(schema.items) };
  if (schema.properties) out.Schema = describeProperties(schema.properties);
  return out;
}

export function describeProperties(properties: Record<string, PropertySchema>): { [key: string]: Json } {
  return Object.fromEntries(Object.entries(properties).map(([name, schema]) => [name, describeProperty(schema)]));
}

export function describeAttributes(attributes: Record<string, AttributeSchema>): { [key: string]: Json } {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, a]) => [name, { Type: a.type, ...(a.description ? { Description: a.description } : {}) }]),
  );
}

const PARAMETER_TYPES: Record<PropertySchema['type'], string> = {
  string: 'String',
  number: 'Number',
  boolean: 'Boolean',
  any: 'Json',
  list: 'Json',
  map: 'Json',
  object: 'Json',
};

// A template that creates one resource of `type`: a parameter per required property, an
// output per attribute [INF: optional properties are left out so that the template deploys
// with the required parameters only].
export function resourceTypeTemplate(type: string, properties: Record<string, PropertySchema>, attributes: string[]): { [key: string]: Json } {
  const logicalId = type.split('::').pop()!;
  const required = Object.entries(properties).filter(([, s]) => s.required);
  const parameters = Object.fromEntries(
    required.map(([name, s]) => {
      const p: { [key: string]: Json } = { Type: PARAMETER_TYPES[s.type] };
      if (s.allowed) p.AllowedValues = s.allowed;
      if (s.min !== undefined) p.MinValue = s.min;
      if (s.max !== undefined) p.MaxValue = s.max;
      if (s.type === 'string' && s.minLength !== undefined) p.MinLength = s.minLength;
      if (s.type === 'string' && s.maxLength !== undefined) p.MaxLength = s.maxLength;
      return [name, p];
    }),
  );
  return {
    ROSTemplateFormatVersion: '2015-09-01',
    Parameters: parameters,
    Resources: {
      [logicalId]: { Type: type, Properties: Object.fromEntries(required.map(([name]) => [name, { Ref: name }])) },
    },
    Outputs: Object.fromEntries(attributes.map((a) => [a, { Value: { 'Fn::GetAtt': [logicalId, a] } }])),
  };
}
