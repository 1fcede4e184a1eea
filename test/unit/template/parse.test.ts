import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/protocol/errors.ts';
import { MAX_TEMPLATE_BYTES, parseTemplate, parseTemplateWith } from '../../../src/stacks/template/parse.ts';
import { readYamlOffLoop } from '../../../src/stacks/template/yaml-thread.ts';
import { body, throwsApi } from './helpers.ts';

describe('parseTemplate: formats and sections', () => {
  it('parses a JSON template and fills absent sections with empty objects', () => {
    const t = parseTemplate(body({ Description: 'd', Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC' } } }));
    assert.equal(t.ROSTemplateFormatVersion, '2015-09-01');
    assert.equal(t.Description, 'd');
    assert.deepEqual(t.Parameters, {});
    assert.deepEqual(t.Outputs, {});
    assert.deepEqual(t.Resources, { Vpc: { Type: 'ALIYUN::ECS::VPC' } });
    assert.equal(t.Metadata, undefined);
  });

  it('parses a YAML template with an unquoted version and empty sections', () => {
    const t = parseTemplate('ROSTemplateFormatVersion: 2015-09-01\nParameters:\nResources:\n  A:\n    Type: ALIYUN::ECS::VPC\n');
    assert.deepEqual(t.Parameters, {});
    assert.deepEqual(Object.keys(t.Resources), ['A']);
  });

  it('accepts flow-style YAML that is not JSON', () => {
    const t = parseTemplate("{ROSTemplateFormatVersion: '2015-09-01', Description: flow}");
    assert.equal(t.Description, 'flow');
  });

  it('keeps Metadata, Rules and Locals', () => {
    const t = parseTemplate(
      body({ Metadata: { k: 'v' }, Rules: { R: { Assertions: [] } }, Locals: { L: { Value: 1 } } }),
    );
    assert.deepEqual(t.Metadata, { k: 'v' });
    assert.deepEqual(t.Rules, { R: { Assertions: [] } });
    assert.deepEqual(t.Locals, { L: { Value: 1 } });
  });

  it('supports YAML anchors and merge keys', () => {
    const t = parseTemplate(
      "ROSTemplateFormatVersion: '2015-09-01'\nMappings:\n  M:\n    base: &b {x: 1}\n    more:\n      <<: *b\n      y: 2\n",
    );
    assert.deepEqual(t.Mappings.M!.more, { x: 1, y: 2 });
  });
});

function parseErrorOf(text: string): Error {
  try {
    parseTemplate(text);
  } catch (e) {
    return e as Error;
  }
  return assert.fail('parsed');
}

describe('parseTemplate: YAML read off the event loop', () => {
  it('reads a YAML template, short forms, anchors and merge keys included, as parseTemplate does', async () => {
    const text = "ROSTemplateFormatVersion: '2015-09-01'\nMappings:\n  M:\n    base: &b {x: 1}\n    more:\n      <<: *b\n      y: .inf\nOutputs:\n  O:\n    Value: !GetAtt A.b.C\n";
    assert.deepEqual(await parseTemplateWith(text, readYamlOffLoop), parseTemplate(text));
  });

  it('reads flow-style YAML that is not JSON, and a JSON template on the event loop', async () => {
    for (const text of ["{ROSTemplateFormatVersion: '2015-09-01', Description: flow}", body({ Description: 'json' })]) {
      assert.deepEqual(await parseTemplateWith(text, readYamlOffLoop), parseTemplate(text));
    }
  });

  it('answers the template errors of YAML nested too deep and of an alias bomb', async () => {
    const deep = `ROSTemplateFormatVersion: '2015-09-01'\nMetadata:\n  x: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    const lines = ["ROSTemplateFormatVersion: '2015-09-01'", 'Metadata:', '  a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`  a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    for (const text of [deep, lines.join('\n')]) {
      await assert.rejects(parseTemplateWith(text, readYamlOffLoop), (e: unknown) => e instanceof ApiError && e.message === parseErrorOf(text).message);
    }
  });
});

describe('parseTemplate: errors', () => {
  const cases: Array<{ name: string; text: string; code: string; message: string | RegExp }> = [
    { name: 'empty body', text: '  \n', code: 'InvalidTemplate', message: 'The template body is empty.' },
    {
      name: 'JSON syntax error with line and column',
      text: '{\n  "ROSTemplateFormatVersion": "2015-09-01",\n  "Resources": {,}\n}',
      code: 'InvalidTemplate',
      message: /^The template is not valid JSON: .+ \(line 3, column 17\)\.$/,
    },
    {
      name: 'YAML syntax error with line and column',
      text: "ROSTemplateFormatVersion: '2015-09-01'\nResources: [a,\n b: }\n",
      code: 'InvalidTemplate',
      message: /^The template is not valid YAML: .+ at line 3, column \d+:?\.$/,
    },
    {
      name: 'unknown YAML tag',
      text: "ROSTemplateFormatVersion: '2015-09-01'\nDescription: !Bogus x\n",
      code: 'InvalidTemplate',
      message: 'The template is not valid YAML: Unknown tag: !Bogus at line 2, column 14:.',
    },
    { name: 'a list', text: '[1, 2]', code: 'InvalidTemplate', message: 'The template is not a JSON object or YAML mapping.' },
    { name: 'a scalar', text: 'hello', code: 'InvalidTemplate', message: 'The template is not a JSON object or YAML mapping.' },
    {
      name: 'missing version',
      text: '{"Resources": {}}',
      code: 'InvalidTemplateVersion',
      message: 'The template version is invalid: Template format version not found.',
    },
    {
      name: 'wrong version',
      text: '{"ROSTemplateFormatVersion": "2010-09-09"}',
      code: 'InvalidTemplateVersion',
      message: 'The template version is invalid: "2010-09-09". "ROSTemplateFormatVersion" should be one of: 2015-09-01.',
    },
    {
      name: 'AWS-style version key',
      text: '{"AWSTemplateFormatVersion": "2010-09-09"}',
      code: 'InvalidTemplateSection',
      message: 'The template section is invalid: AWSTemplateFormatVersion.',
    },
    {
      name: 'unknown section',
      text: body({ Foo: {} }),
      code: 'InvalidTemplateSection',
      message: 'The template section is invalid: Foo.',
    },
    {
      name: 'section that is not an object',
      text: body({ Resources: [] }),
      code: 'InvalidTemplate',
      message: 'The Resources section must be an object.',
    },
    {
      name: 'duplicate YAML keys',
      text: "ROSTemplateFormatVersion: '2015-09-01'\nDescription: a\nDescription: b\n",
      code: 'InvalidTemplate',
      message: /^The template is not valid YAML: Map keys must be unique/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => throwsApi(() => parseTemplate(c.text), c.code, c.message));
  }

  // The same errors when YAML is read on the YAML thread (what requests checking a template use).
  for (const c of cases) {
    it(`${c.name}, YAML read off the event loop`, async () => {
      const err = await parseTemplateWith(c.text, readYamlOffLoop).then(
        () => assert.fail('parsed'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof ApiError, `expected ApiError, got ${String(err)}`);
      assert.equal(err.code, c.code);
      assert.equal(err.message, parseErrorOf(c.text).message);
    });
  }

  it('rejects a template over 524288 bytes and accepts one at the limit', () => {
    const padding = (n: number) => body({ Description: 'x'.repeat(n) });
    const base = Buffer.byteLength(padding(0));
    assert.doesNotThrow(() => parseTemplate(padding(MAX_TEMPLATE_BYTES - base)));
    throwsApi(
      () => parseTemplate(padding(MAX_TEMPLATE_BYTES - base + 1)),
      'InvalidTemplate',
      `The template is too large: ${MAX_TEMPLATE_BYTES + 1} bytes exceeds the limit of ${MAX_TEMPLATE_BYTES} bytes.`,
    );
  });

  it('counts bytes, not characters', () => {
    const base = Buffer.byteLength(body({ Description: '' }));
    const chars = Math.floor((MAX_TEMPLATE_BYTES - base) / 3) + 1;
    throwsApi(() => parseTemplate(body({ Description: '中'.repeat(chars) })), 'InvalidTemplate', /too large/);
  });
});
