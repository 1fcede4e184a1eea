// Structural validation of a parsed template, section by section, then the dependency cycles.
// Section rules: ROS "Template structure", "Parameters", "Mappings", "Conditions", "Resources",
// "Outputs", "Rules", "Locals" pages and "Reasons for template verification failure".
import { ApiError } from '../../protocol/errors.ts';
import { conditionGraph } from './conditions.ts';
import { resourceGraphSteps } from './dependencies.ts';
import { readFaultInjection } from './metadata-faults.ts';
import { childTemplate, parentProperties } from './nested-stack.ts';
import { assertAcyclic, type Graph } from './graph.ts';
import { assertResourceCountWithDefaults, keepResourceLimit } from './limits.ts';
import { collectReferences, referencedNames } from './references.ts';
import { checkResourceProperties } from '../resource-types/properties.ts';
import { checkResourceType } from './resource-types.ts';
import { isJsonObject, type JsonValue, type ResourceDef, type Template } from './types.ts';
import { validateParameterDefinitions } from './validate-parameters.ts';
import { PARAMETERS_ONLY, checkExpression } from './validate-refs.ts';

export interface ValidateOptions {
  // Accept only resource types in the localros catalogue (see resource-types.ts).
  strictResourceTypes?: boolean;
  // The loading server's resource limit (limits.ts); the default limit when unset.
  maxResources?: number;
}

// "Values other than Type, Properties, Metadata, DependsOn, DeletionPolicy, and Description
// cannot be contained in the resource definition" (verification failure page), plus Condition
// and Count from the "Resources" page.
const RESOURCE_KEYS = new Set(['Type', 'Properties', 'Metadata', 'DependsOn', 'DeletionPolicy', 'Description', 'Condition', 'Count']);
// Assertions "can contain up to 100 Assert and AssertDescription" ("Rules" page).
const MAX_ASSERTIONS = 100;

const invalid = (reason: string): ApiError => new ApiError('InvalidTemplate', { reason });
const wrongType = (resource: string, section: string): ApiError => new ApiError('InvalidTemplatePropertyType', { resource, section });

function validateMappings(template: Template): void {
  for (const [name, mapping] of Object.entries(template.Mappings)) {
    if (!isJsonObject(mapping) || !Object.values(mapping).every(isJsonObject)) {
      throw invalid(`The mapping ${name} must be a map of maps`);
    }
    // "No function can be used in the mappings" (verification failure page).
    if (collectReferences(mapping as JsonValue).some((r) => r.kind === 'Function')) {
      throw invalid(`Functions cannot be used in the Mappings section (mapping ${name})`);
    }
  }
}

function validateLocals(template: Template): void {
  const graph: Graph = new Map();
  for (const [name, local] of Object.entries(template.Locals)) {
    if (Object.hasOwn(template.Parameters, name) || Object.hasOwn(template.Resources, name)) {
      throw invalid(`The local variable ${name} has the same name as a parameter or resource`);
    }
    if (!isJsonObject(local)) throw wrongType(name, 'Locals');
    const type = local.Type ?? 'Macro';
    if (typeof type === 'string' && type.startsWith('DATASOURCE::')) {
      throw new ApiError('NotSupported', { feature: `The data source local variable ${name} (${type})` });
    }
    if (type !== 'Macro' && type !== 'Eval') throw invalid(`The type of local variable ${name} must be Macro, Eval or a DATASOURCE type`);
    if (local.Value === undefined) throw invalid(`The local variable ${name} must have a Value`);
    // Eval "can only reference Parameters and Locals" ("Locals" page).
    checkExpression(template, local.Value, `Locals.${name}`, { resources: type === 'Macro', locals: true, index: false });
    graph.set(name, new Set([...referencedNames(local.Value)].filter((n) => Object.hasOwn(template.Locals, n))));
  }
  assertAcyclic(graph, 'Locals');
}

function validateConditions(template: Template): void {
  for (const [name, body] of Object.entries(template.Conditions)) {
    checkExpression(template, body, `Conditions.${name}`, { ...PARAMETERS_ONLY, conditionContext: true });
  }
  assertAcyclic(conditionGraph(template), 'Conditions');
}

function validateDependsOn(logicalId: string, def: ResourceDef, template: Template): void {
  const deps: unknown = def.DependsOn;
  if (deps === undefined) return;
  const list = typeof deps === 'string' ? [deps] : deps;
  if (!Array.isArray(list) || !list.every((d) => typeof d === 'string')) throw wrongType(logicalId, 'DependsOn');
  for (const dep of list as string[]) {
    if (!Object.hasOwn(template.Resources, dep)) throw new ApiError('InvalidTemplateReference', { name: dep, referencer: logicalId });
  }
}

