import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MASK, resolveParameters } from '../../../src/stacks/template/parameters.ts';
import type { JsonObject, JsonValue } from '../../../src/stacks/template/types.ts';
import { PSEUDO, throwsApi, validTemplate } from './helpers.ts';

function resolve(parameters: JsonObject, given: Record<string, string>, extra: JsonObject = {}) {
  return resolveParameters(validTemplate({ Parameters: parameters, ...extra }), given, PSEUDO);
}

function value(def: JsonObject, given?: string): JsonValue {
  return resolve({ P: def }, given === undefined ? {} : { P: given }).values.P!;
}

describe('resolveParameters: type conversion', () => {
  const cases: Array<[string, JsonObject, string | undefined, JsonValue]> = [
    ['String given', { Type: 'String' }, 'abc', 'abc'],
    ['String default', { Type: 'String', Default: 'd' }, undefined, 'd'],
    ['String default that YAML read as a number', { Type: 'String', Default: 5 }, undefined, '5'],
    ['empty String given', { Type: 'String' }, '', ''],
    ['Number integer', { Type: 'Number' }, '42', 42],
    ['Number float', { Type: 'Number' }, '3.14', 3.14],
    ['Number negative exponent', { Type: 'Number' }, '-1e3', -1000],
    ['Number default', { Type: 'Number', Default: 7 }, undefined, 7],
    ['CommaDelimitedList trims items', { Type: 'CommaDelimitedList' }, '10.0.0.1, 10.0.0.2,10.0.0.3', ['10.0.0.1', '10.0.0.2', '10.0.0.3']],
    ['CommaDelimitedList empty', { Type: 'CommaDelimitedList' }, '', []],
    ['CommaDelimitedList list default', { Type: 'CommaDelimitedList', Default: ['a', 1] }, undefined, ['a', '1']],
    ['Json object', { Type: 'Json' }, '{"foo": "bar"}', { foo: 'bar' }],
    ['Json list', { Type: 'Json' }, '[1, 2, 3]', [1, 2, 3]],
    ['Json default object', { Type: 'Json', Default: { c: [] } }, undefined, { c: [] }],
    ['Boolean true', { Type: 'Boolean' }, 'true', true],
    ['Boolean False', { Type: 'Boolean' }, 'False', false],
    ['Boolean default', { Type: 'Boolean', Default: false }, undefined, false],
    ['OOS parameter kept as its name', { Type: 'ALIYUN::OOS::Parameter::Value' }, 'my_image', 'my_image'],
    ['Default null is an empty string, unchecked', { Type: 'String', Default: null, MinLength: 3 }, undefined, ''],
    ['given value wins over the default', { Type: 'String', Default: 'd' }, 'g', 'g'],
  ];
  for (const [name, def, given, expected] of cases) {
    it(name, () => assert.deepEqual(value(def, given), expected));
  }
});

describe('resolveParameters: errors', () => {
  it('rejects a key the template does not define', () => {
    throwsApi(() => resolve({ A: { Type: 'String', Default: 'x' } }, { B: '1' }), 'UnknownUserParameter', 'The Parameter (B) was not defined in template.');
  });
  it('rejects a pseudo parameter given as a parameter', () => {
    throwsApi(() => resolve({}, { 'ALIYUN::StackName': 'x' }), 'UnknownUserParameter', 'The Parameter (ALIYUN::StackName) was not defined in template.');
  });
  it('requires parameters without a default', () => {
    throwsApi(() => resolve({ A: { Type: 'String' } }, {}), 'UserParameterMissing', 'The Parameter A was not provided.');
  });

  const cases: Array<[string, JsonObject, string, string]> = [
    ['not a number', { Type: 'Number' }, 'ten', 'Parameter \'P\' is invalid: Value "ten" is not a number.'],
    ['not JSON', { Type: 'Json' }, '{bad', 'Parameter \'P\' is invalid: Value "{bad" is not a valid JSON string.'],
    ['not a boolean', { Type: 'Boolean' }, 'yes', 'Parameter \'P\' is invalid: Value "yes" is not a boolean (true or false).'],
    ['AllowedValues', { Type: 'String', AllowedValues: ['ecs.t1.small', 'ecs.s1.medium'] }, 'ecs.x', 'Parameter \'P\' is invalid: "ecs.x" is not an allowed value [ecs.t1.small, ecs.s1.medium].'],
    ['AllowedValues on a Number', { Type: 'Number', AllowedValues: [1, '2'] }, '3', 'Parameter \'P\' is invalid: "3" is not an allowed value [1, 2].'],
    ['AllowedValues on each list item', { Type: 'CommaDelimitedList', AllowedValues: ['a', 'b'] }, 'a,c', 'Parameter \'P\' is invalid: "c" is not an allowed value [a, b].'],
    ['AllowedValues on a Json value as a whole', { Type: 'Json', AllowedValues: [[1, 2]] }, '[1]', 'Parameter \'P\' is invalid: "[1]" is not an allowed value [[1,2]].'],
    ['AllowedPattern must match the whole value', { Type: 'String', AllowedPattern: '[a-z]+' }, 'abc1', 'Parameter \'P\' is invalid: "abc1" does not match pattern "[a-z]+".'],
    ['AllowedPattern on list items', { Type: 'CommaDelimitedList', AllowedPattern: '\\d+' }, '1,x', 'Parameter \'P\' is invalid: "x" does not match pattern "\\d+".'],
    ['MinLength', { Type: 'String', MinLength: '6', MaxLength: '12' }, 'abc', "Parameter 'P' is invalid: length (3) is out of range (min: 6, max: 12)."],
    ['MaxLength only', { Type: 'String', MaxLength: 2 }, 'abc', "Parameter 'P' is invalid: length (3) is out of range (min: None, max: 2)."],
    ['MinValue', { Type: 'Number', MinValue: 1, MaxValue: 10 }, '0', "Parameter 'P' is invalid: 0 is out of range (min: 1, max: 10)."],
    ['MaxValue with strings in the template', { Type: 'Number', MaxValue: '10' }, '10.5', "Parameter 'P' is invalid: 10.5 is out of range (min: None, max: 10)."],
    ['ConstraintDescription replaces the reason', { Type: 'String', AllowedPattern: '[0-9]+', ConstraintDescription: 'digits only' }, 'x', "Parameter 'P' is invalid: digits only."],
    ['localised ConstraintDescription', { Type: 'String', MinLength: 2, ConstraintDescription: { en: 'too short', 'zh-cn': '太短' } }, 'x', "Parameter 'P' is invalid: too short."],
  ];
  for (const [name, def, given, message] of cases) {
    it(name, () => throwsApi(() => value(def, given), 'StackValidationFailed', message));
  }

  it('does not apply lengths to Json values', () => {
    assert.equal(value({ Type: 'Json', MaxLength: 1 }, '"long"'), 'long');
  });
  it('counts characters, not bytes, for lengths', () => {
    assert.equal(value({ Type: 'String', MaxLength: 2 }, '中文'), '中文');
  });
  it('accepts Boolean AllowedValues written in any case', () => {
    assert.equal(value({ Type: 'Boolean', AllowedValues: ['True', 'true', 'False', 'false'] }, 'TRUE'), true);
  });
  it('does not apply AllowedPattern to OOS parameters', () => {
    assert.equal(value({ Type: 'ALIYUN::OOS::Parameter::Value', AllowedPattern: 'x' }, 'y'), 'y');
  });
});

