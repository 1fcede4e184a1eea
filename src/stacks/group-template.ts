// Checks a stack group's template and parameter values the way CreateStackGroup and
// UpdateStackGroup do, synchronously (ros-api.md §5.1 rules).
import { parse as parseYaml } from 'yaml';
import { ApiError } from '../protocol/errors.ts';
import type { Parameter } from '../engine/types.ts';

interface TemplateParameterDef {
  Default?: unknown;
}

export function checkGroupTemplate(body: string, parameters: Parameter[]): void {
  let doc: unknown;
  try {
    // YAML is a superset of JSON, so one parser reads both template syntaxes.
    doc = parseYaml(body, { customTags: (tags) => tags, logLevel: 'silent' });
  } catch (e) {
    throw new ApiError('InvalidTemplate', { reason: `Template format error: ${(e as Error).message.split('\n')[0]}` });
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new ApiError('InvalidTemplate', { reason: 'Template format error: the template must be a JSON or YAML object' });
  const template = doc as Record<string, unknown>;
  if (template.ROSTemplateFormatVersion !== '2015-09-01') {
    throw new ApiError('InvalidTemplateVersion', { reason: `ROSTemplateFormatVersion must be 2015-09-01, got ${JSON.stringify(template.ROSTemplateFormatVersion ?? null)}` });
  }
  const defs = (template.Parameters ?? {}) as Record<string, TemplateParameterDef>;
  const given = new Set(parameters.map((p) => p.ParameterKey));
  for (const key of given) if (!(key in defs)) throw new ApiError('UnknownUserParameter', { name: key });
  for (const [name, def] of Object.entries(defs)) {
    if (!given.has(name) && (def === null || typeof def !== 'object' || def.Default === undefined)) throw new ApiError('UserParameterMissing', { name });
  }
}

export function templateParameterNames(body: string): Set<string> {
  const doc = parseYaml(body, { logLevel: 'silent' }) as { Parameters?: Record<string, unknown> };
  return new Set(Object.keys(doc.Parameters ?? {}));
}
