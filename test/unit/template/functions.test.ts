import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate } from '../../../src/stacks/template/evaluate.ts';
import { NO_VALUE, type JsonObject, type JsonValue } from '../../../src/stacks/template/types.ts';
import { context, evalIn, fakeResources, template, throwsApi } from './helpers.ts';

const sections: JsonObject = {
  Parameters: {
    Name: { Type: 'String' },
    Port: { Type: 'Number' },
    List: { Type: 'CommaDelimitedList' },
    Obj: { Type: 'Json' },
  },
  Mappings: { Images: { 'cn-hangzhou': { '32': 'm-32', '64': 'm-64' }, '1': { '2': 'numeric-keys' } } },
  Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC' }, Group: { Type: 'ALIYUN::ECS::InstanceGroup' } },
  Locals: { Greeting: { Value: { 'Fn::Sub': 'hi ${Name}' } } },
};
const parameters = { Name: 'web', Port: 80, List: ['a', 'b', 'c'], Obj: { k: 'v', n: 1 } };
const conditions = { Yes: true, No: false };

function run(expr: JsonValue): JsonValue {
  return evalIn(expr, { parameters, conditions, resources: fakeResources }, sections);
}

function table(name: string, cases: Array<[string, JsonValue, JsonValue]>): void {
  describe(name, () => {
    for (const [title, expr, expected] of cases) it(title, () => assert.deepEqual(run(expr), expected));
  });
}

function errors(name: string, cases: Array<[string, JsonValue, string, string | RegExp]>): void {
  describe(`${name} errors`, () => {
    for (const [title, expr, code, message] of cases) it(title, () => throwsApi(() => run(expr), code, message));
  });
}

table('Ref', [
  ['a parameter', { Ref: 'Name' }, 'web'],
  ['a Number parameter', { Ref: 'Port' }, 80],
  ['a list parameter', { Ref: 'List' }, ['a', 'b', 'c']],
  ['ALIYUN::StackName', { Ref: 'ALIYUN::StackName' }, 'my-stack'],
  ['ALIYUN::StackId', { Ref: 'ALIYUN::StackId' }, '4a6c9851-3b0f-4f5f-b4ca-a14bf6910000'],
  ['ALIYUN::Region', { Ref: 'ALIYUN::Region' }, 'cn-hangzhou'],
  ['ALIYUN::AccountId', { Ref: 'ALIYUN::AccountId' }, '1234567890123456'],
  ['ALIYUN::TenantId defaults to the account', { Ref: 'ALIYUN::TenantId' }, '1234567890123456'],
  ['ALIYUN::ResourceGroupId defaults to empty', { Ref: 'ALIYUN::ResourceGroupId' }, ''],
  ['a resource gives its physical id', { Ref: 'Vpc' }, 'Vpc-physical'],
  ['a local macro', { Ref: 'Greeting' }, 'hi web'],
  ['NoValue at the top level reads as null', { Ref: 'ALIYUN::NoValue' }, null],
]);

describe('ALIYUN::NoValue', () => {
  it('removes the key of an object', () => {
    assert.deepEqual(run({ a: 1, b: { Ref: 'ALIYUN::NoValue' } }), { a: 1 });
  });
  it('removes list items, also when chosen by Fn::If', () => {
    assert.deepEqual(run([1, { Ref: 'ALIYUN::NoValue' }, { 'Fn::If': ['No', 2, { Ref: 'ALIYUN::NoValue' }] }, 3]), [1, 3]);
  });
  it('is the NO_VALUE marker for evaluate()', () => {
    assert.equal(evaluate({ Ref: 'ALIYUN::NoValue' }, context(template({}))), NO_VALUE);
  });
  it('writes an empty string inside Fn::Sub', () => {
    assert.equal(run({ 'Fn::Sub': 'a${ALIYUN::NoValue}b' }), 'ab');
  });
});

