// Checks that every name an expression uses exists and may be used where it appears: Conditions
// and Rules may only reference parameters ("Conditions" page: "Ref (for parameter references
// only)"), Eval locals only parameters and locals ("Locals" page), Count only parameters
// ("Resources" page, Count), Resources and Outputs anything. Locals are reachable through Ref
// only, not as `${Name}` in Fn::Sub ("Locals" page).
import { ApiError } from '../../protocol/errors.ts';
import { checkFunctionKnown } from './intrinsics.ts';
import { own } from './json.ts';
import { collectReferences, invalidReference } from './references.ts';
import { typeAttributes } from './resource-types.ts';
import type { JsonValue, Template } from './types.ts';

export const PSEUDO_PARAMETERS: ReadonlySet<string> = new Set([
  'ALIYUN::StackName',
  'ALIYUN::StackId',
  'ALIYUN::Region',
  'ALIYUN::AccountId',
  'ALIYUN::TenantId',
  'ALIYUN::ResourceGroupId',
  'ALIYUN::NoValue',
  'ALIYUN::Index',
]);

export interface Scope {
  resources: boolean;
  locals: boolean;
  // ALIYUN::Index: only in the Properties of a resource that has Count.
  index: boolean;
  conditionContext?: boolean;
}

export const PARAMETERS_ONLY: Scope = { resources: false, locals: false, index: false };

export function checkExpression(template: Template, value: JsonValue, where: string, scope: Scope): void {
  for (const ref of collectReferences(value, { conditionContext: scope.conditionContext })) {
    switch (ref.kind) {
      case 'Function':
        checkFunctionKnown(ref.name, where);
        break;
      case 'Ref': {
        if (ref.name === 'ALIYUN::Index' && !scope.index) {
          throw new ApiError('InvalidTemplate', { reason: `ALIYUN::Index can only be used in the Properties of a resource with Count (in ${where})` });
        }
        const known =
          PSEUDO_PARAMETERS.has(ref.name) ||
          Object.hasOwn(template.Parameters, ref.name) ||
          (scope.locals && !ref.fromSub && Object.hasOwn(template.Locals, ref.name)) ||
          (scope.resources && Object.hasOwn(template.Resources, ref.name));
        if (!known) throw invalidReference(ref.name, where);
        break;
      }
      case 'GetAtt': {
        const target = own(template.Resources, ref.resource);
        if (!scope.resources || !target) throw invalidReference(ref.resource, where);
        const attributes = typeof target.Type === 'string' ? typeAttributes(target.Type) : undefined;
        if (attributes && !attributes.includes(ref.attribute)) {
          throw new ApiError('InvalidTemplateAttribute', { resource: ref.resource, name: ref.attribute });
        }
        break;
      }
      case 'Condition':
        if (!Object.hasOwn(template.Conditions, ref.name)) throw invalidReference(ref.name, where);
        break;
      case 'Mapping':
        if (!Object.hasOwn(template.Mappings, ref.name)) throw invalidReference(ref.name, where);
        break;
    }
  }
}
