// Rules found on real templates (issue 13): language-map texts in answers, functions inside
// AssociationPropertyMetadata.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plainText } from '../../../src/stacks/template/json.ts';
import { templateSummary, validateTemplateResult } from '../../../src/stacks/template/summary.ts';
import { validateTemplate } from '../../../src/stacks/template/validate.ts';
import type { JsonObject, JsonValue } from '../../../src/stacks/template/types.ts';
import { template, throwsApi } from './helpers.ts';

describe('language maps read as one text', () => {
  const cases: Array<[string, JsonValue | undefined, string | undefined]> = [
    ['English first', { 'zh-cn': '中文', en: 'English', ja: '日本語' }, 'English'],
    ['keys compared case-insensitively', { 'ZH-CN': '中文', EN: 'English' }, 'English'],
    ['Simplified Chinese without English', { ja: '日本語', 'zh-cn': '中文' }, '中文'],
    ['else the first text', { ja: '日本語', fr: 'Français' }, '日本語'],
    ['a map without texts stays JSON', { en: 1 }, '{"en":1}'],
    ['a string as it is', 'plain', 'plain'],
    ['absent', undefined, undefined],
  ];
  for (const [title, value, expected] of cases) it(title, () => assert.equal(plainText(value), expected));

  const localised: JsonObject = {
    Description: { 'zh-cn': '模板', en: 'Template' },
    Parameters: { P: { Type: 'String', Label: { en: 'Label', 'zh-cn': '标签' }, Description: { en: 'Param' } } },
    Resources: { V: { Type: 'ALIYUN::ECS::VPC' } },
    Outputs: { O: { Value: { Ref: 'V' }, Description: { 'zh-cn': '输出' }, Label: { en: 'Out' } } },
  };
  it('ValidateTemplate: template and output texts are strings, parameter settings as written', () => {
    const result = validateTemplateResult(template(localised));
    assert.equal(result.Description, 'Template');
    assert.deepEqual(result.Outputs, [{ OutputKey: 'O', Description: '输出', Label: 'Out' }]);
    assert.deepEqual(result.Parameters[0]!.Label, { en: 'Label', 'zh-cn': '标签' });
  });
  it('GetTemplateSummary: the description is a string', () => {
    assert.equal(templateSummary(template(localised)).Description, 'Template');
  });
});

describe('functions in parameter definitions', () => {
  const base = (def: JsonObject): JsonObject => ({
    Parameters: { Mode: { Type: 'String', Default: 'auto' }, P: { Type: 'String', ...def } },
  });
  const accepted: Array<[string, JsonObject]> = [
    ['Visible with Fn::Not / Fn::Equals over a ${Param} text', { AssociationPropertyMetadata: { Visible: { Condition: { 'Fn::Not': { 'Fn::Equals': ['${Mode}', 'auto'] } } } } }],
    ['Fn::Or and Fn::And with Ref to another parameter', { AssociationPropertyMetadata: { Visible: { Condition: { 'Fn::Or': [{ 'Fn::Equals': [{ Ref: 'Mode' }, 'a'] }, { 'Fn::And': [true, { 'Fn::Equals': [{ Ref: 'ALIYUN::Region' }, 'cn-hangzhou'] }] }] } } } }],
  ];
  for (const [title, def] of accepted) it(`accepted: ${title}`, () => assert.doesNotThrow(() => validateTemplate(template(base(def)))));

  const refused: Array<[string, JsonObject, string, string]> = [
    ['a function in Default', { Default: { Ref: 'Mode' } }, 'InvalidTemplate', 'Functions cannot be used in the Parameters section (parameter P).'],
    ['a function in AllowedValues', { AllowedValues: [{ 'Fn::Join': ['', ['a']] }] }, 'InvalidTemplate', 'Functions cannot be used in the Parameters section (parameter P).'],
    ['a Ref to an unknown name in AssociationPropertyMetadata', { AssociationPropertyMetadata: { Visible: { Condition: { 'Fn::Equals': [{ Ref: 'Nope' }, 'a'] } } } }, 'InvalidTemplateReference', 'The specified reference "Nope" (in Parameters.P) is incorrect.'],
    ['an unknown function in AssociationPropertyMetadata', { AssociationPropertyMetadata: { Visible: { 'Fn::Nope': 1 } } }, 'InvalidTemplate', 'Unknown function "Fn::Nope" (in Parameters.P).'],
  ];
  for (const [title, def, code, message] of refused) it(`refused: ${title}`, () => throwsApi(() => validateTemplate(template(base(def))), code, message));
});