describe('ALIYUN::TenantId and ResourceGroupId when given', () => {
  it('uses the given values', () => {
    const pseudo = { StackName: 's', StackId: 'id', Region: 'r', AccountId: 'acc', TenantId: 'tenant', ResourceGroupId: 'rg-1' };
    assert.equal(evalIn({ Ref: 'ALIYUN::TenantId' }, { pseudo }), 'tenant');
    assert.equal(evalIn({ Ref: 'ALIYUN::ResourceGroupId' }, { pseudo }), 'rg-1');
  });
  it('ALIYUN::Index gives the Count index', () => {
    assert.equal(evalIn({ Ref: 'ALIYUN::Index' }, { index: 3 }), 3);
  });
});

errors('Ref', [
  ['an unknown name', { Ref: 'Nope' }, 'InvalidTemplateReference', 'The specified reference "Nope" (in Test) is incorrect.'],
  ['a non-string argument', { Ref: ['Name'] }, 'InvalidTemplate', 'Arguments to "Ref" must be of the form String.'],
  ['ALIYUN::Index outside Count', { Ref: 'ALIYUN::Index' }, 'InvalidTemplate', 'ALIYUN::Index can only be used in the Properties of a resource with Count (in Test).'],
]);

describe('Ref / GetAtt of a resource with no value yet', () => {
  it('is an InvalidTemplateReference naming the referencer', () => {
    const ctx = context(template(sections), { parameters, resources: { ref: () => undefined, getAtt: () => undefined }, where: 'Web' });
    throwsApi(() => evaluate({ Ref: 'Vpc' }, ctx), 'InvalidTemplateReference', 'The specified reference "Vpc" (in Web) is incorrect.');
    throwsApi(() => evaluate({ 'Fn::GetAtt': ['Vpc', 'VpcId'] }, ctx), 'InvalidTemplateReference', 'The specified reference "Vpc" (in Web) is incorrect.');
  });
});

table('Fn::GetAtt', [
  ['list form', { 'Fn::GetAtt': ['Vpc', 'VpcId'] }, 'Vpc.VpcId'],
  ['dotted string form', { 'Fn::GetAtt': 'Vpc.VpcId' }, 'Vpc.VpcId'],
  ['list-valued attribute', { 'Fn::GetAtt': ['Group', 'List'] }, ['Group-a', 'Group-b']],
]);
errors('Fn::GetAtt', [
  ['unknown resource', { 'Fn::GetAtt': ['Nope', 'X'] }, 'InvalidTemplateReference', 'The specified reference "Nope" (in Test) is incorrect.'],
  ['bad shape', { 'Fn::GetAtt': 'NoDot' }, 'InvalidTemplate', 'Arguments to "Fn::GetAtt" must be of the form [resourceID, attributeName].'],
]);

table('Fn::Join', [
  ['strings', { 'Fn::Join': [',', ['a', 'b', 'c']] }, 'a,b,c'],
  ['empty delimiter', { 'Fn::Join': ['', ['a', { Ref: 'Name' }]] }, 'aweb'],
  ['empty list', { 'Fn::Join': ['-', []] }, ''],
  ['a list parameter', { 'Fn::Join': ['|', { Ref: 'List' }] }, 'a|b|c'],
  ['NoValue items are dropped', { 'Fn::Join': ['-', ['a', { Ref: 'ALIYUN::NoValue' }, 'b']] }, 'a-b'],
  ['nested Sub', { 'Fn::Join': ['/', [{ 'Fn::Sub': '${Name}-${ALIYUN::Region}' }, 'x']] }, 'web-cn-hangzhou/x'],
  ['a Number parameter, as published templates join ports', { 'Fn::Join': ['', ['port-', { Ref: 'Port' }]] }, 'port-80'],
  ['numbers and booleans in their literal form', { 'Fn::Join': [',', [1, 2.5, true, false]] }, '1,2.5,true,false'],
]);
errors('Fn::Join', [
  ['a map item', { 'Fn::Join': ['', ['x', { Ref: 'Obj' }]] }, 'InvalidTemplate', '"Fn::Join": items to join must be strings or numbers, got {"k":"v","n":1}.'],
  ['a list item', { 'Fn::Join': ['', ['x', ['y']]] }, 'InvalidTemplate', '"Fn::Join": items to join must be strings or numbers, got ["y"].'],
  ['not a list', { 'Fn::Join': [',', 'abc'] }, 'InvalidTemplate', 'Arguments to "Fn::Join" must be of the form [delimiter, [string1, string2, ...]].'],
  ['wrong arity', { 'Fn::Join': [','] }, 'InvalidTemplate', 'Arguments to "Fn::Join" must be of the form [delimiter, [string1, string2, ...]].'],
]);

