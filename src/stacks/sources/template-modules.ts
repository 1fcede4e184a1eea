// Templates that use MODULE resources are expanded with the caller's registered modules as soon
// as their body is known, so that every API (validation, stacks, stack groups) sees the module's
// resources; the expanded template is the one stored with the stack [INF].
import type { Db } from '../../store/db.ts';
import { moduleVersions } from '../../store/repos/modules.ts';
import { expandModules, hasModules, MODULE_TYPE_PREFIX, type ModuleLookup } from '../template/modules.ts';
import { parseTemplate } from '../template/parse.ts';

export function moduleLookup(db: Db, accountId: string): ModuleLookup {
  return async (type, version) => {
    const versions = await moduleVersions.ofType(db, accountId, type);
    const found = version === 'default' ? versions.find((v) => v.is_default) : versions.find((v) => `v${v.version_number}` === version);
    return found ? parseTemplate(found.template_body) : undefined;
  };
}

export async function expandModuleBody(db: Db, accountId: string, body: string): Promise<string> {
  if (!body.includes(MODULE_TYPE_PREFIX)) return body;
  const template = parseTemplate(body);
  if (!hasModules(template)) return body;
  return JSON.stringify(await expandModules(template, moduleLookup(db, accountId)));
}
