// The template library (CreateTemplate & co.): account-scoped templates with versions v1, v2, …
// A template version is immutable once written; a new body makes a new version.
import { ApiError } from '../../protocol/errors.ts';
import type { Db } from '../../store/db.ts';
import { templates, type StoredTemplate, type TemplateVersion } from '../../store/repos/templates.ts';

// "A template can have up to 100 versions" (ROS API reference, UpdateTemplate).
export const MAX_TEMPLATE_VERSIONS = 100;

export const versionName = (n: number): string => `v${n}`;

function parseVersion(text: string): number | undefined {
  const m = /^v([1-9]\d{0,5})$/.exec(text);
  return m ? Number(m[1]) : undefined;
}

export interface FoundTemplate {
  template: StoredTemplate;
  version: TemplateVersion;
}

// The caller's template at the given version (default: the latest). A foreign template answers
// exactly like a missing one.
export async function findTemplate(db: Db, accountId: string, id: string, version?: string): Promise<FoundTemplate> {
  const template = await templates.get(db, accountId, id);
  if (!template) throw new ApiError('TemplateNotFound', { ID: id });
  const number = version === undefined ? template.latest_version : parseVersion(version);
  const found = number === undefined ? undefined : await templates.version(db, id, number);
  if (!found) throw new ApiError('TemplateVersionNotFound', { ID: id, version: version ?? versionName(template.latest_version) });
  return { template, version: found };
}