table('Fn::Sub', [
  ['parameters and pseudo parameters', { 'Fn::Sub': '${Name}:${ALIYUN::StackName}:${ALIYUN::Region}' }, 'web:my-stack:cn-hangzhou'],
  ['numbers and lists', { 'Fn::Sub': 'port ${Port} list ${List}' }, 'port 80 list ["a","b","c"]'],
  ['resource id and attribute', { 'Fn::Sub': 'id ${Vpc} attr ${Vpc.VpcId}' }, 'id Vpc-physical attr Vpc.VpcId'],
  ['literal escape', { 'Fn::Sub': '${!Literal} and ${!Name}' }, '${Literal} and ${Name}'],
  ['variable map', { 'Fn::Sub': ['Var1: ${Var1}, Name: ${Name}', { Var1: 'v1', Name: 'overridden' }] }, 'Var1: v1, Name: overridden'],
  ['variable map with functions', { 'Fn::Sub': ['${A}', { A: { 'Fn::Join': ['-', ['x', 'y']] } }] }, 'x-y'],
  ['spaces inside braces', { 'Fn::Sub': '${ Name }' }, 'web'],
  ['no variables', { 'Fn::Sub': 'plain' }, 'plain'],
  ['number and boolean variables in their literal form', { 'Fn::Sub': ['${A}:${B}:${C}', { A: 8080, B: true, C: 0.5 }] }, '8080:true:0.5'],
]);
errors('Fn::Sub', [
  ['unknown variable', { 'Fn::Sub': '${Nope}' }, 'InvalidTemplateReference', 'The specified reference "Nope" (in Test) is incorrect.'],
  ['bad shape', { 'Fn::Sub': ['a', 'b'] }, 'InvalidTemplate', 'Arguments to "Fn::Sub" must be of the form String or [String, {VarName: VarValue, ...}].'],
]);

table('Fn::Select', [
  ['index as string', { 'Fn::Select': ['1', ['apples', 'grapes', 'oranges', 'mangoes']] }, 'grapes'],
  ['index as number', { 'Fn::Select': [0, { Ref: 'List' }] }, 'a'],
  ['negative index', { 'Fn::Select': [-1, ['a', 'b', 'c']] }, 'c'],
  ['out of range gives an empty string', { 'Fn::Select': [5, ['a']] }, ''],
  ['out of range gives the default', { 'Fn::Select': [5, ['a'], 'dflt'] }, 'dflt'],
  ['slice start:stop', { 'Fn::Select': ['1:3', [1, 2, 3, 4, 5]] }, [2, 3]],
  ['slice ::step', { 'Fn::Select': ['::2', [1, 2, 3, 4, 5]] }, [1, 3, 5]],
  ['slice backwards', { 'Fn::Select': ['5:0:-2', [1, 2, 3, 4, 5]] }, [5, 3]],
  ['slice out of range is empty', { 'Fn::Select': ['7:9', [1, 2]] }, []],
  ['slice with negative bounds', { 'Fn::Select': ['-2:', [1, 2, 3]] }, [2, 3]],
  ['map key', { 'Fn::Select': ['key1', { key1: 'grapes', key2: 'mangoes' }] }, 'grapes'],
  ['missing map key gives the default', { 'Fn::Select': ['k', {}, 'd'] }, 'd'],
  ['missing map key gives an empty string', { 'Fn::Select': ['k', {}] }, ''],
  ['Json parameter as map', { 'Fn::Select': ['n', { Ref: 'Obj' }] }, 1],
  ['GetAZs result', { 'Fn::Select': ['0', { 'Fn::GetAZs': { Ref: 'ALIYUN::Region' } }] }, 'cn-hangzhou-a'],
]);
errors('Fn::Select', [
  ['non-integer index on a list', { 'Fn::Select': ['x', ['a']] }, 'InvalidTemplate', '"Fn::Select": index "x" is not an integer.'],
  ['bad slice', { 'Fn::Select': ['1:a', ['a']] }, 'InvalidTemplate', '"Fn::Select": "1:a" is not a valid slice.'],
  ['zero step', { 'Fn::Select': ['::0', ['a']] }, 'InvalidTemplate', '"Fn::Select": slice step cannot be zero.'],
  ['not a list or map', { 'Fn::Select': [0, 'abc'] }, 'InvalidTemplate', /^Arguments to "Fn::Select" must be of the form/],
  ['too few arguments', { 'Fn::Select': [0] }, 'InvalidTemplate', /^Arguments to "Fn::Select" must be of the form/],
]);

