import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTemplate } from '../../../src/stacks/template/parse.ts';
import type { JsonValue } from '../../../src/stacks/template/types.ts';

function outputValue(yaml: string): JsonValue {
  const t = parseTemplate(`ROSTemplateFormatVersion: '2015-09-01'\nOutputs:\n  O:\n    Value: ${yaml}\n`);
  return t.Outputs.O!.Value;
}

describe('YAML short forms', () => {
  const cases: Array<[string, JsonValue]> = [
    ['!Ref Param', { Ref: 'Param' }],
    ['!Ref ALIYUN::StackName', { Ref: 'ALIYUN::StackName' }],
    ['!GetAtt Vpc.VpcId', { 'Fn::GetAtt': ['Vpc', 'VpcId'] }],
    ['!GetAtt alicloud_vpc.myvpc.VpcId', { 'Fn::GetAtt': ['alicloud_vpc.myvpc', 'VpcId'] }],
    ['!GetAtt [Vpc, VpcId]', { 'Fn::GetAtt': ['Vpc', 'VpcId'] }],
    ['!Sub "${A}-x"', { 'Fn::Sub': '${A}-x' }],
    ['!Sub ["${A}", {A: 1}]', { 'Fn::Sub': ['${A}', { A: 1 }] }],
    ['!Join ["-", [a, !Sub "${B}", !Ref C]]', { 'Fn::Join': ['-', ['a', { 'Fn::Sub': '${B}' }, { Ref: 'C' }]] }],
    ['!Select [0, !GetAZs ""]', { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }],
    ['!Split [",", "a,b"]', { 'Fn::Split': [',', 'a,b'] }],
    ['!If [C, 1, !Ref ALIYUN::NoValue]', { 'Fn::If': ['C', 1, { Ref: 'ALIYUN::NoValue' }] }],
    ['!Equals [a, b]', { 'Fn::Equals': ['a', 'b'] }],
    ['!And [A, B]', { 'Fn::And': ['A', 'B'] }],
    ['!Or [A, !Condition B]', { 'Fn::Or': ['A', { Condition: 'B' }] }],
    ['!Not [A]', { 'Fn::Not': ['A'] }],
    ['!FindInMap [M, k1, k2]', { 'Fn::FindInMap': ['M', 'k1', 'k2'] }],
    ['!Base64Encode text', { 'Fn::Base64Encode': 'text' }],
    ['!Replace [{a: b}, abc]', { 'Fn::Replace': [{ a: 'b' }, 'abc'] }],
    ['!Str 123', { 'Fn::Str': '123' }],
    ['!GetAZs cn-beijing', { 'Fn::GetAZs': 'cn-beijing' }],
    ['!Length [1, 2]', { 'Fn::Length': [1, 2] }],
    ['!Index [b, [a, b]]', { 'Fn::Index': ['b', ['a', 'b']] }],
    ['!ListMerge [[1], [2]]', { 'Fn::ListMerge': [[1], [2]] }],
    ['!MergeMapToList [{k: [1]}]', { 'Fn::MergeMapToList': [{ k: [1] }] }],
    ['!GetJsonValue [k, "{}"]', { 'Fn::GetJsonValue': ['k', '{}'] }],
    ['!Condition IsProd', { Condition: 'IsProd' }],
    ['!Base64Encode {"Fn::Sub": "${A}"}', { 'Fn::Base64Encode': { 'Fn::Sub': '${A}' } }],
  ];
  for (const [yaml, expected] of cases) {
    it(yaml, () => assert.deepEqual(outputValue(yaml), expected));
  }

  it('handles block sequences and nested short forms on several lines', () => {
    const t = parseTemplate(
      [
        "ROSTemplateFormatVersion: '2015-09-01'",
        'Outputs:',
        '  O:',
        '    Value: !Join',
        '      - ""',
        '      - - !Sub "${ALIYUN::Region}-"',
        '        - !GetAtt Vpc.VpcId',
        '        - !Select',
        '          - 1',
        '          - !Split [",", !Ref List]',
        '',
      ].join('\n'),
    );
    assert.deepEqual(t.Outputs.O!.Value, {
      'Fn::Join': ['', [{ 'Fn::Sub': '${ALIYUN::Region}-' }, { 'Fn::GetAtt': ['Vpc', 'VpcId'] }, { 'Fn::Select': [1, { 'Fn::Split': [',', { Ref: 'List' }] }] }]],
    });
  });

  it('maps the documented-but-unsupported functions to their long names too', () => {
    assert.deepEqual(outputValue('!Calculate ["1+1", 0]'), { 'Fn::Calculate': ['1+1', 0] });
  });
});
