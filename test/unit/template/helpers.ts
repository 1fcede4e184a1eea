// Shared fixtures for the template tests.
import assert from 'node:assert/strict';
import { ApiError } from '../../../src/protocol/errors.ts';
import { parseTemplate } from '../../../src/stacks/template/parse.ts';
import { validateTemplate } from '../../../src/stacks/template/validate.ts';
import { evaluateValue, type EvalContext, type ResourceResolver } from '../../../src/stacks/template/evaluate.ts';
import type { JsonObject, JsonValue, PseudoParameters, Template } from '../../../src/stacks/template/types.ts';

export const PSEUDO: PseudoParameters = {
  StackName: 'my-stack',
  StackId: '4a6c9851-3b0f-4f5f-b4ca-a14bf6910000',
  Region: 'cn-hangzhou',
  AccountId: '1234567890123456',
};

export function throwsApi(fn: () => unknown, code: string, message?: string | RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ApiError, `expected ApiError, got ${String(err)}`);
    assert.equal(err.code, code, `code of: ${err.message}`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return true;
  });
}

// A JSON template body with the version filled in.
export function body(sections: JsonObject): string {
  return JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', ...sections });
}

export function template(sections: JsonObject): Template {
  return parseTemplate(body(sections));
}

export function validTemplate(sections: JsonObject): Template {
  const t = template(sections);
  validateTemplate(t);
  return t;
}

export function context(t: Template, extra: Partial<EvalContext> = {}): EvalContext {
  return { template: t, parameters: {}, pseudo: PSEUDO, conditions: {}, where: 'Test', ...extra };
}

export function evalIn(expr: JsonValue, extra: Partial<EvalContext> = {}, sections: JsonObject = {}): JsonValue {
  return evaluateValue(expr, context(template(sections), extra));
}

// Resources resolve to "<id>-physical" and attributes to "<id>.<attr>".
export const fakeResources: ResourceResolver = {
  ref: (id) => `${id}-physical`,
  getAtt: (id, attr) => (attr === 'List' ? [`${id}-a`, `${id}-b`] : `${id}.${attr}`),
};