table('Fn::Split', [
  ['keeps spaces', { 'Fn::Split': [';', 'foo; bar; achoo '] }, ['foo', ' bar', ' achoo ']],
  ['of a parameter', { 'Fn::Split': ['e', { Ref: 'Name' }] }, ['w', 'b']],
  ['no delimiter present', { 'Fn::Split': [',', 'abc'] }, ['abc']],
]);
errors('Fn::Split', [
  ['empty delimiter', { 'Fn::Split': ['', 'abc'] }, 'InvalidTemplate', 'Arguments to "Fn::Split" must be of the form [delimiter, original_string].'],
  ['non-string input', { 'Fn::Split': [',', ['a']] }, 'InvalidTemplate', 'Arguments to "Fn::Split" must be of the form [delimiter, original_string].'],
]);

table('Fn::If', [
  ['true branch', { 'Fn::If': ['Yes', 'a', 'b'] }, 'a'],
  ['false branch', { 'Fn::If': ['No', 'a', 'b'] }, 'b'],
  ['branches are evaluated', { 'Fn::If': ['Yes', { Ref: 'Name' }, { Ref: 'Nope' }] }, 'web'],
]);
errors('Fn::If', [
  ['unknown condition', { 'Fn::If': ['Nope', 1, 2] }, 'InvalidTemplateReference', 'The specified reference "Nope" (in Test) is incorrect.'],
]);

table('Fn::Equals / Fn::And / Fn::Or / Fn::Not / Fn::Any', [
  ['equal strings', { 'Fn::Equals': ['web', { Ref: 'Name' }] }, true],
  ['number vs string is not equal', { 'Fn::Equals': ['80', { Ref: 'Port' }] }, false],
  ['deep equality ignores key order', { 'Fn::Equals': [{ n: 1, k: 'v' }, { Ref: 'Obj' }] }, true],
  ['And of names', { 'Fn::And': ['Yes', 'Yes'] }, true],
  ['And with a false operand', { 'Fn::And': ['Yes', { Condition: 'No' }] }, false],
  ['Or of names', { 'Fn::Or': ['No', 'Yes'] }, true],
  ['Or of expressions', { 'Fn::Or': [{ 'Fn::Equals': [1, 2] }, { 'Fn::Equals': [2, 2] }] }, true],
  ['Not of a name', { 'Fn::Not': 'No' }, true],
  ['Not of a one-item list', { 'Fn::Not': [{ 'Fn::Equals': ['a', 'a'] }] }, false],
  ['Any', { 'Fn::Any': ['No', { 'Fn::Equals': [1, 1] }] }, true],
]);
errors('Fn::Equals / Fn::And / Fn::Or / Fn::Not', [
  ['And with one operand', { 'Fn::And': ['Yes'] }, 'InvalidTemplate', 'Arguments to "Fn::And" must be of the form [condition, condition, ...] with at least 2 conditions.'],
  ['Or with a non-boolean', { 'Fn::Or': ['Yes', 3] }, 'InvalidTemplate', '"Fn::Or": operands must be conditions or booleans, got 3.'],
  ['Not with two operands', { 'Fn::Not': ['Yes', 'No'] }, 'InvalidTemplate', 'Arguments to "Fn::Not" must be of the form condition.'],
  ['Equals with one value', { 'Fn::Equals': ['a'] }, 'InvalidTemplate', 'Arguments to "Fn::Equals" must be of the form [value_1, value_2].'],
]);

