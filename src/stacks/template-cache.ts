// Parsed templates by body. Every target of an operation deploys the same frozen body, so the
// engine parses and validates it once per operation instead of once per target. Templates are
// never mutated by the library, so sharing one object is safe.
import { loadTemplate, type Template } from './template/index.ts';

const MAX_ENTRIES = 32;
const cache = new Map<string, Template>();

export function loadTemplateCached(body: string): Template {
  const hit = cache.get(body);
  if (hit) return hit;
  const template = loadTemplate(body);
  cache.set(body, template);
  // The oldest entry goes first; an operation's targets all run within its lifetime.
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  return template;
}
