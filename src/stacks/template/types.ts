// Shapes of a parsed ROS template (help.aliyun.com "Template structure") and of the values the
// evaluator works with. Section contents are typed loosely here; validate.ts enforces the rules.

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

// `Ref: ALIYUN::NoValue` removes the enclosing key or list item ("Pseudo parameters" page), so
// evaluation needs a value that is distinct from every JSON value.
export const NO_VALUE: unique symbol = Symbol('ALIYUN::NoValue');
export type Evaluated = JsonValue | typeof NO_VALUE;

export interface ParameterDef {
  Type: string;
  Default?: JsonValue;
  AllowedValues?: JsonValue[];
  AllowedPattern?: string;
  MinLength?: number | string;
  MaxLength?: number | string;
  MinValue?: number | string;
  MaxValue?: number | string;
  NoEcho?: boolean | string;
  Label?: JsonValue;
  Description?: JsonValue;
  ConstraintDescription?: JsonValue;
  [key: string]: JsonValue | undefined;
}

export interface ResourceDef {
  Type: string;
  Properties?: JsonObject;
  DependsOn?: string | string[];
  Condition?: string;
  DeletionPolicy?: 'Delete' | 'Retain';
  Metadata?: JsonObject;
  Description?: string;
  Count?: JsonValue;
}

export interface OutputDef {
  Value: JsonValue;
  Description?: JsonValue;
  Condition?: string;
  Label?: JsonValue;
}

export interface RuleDef {
  RuleCondition?: JsonValue;
  Assertions: Array<{ Assert: JsonValue; AssertDescription?: JsonValue }>;
}

export interface LocalDef {
  Type?: string;
  Value?: JsonValue;
  Properties?: JsonObject;
}

export interface Template {
  ROSTemplateFormatVersion: string;
  Description?: JsonValue;
  Metadata?: JsonObject;
  Parameters: Record<string, ParameterDef>;
  Mappings: Record<string, Record<string, JsonObject>>;
  Conditions: Record<string, JsonValue>;
  Resources: Record<string, ResourceDef>;
  Outputs: Record<string, OutputDef>;
  Rules: Record<string, RuleDef>;
  Locals: Record<string, LocalDef>;
  Transform?: JsonValue;
  Workspace?: JsonValue;
}

// Values behind the ALIYUN::* pseudo parameters ("Pseudo parameters" page). TenantId falls back
// to AccountId and ResourceGroupId to an empty string when the caller has nothing better.
export interface PseudoParameters {
  StackName: string;
  StackId: string;
  Region: string;
  AccountId: string;
  TenantId?: string;
  ResourceGroupId?: string;
}

export type ResolvedParameters = Record<string, JsonValue>;

// What a deployed (or simulated) resource exposes to Ref and Fn::GetAtt.
export interface ResourceState {
  type: string;
  physicalId: string;
  attributes: Record<string, JsonValue>;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