table('Fn::FindInMap', [
  ['literal keys', { 'Fn::FindInMap': ['Images', 'cn-hangzhou', '64'] }, 'm-64'],
  ['keys from functions', { 'Fn::FindInMap': ['Images', { Ref: 'ALIYUN::Region' }, '32'] }, 'm-32'],
  ['numeric keys', { 'Fn::FindInMap': ['Images', 1, 2] }, 'numeric-keys'],
]);
errors('Fn::FindInMap', [
  ['missing key', { 'Fn::FindInMap': ['Images', 'cn-beijing', '64'] }, 'InvalidTemplate', '"Fn::FindInMap": key "cn-beijing/64" not found in mapping "Images".'],
  ['missing mapping', { 'Fn::FindInMap': ['Nope', 'a', 'b'] }, 'InvalidTemplateReference', 'The specified reference "Nope" (in Test) is incorrect.'],
  ['wrong arity', { 'Fn::FindInMap': ['Images', 'a'] }, 'InvalidTemplate', 'Arguments to "Fn::FindInMap" must be of the form [MapName, TopLevelKey, SecondLevelKey].'],
]);

table('Fn::Base64Encode / Fn::Base64Decode / Fn::Str / Fn::Replace', [
  ['encode', { 'Fn::Base64Encode': 'string to encode' }, 'c3RyaW5nIHRvIGVuY29kZQ=='],
  ['encode utf-8', { 'Fn::Base64Encode': '中' }, '5Lit'],
  ['decode', { 'Fn::Base64Decode': 'c3RyaW5nIHRvIGVuY29kZQ==' }, 'string to encode'],
  ['Str of a number', { 'Fn::Str': 123456 }, '123456'],
  ['Str of a float', { 'Fn::Str': 3.5 }, '3.5'],
  ['Str of a string', { 'Fn::Str': 'x' }, 'x'],
  ['Replace every occurrence', { 'Fn::Replace': [{ print: 'echo' }, 'print a\nprint b'] }, 'echo a\necho b'],
  ['Replace several keys in order', { 'Fn::Replace': [{ a: 'b', b: 'c' }, 'ab'] }, 'cc'],
  ['Replace in a Join result', { 'Fn::Replace': [{ $N: { Ref: 'Name' } }, { 'Fn::Join': ['', ['x-', '$N']] }] }, 'x-web'],
]);
errors('Fn::Base64Encode / Fn::Str / Fn::Replace', [
  ['encode a number', { 'Fn::Base64Encode': 1 }, 'InvalidTemplate', 'Arguments to "Fn::Base64Encode" must be of the form String.'],
  ['Str of a list', { 'Fn::Str': [1] }, 'InvalidTemplate', 'Arguments to "Fn::Str" must be of the form Number.'],
  ['Replace with a map value', { 'Fn::Replace': [{ a: {} }, 'a'] }, 'InvalidTemplate', '"Fn::Replace": replacement for "a" must be a string.'],
]);

table('Fn::GetAZs', [
  ['a region', { 'Fn::GetAZs': 'cn-beijing' }, ['cn-beijing-a', 'cn-beijing-b', 'cn-beijing-c']],
  ['empty means the stack region', { 'Fn::GetAZs': '' }, ['cn-hangzhou-a', 'cn-hangzhou-b', 'cn-hangzhou-c']],
]);