describe('resolveParameters: masked view for read APIs', () => {
  it('lists pseudo parameters and template parameters sorted, with NoEcho masked', () => {
    const { maskedParameters } = resolve(
      {
        SecurityGroupId: { Type: 'String' },
        Password: { Type: 'String', NoEcho: 'True' },
        Zones: { Type: 'CommaDelimitedList', Default: 'a, b' },
        Conf: { Type: 'Json', Default: { a: 1 } },
        Port: { Type: 'Number', Default: 80 },
      },
      { SecurityGroupId: 'sg-1', Password: 'secret' },
    );
    assert.deepEqual(maskedParameters, [
      { ParameterKey: 'ALIYUN::AccountId', ParameterValue: '1234567890123456' },
      { ParameterKey: 'ALIYUN::NoValue', ParameterValue: 'None' },
      { ParameterKey: 'ALIYUN::Region', ParameterValue: 'cn-hangzhou' },
      { ParameterKey: 'ALIYUN::StackId', ParameterValue: '4a6c9851-3b0f-4f5f-b4ca-a14bf6910000' },
      { ParameterKey: 'ALIYUN::StackName', ParameterValue: 'my-stack' },
      { ParameterKey: 'Conf', ParameterValue: '{"a":1}' },
      { ParameterKey: 'Password', ParameterValue: MASK },
      { ParameterKey: 'Port', ParameterValue: '80' },
      { ParameterKey: 'SecurityGroupId', ParameterValue: 'sg-1' },
      { ParameterKey: 'Zones', ParameterValue: 'a,b' },
    ]);
    assert.equal(MASK, '******');
  });

  it('keeps the real value in values', () => {
    const { values } = resolve({ Password: { Type: 'String', NoEcho: true } }, { Password: 'secret' });
    assert.equal(values.Password, 'secret');
  });
});

describe('resolveParameters: Rules', () => {
  const rules = {
    PublicNet: {
      RuleCondition: { 'Fn::Equals': [{ Ref: 'Environment' }, 'prod'] },
      Assertions: [{ Assert: { 'Fn::Equals': [{ Ref: 'Bandwidth' }, 0] }, AssertDescription: 'ECS instance should be intranet when the environment is prod.' }],
    },
    Sizes: { Assertions: [{ Assert: { 'Fn::Contains': [['s', 'm'], { Ref: 'Size' }] } }] },
  };
  const parameters = {
    Environment: { Type: 'String', AllowedValues: ['prod', 'pre'] },
    Bandwidth: { Type: 'Number', Default: 0 },
    Size: { Type: 'String', Default: 's' },
  };

  it('passes when every applicable assertion holds', () => {
    assert.doesNotThrow(() => resolve(parameters, { Environment: 'prod' }, { Rules: rules }));
  });
  it('skips a rule whose RuleCondition is false', () => {
    assert.doesNotThrow(() => resolve(parameters, { Environment: 'pre', Bandwidth: '5' }, { Rules: rules }));
  });
  it('fails with the AssertDescription', () => {
    throwsApi(
      () => resolve(parameters, { Environment: 'prod', Bandwidth: '5' }, { Rules: rules }),
      'StackValidationFailed',
      "Rule 'PublicNet' is not satisfied: ECS instance should be intranet when the environment is prod.",
    );
  });
  it('fails without a description', () => {
    throwsApi(() => resolve(parameters, { Environment: 'pre', Size: 'xl' }, { Rules: rules }), 'StackValidationFailed', "Rule 'Sizes' is not satisfied: the assertion is false.");
  });
});
