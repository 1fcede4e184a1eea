// The Rules section checks parameter values when a stack is created or updated ("Rules" page):
// a rule applies when it has no RuleCondition or the RuleCondition is true, and then every
// Assert must be true. The error ROS returns for a false Assert is not documented; localros
// answers StackValidationFailed with the AssertDescription.
import { ApiError } from '../../protocol/errors.ts';
import { evaluateCondition, type EvalContext } from './evaluate.ts';
import { plainText, sentence } from './json.ts';
import type { PseudoParameters, ResolvedParameters, Template } from './types.ts';

export function checkRules(template: Template, parameters: ResolvedParameters, pseudo: PseudoParameters): void {
  for (const [name, rule] of Object.entries(template.Rules)) {
    const ctx: EvalContext = { template, parameters, pseudo, conditions: {}, where: `Rules.${name}` };
    if (rule.RuleCondition !== undefined && !evaluateCondition(rule.RuleCondition, ctx)) continue;
    for (const assertion of rule.Assertions) {
      if (!evaluateCondition(assertion.Assert, ctx)) {
        const description = plainText(assertion.AssertDescription) ?? 'the assertion is false';
        throw new ApiError('StackValidationFailed', { reason: `Rule '${name}' is not satisfied: ${sentence(description)}` });
      }
    }
  }
}
