import { driftAndImportActions } from './drift-and-import.ts';
import { ACTION_PARAM_DEFS } from './action-params.ts';
import { compileDecoder } from './decode.ts';
import { operationActions } from './operations.ts';
import { regionActions } from './regions.ts';
import { resourceTypeActions } from './resource-types.ts';
import { moduleActions } from './modules.ts';
import { stackGroupActions } from './stack-groups.ts';
import { stackInstanceActions } from './stack-instances.ts';
import { stackActions } from './stacks.ts';
import { stackLifecycleActions } from './stacks/lifecycle.ts';
import { stackPreviewActions } from './stacks/preview.ts';
import { stackProtectionActions } from './stacks/protection.ts';
import { stackSignalActions } from './stacks/signal.ts';
import { templateActions } from './templates.ts';
// Tags, stack drift and change sets (issue 12).
import { tagActions } from './tags.ts';
import { stackDriftActions } from './stack-drift.ts';
import { changeSetActions } from './change-sets.ts';
import type { ActionTable } from './types.ts';
import type { CompiledAction } from '../protocol/dispatch.ts';
import { unsupportedActions } from './unsupported-actions.ts';

const TABLES: ActionTable[] = [
  regionActions,
  stackGroupActions,
  stackInstanceActions,
  operationActions,
  stackActions,
  stackLifecycleActions,
  stackProtectionActions,
  stackSignalActions,
  stackPreviewActions,
  templateActions,
  driftAndImportActions,
  tagActions,
  stackDriftActions,
  changeSetActions,
  resourceTypeActions,
  moduleActions,
];

// Decoders are compiled once, at start-up.
export function compileActions(): Map<string, CompiledAction> {
  const compiled = unsupportedActions();
  for (const table of TABLES) {
    for (const [name, def] of Object.entries(table)) {
      const params = ACTION_PARAM_DEFS[name];
      if (!params) throw new Error(`action ${name} is not in the catalogue`);
      compiled.set(name, { def, decode: compileDecoder(params) });
    }
  }
  return compiled;
}
