import { ACTION_PARAMS, compileDecoder } from './decode.ts';
import { operationActions } from './operations.ts';
import { regionActions } from './regions.ts';
import { stackGroupActions } from './stack-groups.ts';
import { stackInstanceActions } from './stack-instances.ts';
import type { ActionTable } from './types.ts';
import type { CompiledAction } from '../protocol/dispatch.ts';

const TABLES: ActionTable[] = [regionActions, stackGroupActions, stackInstanceActions, operationActions];

// Decoders are compiled once, at start-up.
export function compileActions(): Map<string, CompiledAction> {
  const compiled = new Map<string, CompiledAction>();
  for (const table of TABLES) {
    for (const [name, def] of Object.entries(table)) {
      const params = ACTION_PARAMS[name];
      if (!params) throw new Error(`action ${name} is not in the catalogue`);
      compiled.set(name, { def, decode: compileDecoder(params) });
    }
  }
  return compiled;
}
