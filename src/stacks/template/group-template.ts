// Checks a stack group's template and parameter values the way CreateStackGroup and
// UpdateStackGroup do, synchronously, with the template library's errors (ros-api.md §3.3):
// the template must load (syntax, sections, references, cycles) and the values must resolve
// (unknown or missing parameters, types, constraints, Rules).
import type { Parameter } from '../../engine/types.ts';
import { givenValues } from './given-parameters.ts';
import type { TemplateLoader } from './template-loader.ts';
import { parseTemplate, resolveParameters, type Template } from './index.ts';

export interface GroupScope {
  regionId: string;
  accountId: string;
}

export function checkGroupTemplate(templates: TemplateLoader, body: string, parameters: Parameter[], scope: GroupScope): void {
  resolveGroupParameters(templates.cached(body), parameters, scope);
}

// The same, the template validated in slices (TemplateLoader.checked): outside a transaction.
export async function checkGroupTemplateSliced(templates: TemplateLoader, body: string, parameters: Parameter[], scope: GroupScope): Promise<void> {
  resolveGroupParameters(await templates.checked(body), parameters, scope);
}

// Pseudo parameters stand for the group's own region and account: the stacks' values are only
// known per target, where every value is checked again.
function resolveGroupParameters(template: Template, parameters: Parameter[], scope: GroupScope): void {
  resolveParameters(template, givenValues(parameters), { StackName: 'StackGroup', StackId: '', Region: scope.regionId, AccountId: scope.accountId });
}

export function templateParameterNames(body: string): Set<string> {
  return new Set(Object.keys(parseTemplate(body).Parameters));
}
