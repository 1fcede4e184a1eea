// Where functions may appear inside a parameter definition. "No function can be used in the
// parameters" ("Reasons for template verification failure") holds for the settings ROS itself
// applies (Type, Default, AllowedValues, ...). AssociationPropertyMetadata is read by the console:
// its `Visible: {Condition: ...}` is written with Fn::Equals / Fn::Not / Fn::And / Fn::Or over
// other parameters ("Dynamically display parameters" and "AssociationProperty and
// AssociationPropertyMetadata" pages), so functions are allowed there and their references must
// name parameters.
import { ApiError } from '../../protocol/errors.ts';
import { collectReferences } from './references.ts';
import type { JsonValue, ParameterDef, Template } from './types.ts';
import { PARAMETERS_ONLY, checkExpression } from './validate-refs.ts';

const CONSOLE_SETTINGS: ReadonlySet<string> = new Set(['AssociationPropertyMetadata']);

export function checkParameterFunctions(template: Template, name: string, def: ParameterDef): void {
  for (const [setting, value] of Object.entries(def)) {
    if (value === undefined) continue;
    if (CONSOLE_SETTINGS.has(setting)) {
      checkExpression(template, value, `Parameters.${name}`, PARAMETERS_ONLY);
    } else if (collectReferences(value as JsonValue).some((r) => r.kind === 'Function')) {
      throw new ApiError('InvalidTemplate', { reason: `Functions cannot be used in the Parameters section (parameter ${name})` });
    }
  }
}