table('Fn::Length / Fn::Index / Fn::ListMerge', [
  ['length of a map', { 'Fn::Length': { key1: 'v1', key2: 'v2' } }, 2],
  ['length of a list', { 'Fn::Length': [1, 2, 3] }, 3],
  ['length of a string', { 'Fn::Length': 'length' }, 6],
  ['length of a list parameter', { 'Fn::Length': { Ref: 'List' } }, 3],
  ['index found', { 'Fn::Index': ['cn-beijing-b', ['cn-beijing-a', 'cn-beijing-b', 'cn-beijing-f']] }, 1],
  ['index missing gives an empty string', { 'Fn::Index': ['z', ['a']] }, ''],
  ['merge lists', { 'Fn::ListMerge': [['a', 'b'], { Ref: 'List' }, []] }, ['a', 'b', 'a', 'b', 'c']],
  ['merge attribute lists', { 'Fn::ListMerge': [{ 'Fn::GetAtt': ['Group', 'List'] }, ['x']] }, ['Group-a', 'Group-b', 'x']],
]);
errors('Fn::Length / Fn::ListMerge', [
  ['length of a number', { 'Fn::Length': 5 }, 'InvalidTemplate', 'Arguments to "Fn::Length" must be of the form String, List or Map.'],
  ['merge a non-list', { 'Fn::ListMerge': [['a'], 'b'] }, 'InvalidTemplate', 'Arguments to "Fn::ListMerge" must be of the form [[list_1_item_1, ...], [list_2_item_1, ...], ...].'],
]);

table('Fn::MergeMapToList', [
  [
    'equal lengths',
    { 'Fn::MergeMapToList': [{ key_1: ['a1', 'a2'] }, { key_2: ['b1', 'b2'] }] },
    [{ key_1: 'a1', key_2: 'b1' }, { key_1: 'a2', key_2: 'b2' }],
  ],
  [
    'shorter lists repeat their last item',
    { 'Fn::MergeMapToList': [{ key_1: ['a1', 'a2'] }, { key_2: ['b1', 'b2', 'b3'] }, { key_3: ['c1'] }] },
    [
      { key_1: 'a1', key_2: 'b1', key_3: 'c1' },
      { key_1: 'a2', key_2: 'b2', key_3: 'c1' },
      { key_1: 'a2', key_2: 'b3', key_3: 'c1' },
    ],
  ],
  [
    'with a GetAtt list',
    { 'Fn::MergeMapToList': [{ Port: [6666, 9090, 8080] }, { ServerId: { 'Fn::GetAtt': ['Group', 'List'] } }, { Weight: [20, 100] }] },
    [
      { Port: 6666, ServerId: 'Group-a', Weight: 20 },
      { Port: 9090, ServerId: 'Group-b', Weight: 100 },
      { Port: 8080, ServerId: 'Group-b', Weight: 100 },
    ],
  ],
  ['no maps', { 'Fn::MergeMapToList': [] }, []],
]);
errors('Fn::MergeMapToList', [
  ['value not a list', { 'Fn::MergeMapToList': [{ k: 'v' }] }, 'InvalidTemplate', '"Fn::MergeMapToList": the value of "k" must be a list.'],
]);

table('Fn::GetJsonValue', [
  ['from a JSON string', { 'Fn::GetJsonValue': ['1', '{"1": "token", "2": "x"}'] }, 'token'],
  ['from an object', { 'Fn::GetJsonValue': ['k', { Ref: 'Obj' }] }, 'v'],
]);
errors('Fn::GetJsonValue', [
  ['missing key', { 'Fn::GetJsonValue': ['z', '{}'] }, 'InvalidTemplate', '"Fn::GetJsonValue": key "z" not found.'],
  ['not JSON', { 'Fn::GetJsonValue': ['z', 'nope'] }, 'InvalidTemplate', '"Fn::GetJsonValue": the second argument is not a JSON string.'],
]);

