// Public surface of the template library: parsing, validation, parameters, evaluation and the
// pure stack simulation used by the operation engine.
export { loadTemplate } from './load.ts';
export { parseTemplate, MAX_TEMPLATE_BYTES, TEMPLATE_FORMAT_VERSION } from './parse.ts';
export { validateTemplate, type ValidateOptions } from './validate.ts';
export { resolveParameters, parameterView, MASK, type ParameterEntry, type ParameterResolution } from './parameters.ts';
export { PARAMETER_TYPES } from './parameter-types.ts';
export { evaluateConditions } from './conditions.ts';
export { evaluate, evaluateValue, evaluateCondition, type EvalContext, type ResourceResolver, type StackOutputLookup } from './evaluate.ts';
export { expandCount } from './count.ts';
export { DEFAULT_MAX_RESOURCES } from './limits.ts';
export { validateTemplateResult, templateSummary, type ValidateTemplateResult, type TemplateSummary, type ParameterSummary } from './summary.ts';
export {
  planCreate,
  planCreateSteps,
  prepareTemplate,
  resolveResourceProperties,
  resolveOutputs,
  type DeployPlan,
  type PlannedResource,
  type PreparedTemplate,
  type StackContext,
  type OutputItem,
  type ResolveOutputsOptions,
} from './deploy-plan.ts';
export { diffTemplates, type TemplateDiff, type ResourceChange } from './diff.ts';
export { readFaultInjection, FAIL_KEY, DELAY_KEY, MAX_DELAY_MS, type FaultInjection } from './metadata-faults.ts';
export {
  materializeResource,
  resourceResolver,
  registerResourceType,
  resourceTypeSpec,
  registeredResourceTypes,
} from './resource-types.ts';
export type { ResourceTypeSpec, MaterializeInput } from './resource-catalogue.ts';
export {
  NO_VALUE,
  type JsonValue,
  type JsonObject,
  type Template,
  type ParameterDef,
  type ResourceDef,
  type OutputDef,
  type RuleDef,
  type LocalDef,
  type PseudoParameters,
  type ResolvedParameters,
  type ResourceState,
} from './types.ts';
