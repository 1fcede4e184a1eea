import { ACTION_PARAMS, compileDecoder } from './decode.ts';
import { regionActions } from './regions.ts';
import type { ActionTable } from './types.ts';
import type { CompiledAction } from '../protocol/dispatch.ts';

const TABLES: ActionTable[] = [regionActions];

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
