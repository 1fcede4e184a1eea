// Turning the Parameters given to a stack API (all strings on the wire) into typed values, and
// the view of them that read APIs return.
import { ApiError } from '../../protocol/errors.ts';
import { setKey, stringifyValue } from './json.ts';
import { isNoEcho, typedParameterValue } from './parameter-types.ts';
import { assertResourceCountWithValues } from './limits.ts';
import { checkRules } from './rules.ts';
import type { JsonValue, PseudoParameters, ResolvedParameters, Template } from './types.ts';

export interface ParameterEntry {
  ParameterKey: string;
  ParameterValue: string;
}

export interface ParameterResolution {
  values: ResolvedParameters;
  // What GetStack-like APIs show: pseudo parameters included, NoEcho values masked.
  maskedParameters: ParameterEntry[];
}

// "If NoEcho is true, only asterisks are returned" ("Parameters" page); Heat, whose behaviour ROS
// keeps, shows six.
export const MASK = '******';

function display(value: JsonValue): string {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value.join(',') : stringifyValue(value);
}

// GetStack lists ALIYUN::AccountId, ALIYUN::NoValue ("None"), ALIYUN::Region, ALIYUN::StackId and
// ALIYUN::StackName next to the template's parameters, sorted by key (GetStack / GetChangeSet
// response examples in the ROS API reference).
export function parameterView(template: Template, values: ResolvedParameters, pseudo: PseudoParameters): ParameterEntry[] {
  const entries: ParameterEntry[] = [
    { ParameterKey: 'ALIYUN::AccountId', ParameterValue: pseudo.AccountId },
    { ParameterKey: 'ALIYUN::NoValue', ParameterValue: 'None' },
    { ParameterKey: 'ALIYUN::Region', ParameterValue: pseudo.Region },
    { ParameterKey: 'ALIYUN::StackId', ParameterValue: pseudo.StackId },
    { ParameterKey: 'ALIYUN::StackName', ParameterValue: pseudo.StackName },
  ];
  for (const [key, value] of Object.entries(values)) {
    const def = template.Parameters[key];
    entries.push({ ParameterKey: key, ParameterValue: def && isNoEcho(def) ? MASK : display(value) });
  }
  return entries.sort((a, b) => (a.ParameterKey < b.ParameterKey ? -1 : a.ParameterKey > b.ParameterKey ? 1 : 0));
}

export function resolveParameters(
  template: Template,
  given: Readonly<Record<string, string>>,
  pseudo: PseudoParameters,
): ParameterResolution {
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(template.Parameters, key)) throw new ApiError('UnknownUserParameter', { name: key });
  }
  const values: ResolvedParameters = {};
  for (const [name, def] of Object.entries(template.Parameters)) {
    const raw: JsonValue | undefined = Object.hasOwn(given, name) ? given[name]! : def.Default;
    if (raw === undefined) throw new ApiError('UserParameterMissing', { name });
    setKey(values, name, typedParameterValue(name, def, raw));
  }
  checkRules(template, values, pseudo);
  assertResourceCountWithValues(template, values, pseudo);
  return { values, maskedParameters: parameterView(template, values, pseudo) };
}
