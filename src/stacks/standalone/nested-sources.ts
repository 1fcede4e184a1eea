// The templates of nested stacks given by TemplateURL, fetched (with the TemplateURL security
// policy of template-fetch.ts) before an operation of a standalone stack runs: the run itself is
// synchronous and reads them from here. A URL that cannot be fetched fails its resource when the
// child is created, as in the cloud, which reads a nested stack's template when it creates it.
// Children of children are fetched too.
import { ApiError } from '../../protocol/errors.ts';
import type { TemplateLoader } from '../template/template-loader.ts';
import { fetchTemplate } from '../sources/template-source.ts';
import type { Template } from '../template/index.ts';
import { isJsonObject } from '../template/types.ts';
import { NESTED_STACK_TYPE } from '../template/nested-stack.ts';

// [INF] The ROS documentation gives no nesting limit; five levels, like modules.
export const MAX_NESTED_DEPTH = 5;

// TemplateURL → the template, or why it could not be read.
export type NestedSources = Record<string, { body: string } | { error: string }>;

function childTemplate(templates: TemplateLoader, body: string): Template | undefined {
  try {
    return templates.cached(body);
  } catch (e) {
    // Refused when the child is created, by its own validation.
    if (e instanceof ApiError) return undefined;
    throw e;
  }
}

async function collect(templates: TemplateLoader, template: Template, sources: NestedSources, depth: number): Promise<void> {
  if (depth >= MAX_NESTED_DEPTH) return;
  for (const def of Object.values(template.Resources)) {
    if (def.Type !== NESTED_STACK_TYPE || !isJsonObject(def.Properties)) continue;
    const { TemplateBody: inline, TemplateURL: url } = def.Properties;
    let body: string | undefined;
    if (typeof inline === 'string') body = inline;
    else if (isJsonObject(inline)) body = JSON.stringify(inline);
    else if (typeof url === 'string') {
      if (!Object.hasOwn(sources, url)) {
        try {
          sources[url] = { body: await fetchTemplate(url) };
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          sources[url] = { error: e.message };
        }
      }
      const got = sources[url]!;
      body = 'body' in got ? got.body : undefined;
    }
    const child = body === undefined ? undefined : childTemplate(templates, body);
    if (child) await collect(templates, child, sources, depth + 1);
  }
}

// Every literal TemplateURL of the template's nested stacks, at any depth; empty when none.
export async function fetchNestedSources(templates: TemplateLoader, templateBody: string): Promise<NestedSources> {
  const sources: NestedSources = {};
  const template = childTemplate(templates, templateBody);
  if (template) await collect(templates, template, sources, 0);
  return sources;
}