function validateResource(logicalId: string, def: ResourceDef, template: Template, options: ValidateOptions): void {
  // "The resource ID cannot contain forward slashes (/)" (verification failure page).
  if (logicalId.includes('/')) throw invalid(`The resource name "${logicalId}" must not contain "/"`);
  if (!isJsonObject(def)) throw wrongType(logicalId, 'Resources');
  for (const key of Object.keys(def)) {
    if (!RESOURCE_KEYS.has(key)) throw invalid(`"${key}" is not a valid keyword inside a resource definition (resource ${logicalId})`);
  }
  if (typeof def.Type !== 'string' || def.Type === '') throw invalid(`Each Resource must contain a Type key (resource ${logicalId})`);
  checkResourceType(def.Type, options.strictResourceTypes ?? false);
  if (def.Properties !== undefined && !isJsonObject(def.Properties)) throw wrongType(logicalId, 'Properties');
  if (def.Metadata !== undefined && !isJsonObject(def.Metadata)) throw wrongType(logicalId, 'Metadata');
  if (def.Description !== undefined && typeof def.Description !== 'string') throw wrongType(logicalId, 'Description');
  if (def.DeletionPolicy !== undefined && def.DeletionPolicy !== 'Delete' && def.DeletionPolicy !== 'Retain') {
    throw invalid(`Invalid DeletionPolicy "${String(def.DeletionPolicy)}" of resource ${logicalId}, it must be Delete or Retain`);
  }
  if (def.Condition !== undefined) {
    if (typeof def.Condition !== 'string') throw wrongType(logicalId, 'Condition');
    if (!Object.hasOwn(template.Conditions, def.Condition)) {
      throw new ApiError('InvalidTemplateReference', { name: def.Condition, referencer: logicalId });
    }
  }
  validateDependsOn(logicalId, def, template);
  if (def.Count !== undefined) checkExpression(template, def.Count, logicalId, PARAMETERS_ONLY);
  checkExpression(template, parentProperties(def), logicalId, { resources: true, locals: true, index: def.Count !== undefined });
  readFaultInjection(logicalId, def);
  // An inline ALIYUN::ROS::Stack template is checked on its own (nested-stack.ts).
  const child = childTemplate(logicalId, def);
  if (child) validateTemplate(child, options);
  // Catalogue schema of the properties; values that are functions wait for deploy time.
  checkResourceProperties(logicalId, def.Type, parentProperties(def), 'template');
}

function validateOutputs(template: Template): void {
  for (const [key, output] of Object.entries(template.Outputs)) {
    const where = `Outputs.${key}`;
    if (!isJsonObject(output)) throw wrongType(key, 'Outputs');
    if (!('Value' in output)) throw invalid(`Each output definition must contain a Value key (${where})`);
    if (output.Condition !== undefined) {
      if (typeof output.Condition !== 'string') throw wrongType(key, 'Outputs');
      if (!Object.hasOwn(template.Conditions, output.Condition)) {
        throw new ApiError('InvalidTemplateReference', { name: output.Condition, referencer: where });
      }
    }
    checkExpression(template, output.Value, where, { resources: true, locals: true, index: false });
  }
}

function validateRules(template: Template): void {
  for (const [name, rule] of Object.entries(template.Rules)) {
    const where = `Rules.${name}`;
    if (!isJsonObject(rule) || !Array.isArray(rule.Assertions)) throw invalid(`The rule ${name} must contain a list of Assertions`);
    if (rule.Assertions.length > MAX_ASSERTIONS) throw invalid(`The rule ${name} has more than ${MAX_ASSERTIONS} assertions`);
    const scope = { ...PARAMETERS_ONLY, conditionContext: true };
    if (rule.RuleCondition !== undefined) checkExpression(template, rule.RuleCondition, where, scope);
    for (const assertion of rule.Assertions) {
      if (!isJsonObject(assertion) || assertion.Assert === undefined) throw invalid(`Each assertion of rule ${name} must contain an Assert key`);
      checkExpression(template, assertion.Assert, where, scope);
    }
  }
}

export function validateTemplate(template: Template, options: ValidateOptions = {}): void {
  const steps = validateTemplateSteps(template, options);
  while (!steps.next().done);
}

// validateTemplate, pausing (yielding) after each resource so that a driver can hand
// the event loop back (stacks/run/sliced.ts): a 3,000-resource template takes 5–20 ms to check.
export function* validateTemplateSteps(template: Template, options: ValidateOptions = {}): Generator<void, void> {
  // Terraform templates ("Transform: Aliyun::Terraform-v1.x") run on ROS's Terraform engine,
  // which localros does not have: the answer names the transform.
  if (template.Transform !== undefined) {
    throw new ApiError('NotSupported', { feature: `The Transform ${JSON.stringify(template.Transform)} (Terraform templates)` });
  }
  if (template.Workspace !== undefined) throw new ApiError('NotSupported', { feature: 'The Workspace section (Terraform templates)' });
  if (template.Description !== undefined && typeof template.Description !== 'string' && !isJsonObject(template.Description)) {
    throw invalid('The Description section must be a string');
  }
  validateParameterDefinitions(template);
  // Ref looks names up in one namespace, so a name cannot be both a parameter and a resource.
  const clash = Object.keys(template.Parameters).find((name) => Object.hasOwn(template.Resources, name));
  if (clash) throw invalid(`The name ${clash} is used by both a parameter and a resource`);
  validateMappings(template);
  validateLocals(template);
  validateConditions(template);
  for (const [logicalId, def] of Object.entries(template.Resources)) {
    validateResource(logicalId, def, template, options);
    yield;
  }
  validateOutputs(template);
  validateRules(template);
  assertAcyclic(yield* resourceGraphSteps(template), 'Resources');
  if (options.maxResources !== undefined) keepResourceLimit(template, options.maxResources);
  assertResourceCountWithDefaults(template);
}
