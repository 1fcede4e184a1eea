// A large template is checked in slices (issue 18): validation pauses after every resource, and
// TemplateLoader.checked answers what cached() answers, with the same errors, from one cache.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/protocol/errors.ts';
import { TemplateLoader } from '../../../src/stacks/template/template-loader.ts';
import { parseTemplate } from '../../../src/stacks/template/parse.ts';
import { validateTemplateSteps } from '../../../src/stacks/template/validate.ts';

function chain(resources: number, extra: Record<string, object> = {}): string {
  const defs: Record<string, object> = {};
  for (let i = 0; i < resources; i++) defs[`Handle${i}`] = { Type: 'ALIYUN::ROS::WaitConditionHandle', ...(i > 0 ? { DependsOn: `Handle${i - 1}` } : {}) };
  return JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Resources: { ...defs, ...extra } });
}

function pauses(body: string): number {
  const steps = validateTemplateSteps(parseTemplate(body), { maxResources: 10_000 });
  let count = 0;
  while (!steps.next().done) count++;
  return count;
}

const apiError = async (promise: Promise<unknown>): Promise<ApiError> => {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof ApiError, String(e));
    return e;
  }
  assert.fail('resolved');
};

describe('sliced template checks', () => {
  it('pauses validation after every resource, twice (its checks, then the dependency graph)', () => {
    assert.equal(pauses(chain(1)), 2);
    assert.equal(pauses(chain(500)), 1000);
  });

  it('answers the template cached() answers afterwards, validated against the loader limit', async () => {
    const loader = new TemplateLoader(1000);
    const body = chain(600);
    const template = await loader.checked(body);
    assert.equal(Object.keys(template.Resources).length, 600);
    assert.equal(loader.cached(body), template);
    assert.equal(await loader.checked(body), template);
    const over = await apiError(new TemplateLoader(100).checked(body));
    assert.throws(() => new TemplateLoader(100).cached(body), { message: over.message });
  });

  it('rejects with the errors of cached(): syntax, references, cycles', async () => {
    const loader = new TemplateLoader(1000);
    const cycle = chain(300, { Handle0: { Type: 'ALIYUN::ROS::WaitConditionHandle', DependsOn: 'Handle299' } });
    for (const body of ['{"ROSTemplateFormatVersion": ', chain(300, { Bad: { Type: 'ALIYUN::ROS::WaitConditionHandle', DependsOn: 'Missing' } }), cycle]) {
      const sliced = await apiError(loader.checked(body));
      assert.throws(() => loader.cached(body), (e: unknown) => e instanceof ApiError && e.code === sliced.code && e.message === sliced.message);
    }
    assert.equal((await apiError(loader.checked(cycle))).code, 'CircularDependency');
  });

  it('prepare() leaves a template error to the later read, and caches a valid template', async () => {
    const loader = new TemplateLoader(1000);
    await loader.prepare('{"ROSTemplateFormatVersion": ');
    const body = chain(10);
    await loader.prepare(body);
    assert.equal(loader.cached(body), await loader.checked(body));
  });
});
