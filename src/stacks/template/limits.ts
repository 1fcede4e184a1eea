// Per-stack limits that the template library enforces before anything is expanded or deployed
// (ROS "Limits" page: at most 300 resources in a stack, a template of at most 512 KB — the size
// is checked by parse.ts). Count is included: ValidateTemplate counts with the parameters'
// defaults, every API that takes parameter values counts with those values (resolveParameters),
// so `Count: 1000000` is refused at once instead of when a target deploys.
import { ApiError } from '../../protocol/errors.ts';
import { evaluateConditions } from './conditions.ts';
import { evaluateValue, type EvalContext } from './evaluate.ts';
import { setKey } from './json.ts';
import { typedParameterValue } from './parameter-types.ts';
import { referencedNames } from './references.ts';
import type { PseudoParameters, ResolvedParameters, ResourceDef, Template } from './types.ts';

export const DEFAULT_MAX_RESOURCES = 300;

// The configuration may raise the limit for load tests (config `limits.resourcesPerStack`), per
// server: a template is checked against the limit of the server that loaded it
// (stacks/template/template-loader.ts), which it keeps for the checks that come with values and at deploy.
// Keyed by the template object, so that nothing is shared between servers.
const limitOfTemplate = new WeakMap<Template, number>();

export function keepResourceLimit(template: Template, limit: number): void {
  limitOfTemplate.set(template, limit);
}

export function resourceLimit(template: Template): number {
  return limitOfTemplate.get(template) ?? DEFAULT_MAX_RESOURCES;
}

const PLACEHOLDER_PSEUDO: PseudoParameters = { StackName: 'ValidateTemplate', StackId: '', Region: '', AccountId: '' };

export type CountContext = Omit<EvalContext, 'where' | 'resources' | 'index'>;

export function countOf(logicalId: string, def: ResourceDef, ctx: CountContext): number {
  const value = evaluateValue(def.Count!, { ...ctx, where: logicalId });
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new ApiError('InvalidTemplate', { reason: `The Count of resource ${logicalId} must be a natural number, got ${JSON.stringify(value)}` });
  }
  return n;
}

export function tooManyResources(limit: number): ApiError {
  return new ApiError('InvalidTemplate', { reason: `The template has more than ${limit} resources after Count is expanded` });
}

// `countable` answers false for a resource whose Count cannot be known yet (it needs a
// parameter value that has no default): it is left out of the total.
export function assertResourceCount(template: Template, ctx: CountContext, countable: (def: ResourceDef) => boolean = () => true): void {
  const limit = resourceLimit(template);
  let total = 0;
  for (const [logicalId, def] of Object.entries(template.Resources)) {
    if (def.Count === undefined) total += 1;
    else if (countable(def)) total += countOf(logicalId, def, ctx);
    if (total > limit) throw tooManyResources(limit);
  }
}

// ValidateTemplate knows only the defaults: a Count that needs a parameter without one is
// counted once values are given.
export function assertResourceCountWithDefaults(template: Template): void {
  const parameters: ResolvedParameters = {};
  for (const [name, def] of Object.entries(template.Parameters)) {
    if (def.Default !== undefined) setKey(parameters, name, typedParameterValue(name, def, def.Default));
  }
  const known = (def: ResourceDef): boolean =>
    [...referencedNames(def.Count!)].every((name) => name.startsWith('ALIYUN::') || Object.hasOwn(parameters, name));
  const conditions = Object.keys(template.Conditions).length === 0 ? {} : undefined;
  // Counts written with Fn::If need the conditions, which may need values not given yet.
  const countable = (def: ResourceDef): boolean => known(def) && (conditions !== undefined || !JSON.stringify(def.Count).includes('Fn::If'));
  assertResourceCount(template, { template, parameters, pseudo: PLACEHOLDER_PSEUDO, conditions: conditions ?? {} }, countable);
}

// With every value known: conditions are evaluated when they can be; when they cannot (a value
// only a target has), resources counted through Fn::If wait for the deploy.
export function assertResourceCountWithValues(template: Template, parameters: ResolvedParameters, pseudo: PseudoParameters): void {
  if (!Object.values(template.Resources).some((def) => def.Count !== undefined)) {
    const limit = resourceLimit(template);
    if (Object.keys(template.Resources).length > limit) throw tooManyResources(limit);
    return;
  }
  let conditions: Record<string, boolean> | undefined;
  try {
    conditions = evaluateConditions(template, parameters, pseudo);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
  }
  const countable = (def: ResourceDef): boolean => conditions !== undefined || !JSON.stringify(def.Count).includes('Fn::If');
  assertResourceCount(template, { template, parameters, pseudo, conditions: conditions ?? {} }, countable);
}
