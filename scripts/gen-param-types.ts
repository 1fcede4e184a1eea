// Regenerates src/api/params.generated.ts, the decoded parameter type of every action, from the
// action parameter definitions. Run it after adding an action or changing a parameter.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ACTION_PARAM_DEFS } from '../src/api/action-params.ts';
import { renderParamTypes } from './param-types/render.ts';

const out = fileURLToPath(new URL('../src/api/params.generated.ts', import.meta.url));
writeFileSync(out, renderParamTypes(ACTION_PARAM_DEFS));
console.log(`wrote src/api/params.generated.ts: ${Object.keys(ACTION_PARAM_DEFS).length} actions`);