table('Fn::Add / Fn::Max / Fn::Min / Fn::Avg / Fn::SelectMapList / Fn::Contains / Fn::EachMemberIn', [
  ['add numbers', { 'Fn::Add': [1, 2, { Ref: 'Port' }] }, 83],
  ['add lists', { 'Fn::Add': [[1], [2, 3]] }, [1, 2, 3]],
  ['add maps, later keys win', { 'Fn::Add': [{ Product: 'ROS', Fn: 'x' }, { Fn: 'Add' }] }, { Product: 'ROS', Fn: 'Add' }],
  ['max', { 'Fn::Max': [1.1, 2, 3] }, 3],
  ['min with numeric strings', { 'Fn::Min': ['1.1', 2, 3] }, 1.1],
  ['avg', { 'Fn::Avg': [1, [1, 2, 6.0]] }, 3],
  ['avg rounds', { 'Fn::Avg': [2, ['1', '2']] }, 1.5],
  [
    'select map list',
    { 'Fn::SelectMapList': ['key2', [{ key1: 'v1' }, { key1: 'v2', key2: 'v2-2' }, { key2: 'v3-2' }]] },
    ['v2-2', 'v3-2'],
  ],
  ['contains', { 'Fn::Contains': [['a', 'b'], 'b'] }, true],
  ['does not contain', { 'Fn::Contains': [{ Ref: 'List' }, 'z'] }, false],
  ['each member in', { 'Fn::EachMemberIn': [['a', 'c'], { Ref: 'List' }] }, true],
  ['not each member in', { 'Fn::EachMemberIn': [['a', 'z'], ['a']] }, false],
]);
errors('Fn::Add / Fn::Max', [
  ['add mixed types', { 'Fn::Add': [1, [2]] }, 'InvalidTemplate', '"Fn::Add": all values must be numbers, lists or maps of the same type.'],
  ['add one value', { 'Fn::Add': [1] }, 'InvalidTemplate', 'Arguments to "Fn::Add" must be of the form [value1, value2, ...] with at least two values.'],
  ['max of a word', { 'Fn::Max': ['x'] }, 'InvalidTemplate', '"Fn::Max": "x" is not a number.'],
]);

errors('inherited object members are not names', [
  ['Ref constructor', { Ref: 'constructor' }, 'InvalidTemplateReference', 'The specified reference "constructor" (in Test) is incorrect.'],
  ['Fn::If on toString', { 'Fn::If': ['toString', 1, 2] }, 'InvalidTemplateReference', 'The specified reference "toString" (in Test) is incorrect.'],
  ['FindInMap through the prototype', { 'Fn::FindInMap': ['Images', 'constructor', 'name'] }, 'InvalidTemplate', '"Fn::FindInMap": key "constructor/name" not found in mapping "Images".'],
  ['GetJsonValue of an inherited key', { 'Fn::GetJsonValue': ['hasOwnProperty', '{}'] }, 'InvalidTemplate', '"Fn::GetJsonValue": key "hasOwnProperty" not found.'],
]);
table('inherited object members in data', [
  ['Select of constructor', { 'Fn::Select': ['constructor', {}] }, ''],
  ['SelectMapList of toString', { 'Fn::SelectMapList': ['toString', [{}, { toString: 'x' }]] }, ['x']],
]);

errors('function names', [
  ['unknown function', { 'Fn::Nope': 1 }, 'InvalidTemplate', 'Unknown function "Fn::Nope" (in Test).'],
  ['unsupported function', { 'Fn::MarketplaceImage': {} }, 'NotSupported', 'The function Fn::MarketplaceImage (in Test) is not supported.'],
]);

describe('plain values', () => {
  it('leave objects with several keys alone, evaluating their values', () => {
    assert.deepEqual(run({ Ref: 'Name', Other: 1 }), { Ref: 'Name', Other: 1 });
    assert.deepEqual(run({ a: { Ref: 'Name' }, b: [true, null, 1.5] }), { a: 'web', b: [true, null, 1.5] });
  });
});
