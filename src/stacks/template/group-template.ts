// Checks a stack group's template and parameter values the way CreateStackGroup and
// UpdateStackGroup do, synchronously, with the template library's errors (ros-api.md §3.3):
// the template must load (syntax, sections, references, cycles) and the values must resolve
// (unknown or missing parameters, types, constraints, Rules).
import type { Parameter } from '../../engine/types.ts';
import { givenValues } from './given-parameters.ts';
import type { TemplateLoader } from './template-loader.ts';
import { parseTemplate, resolveParameters } from './index.ts';

export interface GroupScope {
  regionId: string;
  accountId: string;
}

// Pseudo parameters stand for the group's own region and account: the stacks' values are only
// known per target, where every value is checked again.
export function checkGroupTemplate(templates: TemplateLoader, body: string, parameters: Parameter[], scope: GroupScope): void {
  const template = templates.cached(body);
  resolveParameters(template, givenValues(parameters), { StackName: 'StackGroup', StackId: '', Region: scope.regionId, AccountId: scope.accountId });
}

export function templateParameterNames(body: string): Set<string> {
  return new Set(Object.keys(parseTemplate(body).Parameters));
}
