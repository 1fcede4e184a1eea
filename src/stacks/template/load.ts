// Parse and validate in one step: what every API that accepts a TemplateBody needs.
import { parseTemplate } from './parse.ts';
import type { Template } from './types.ts';
import { validateTemplate, type ValidateOptions } from './validate.ts';

export function loadTemplate(body: string, options: ValidateOptions = {}): Template {
  const template = parseTemplate(body);
  validateTemplate(template, options);
  return template;
}
