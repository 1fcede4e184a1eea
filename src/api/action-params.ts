// Every action's parameter definitions in one map (the generated catalogue and the families'
// own definitions), and the decoded type of each action's parameters. The types are generated
// from these definitions (`npm run gen:param-types` writes params.generated.ts), so a handler
// reads `p.Name` typed as the decoder produces it, and a definition changed without
// regenerating fails the type check and test/unit/param-types.test.ts.
import { EXTRA_ACTION_PARAMS } from './catalogue-extra.ts';
import { CHANGE_SET_ACTION_PARAMS } from './change-sets-params.ts';
import { ACTION_PARAMS, type ParamDef } from './decode.ts';
import type { ActionParams } from './params.generated.ts';
import { RESOURCE_TYPE_ACTION_PARAMS } from './resource-types-params.ts';
import { STACK_ACTION_PARAMS } from './stacks/params.ts';
import { TAG_AND_DRIFT_ACTION_PARAMS } from './tag-and-drift-params.ts';

export type ActionName = keyof ActionParams;
export type Params<A extends ActionName> = ActionParams[A];

// The shared catalogue wins over a family's definition of the same action.
export const ACTION_PARAM_DEFS: Record<string, ParamDef[]> = {
  ...EXTRA_ACTION_PARAMS,
  ...STACK_ACTION_PARAMS,
  ...TAG_AND_DRIFT_ACTION_PARAMS,
  ...CHANGE_SET_ACTION_PARAMS,
  ...RESOURCE_TYPE_ACTION_PARAMS,
  ...ACTION_PARAMS,
};
