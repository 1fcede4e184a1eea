// The template and parameter values a stack holds, read back for its next action; undefined when
// they can no longer be read (a template the current rules refuse).
import type { Parameter } from '../../engine/types.ts';
import { ApiError } from '../../protocol/errors.ts';
import type { DeployedTemplate } from '../run/deployment.ts';
import { givenValues } from './given-parameters.ts';
import type { TemplateLoader } from './template-loader.ts';
import { resolveParameters, type PseudoParameters } from './index.ts';

export function heldTemplate(templates: TemplateLoader, body: string, parameters: Parameter[], pseudo: PseudoParameters): DeployedTemplate | undefined {
  try {
    const template = templates.cached(body);
    return { template, parameters: resolveParameters(template, givenValues(parameters), pseudo).values };
  } catch (e) {
    if (e instanceof ApiError) return undefined;
    throw e;
  }
}
