// The functions that used to answer NotSupported (issue 13): Fn::Calculate, Fn::Cidr,
// Fn::FormatTime, Fn::Indent, Fn::Jq, Fn::MatchPattern, Fn::MemberListToMap, Fn::GetStackOutput.
// Expected values are the examples of each function's ROS page where it has them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jqFunction } from '../../../src/stacks/template/jq.ts';
import type { EvalContext } from '../../../src/stacks/template/evaluate.ts';
import type { JsonObject, JsonValue } from '../../../src/stacks/template/types.ts';
import { evalIn, throwsApi } from './helpers.ts';

const sections: JsonObject = {
  Parameters: { Port: { Type: 'Number' }, Cidr: { Type: 'String' }, Text: { Type: 'String' } },
};
const parameters = { Port: 5, Cidr: '10.0.0.0/16', Text: '[client]\nport=3306\npassword=123' };
// 2021-04-07 08:15:10 UTC, a Wednesday: the date of the Fn::FormatTime page's examples.
const NOW = new Date(Date.UTC(2021, 3, 7, 8, 15, 10));
const OTHER_STACKS: Record<string, Record<string, JsonValue>> = {
  'cn-hangzhou/stack-a': { Endpoint: 'http://a', Ports: [80, 443] },
  'cn-beijing/stack-b': { Endpoint: 'http://b' },
};

function run(expr: JsonValue, extra: Partial<EvalContext> = {}): JsonValue {
  return evalIn(
    expr,
    { parameters, now: () => NOW, stackOutputs: (stack, region) => OTHER_STACKS[`${region}/${stack}`], ...extra },
    sections,
  );
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

table('Fn::Calculate', [
  ['integer division truncates (page example)', { 'Fn::Calculate': ['(2+3)/2*3-1', 1] }, 5],
  ['a float takes part (page example)', { 'Fn::Calculate': ['(2.0+3)/2*3-1', 1] }, 6.5],
  ['numbers by index (page example)', { 'Fn::Calculate': ['({1}+3)/2*3-1', 1, [3, 5, 6]] }, 11],
  ['modulo (page example)', { 'Fn::Calculate': ['({0}+{1})%3', 0, [5, 6]] }, 2],
  ['ndigits rounds a float result', { 'Fn::Calculate': ['10.0/3', 2] }, 3.33],
  ['a Number parameter', { 'Fn::Calculate': ['{0}*2', 0, [{ Ref: 'Port' }]] }, 10],
  ['floor division and power', { 'Fn::Calculate': ['7//2 + 2**3', 0] }, 11],
  ['Python floor semantics for negatives', { 'Fn::Calculate': ['-7/2', 0] }, -4],
  ['modulo takes the sign of the divisor', { 'Fn::Calculate': ['-7%3', 0] }, 2],
  ['a negative number by index', { 'Fn::Calculate': ['2-{0}', 0, [-3]] }, 5],
  ['numeric strings', { 'Fn::Calculate': ['{0}+{1}', 0, ['1', '2']] }, 3],
]);
errors('Fn::Calculate', [
  ['division by zero', { 'Fn::Calculate': ['1/0', 0] }, 'InvalidTemplate', '"Fn::Calculate": division by zero.'],
  ['a word', { 'Fn::Calculate': ['1+abs(2)', 0] }, 'InvalidTemplate', '"Fn::Calculate": unexpected character "a" in "1+abs(2)".'],
  ['unbalanced', { 'Fn::Calculate': ['(1+2', 0] }, 'InvalidTemplate', '"Fn::Calculate": missing ")" in "(1+2".'],
  ['index out of range', { 'Fn::Calculate': ['{2}', 0, [1]] }, 'InvalidTemplate', '"Fn::Calculate": {2} has no number (1 given).'],
  ['negative ndigits', { 'Fn::Calculate': ['1', -1] }, 'InvalidTemplate', '"Fn::Calculate": ndigits must be 0 or a positive integer, got -1.'],
  ['not a list', { 'Fn::Calculate': '1+1' }, 'InvalidTemplate', 'Arguments to "Fn::Calculate" must be of the form ["expression", ndigits, [number1, number2, ...]].'],
]);

table('Fn::Cidr', [
  [
    'six /27 blocks of a /24 (page example)',
    { 'Fn::Cidr': ['192.168.0.0/24', 6, 5] },
    ['192.168.0.0/27', '192.168.0.32/27', '192.168.0.64/27', '192.168.0.96/27', '192.168.0.128/27', '192.168.0.160/27'],
  ],
  ['numeric strings', { 'Fn::Cidr': ['192.168.0.0/24', '2', '6'] }, ['192.168.0.0/26', '192.168.0.64/26']],
  ['from a parameter, with Fn::Select', { 'Fn::Select': [1, { 'Fn::Cidr': [{ Ref: 'Cidr' }, 3, 8] }] }, '10.0.1.0/24'],
  ['host bits of the block are ignored', { 'Fn::Cidr': ['10.1.2.3/16', 1, 8] }, ['10.1.0.0/24']],
]);
errors('Fn::Cidr', [
  ['not a block', { 'Fn::Cidr': ['10.0.0.0', 1, 8] }, 'InvalidTemplate', '"Fn::Cidr": "10.0.0.0" is not an IPv4 CIDR block.'],
  ['count above 256', { 'Fn::Cidr': ['10.0.0.0/8', 257, 8] }, 'InvalidTemplate', '"Fn::Cidr": count must be an integer from 1 to 256, got 257.'],
  ['too many blocks', { 'Fn::Cidr': ['192.168.0.0/24', 9, 5] }, 'InvalidTemplate', '"Fn::Cidr": 192.168.0.0/24 holds only 8 blocks of /27, 9 requested.'],
  ['blocks larger than the block', { 'Fn::Cidr': ['192.168.0.0/24', 1, 9] }, 'InvalidTemplate', '"Fn::Cidr": cidrBits 9 makes blocks larger than 192.168.0.0/24.'],
]);

table('Fn::FormatTime', [
  ['UTC by default', { 'Fn::FormatTime': '%Y-%m-%d %H:%M:%S' }, '2021-04-07 08:15:10'],
  ['the directives of the page', { 'Fn::FormatTime': '%y|%I|%a|%A|%b|%B|%j|%p|%U|%w|%W|%x|%X' }, '21|08|Wed|Wednesday|Apr|April|097|AM|14|3|14|04/07/21|08:15:10'],
  ['%c', { 'Fn::FormatTime': '%c' }, 'Wed Apr  7 08:15:10 2021'],
  ['a time zone', { 'Fn::FormatTime': ['%Y-%m-%d %H:%M %z', 'Asia/Shanghai'] }, '2021-04-07 16:15 +0800'],
  ['a zone behind UTC crosses the day', { 'Fn::FormatTime': ['%d %H %z', 'America/Los_Angeles'] }, '07 01 -0700'],
  ['%% and unknown directives', { 'Fn::FormatTime': '100%% %Q' }, '100% %Q'],
]);
errors('Fn::FormatTime', [
  ['unknown time zone', { 'Fn::FormatTime': ['%Y', 'Mars/Olympus'] }, 'InvalidTemplate', '"Fn::FormatTime": unknown time zone "Mars/Olympus".'],
  ['not a string', { 'Fn::FormatTime': 5 }, 'InvalidTemplate', 'Arguments to "Fn::FormatTime" must be of the form format or [format, time_zone].'],
]);

table('Fn::Indent', [
  ['one level of two spaces (page example)', { 'Fn::Indent': [{ Ref: 'Text' }, 1] }, '  [client]\n  port=3306\n  password=123'],
  ['level and size', { 'Fn::Indent': ['a\nb', 2, 4] }, '        a\n        b'],
  ['first line kept', { 'Fn::Indent': ['a\nb', 1, 2, false] }, 'a\n  b'],
  ['empty lines stay empty', { 'Fn::Indent': ['a\n\nb', 1] }, '  a\n\n  b'],
  ['inside Fn::Sub (page example)', { 'Fn::Sub': ['data:\n${p1}', { p1: { 'Fn::Indent': [{ Ref: 'Text' }, 1] } }] }, 'data:\n  [client]\n  port=3306\n  password=123'],
]);
errors('Fn::Indent', [
  ['level above 20', { 'Fn::Indent': ['a', 21] }, 'InvalidTemplate', '"Fn::Indent": Level must be an integer from 0 to 20, got 21.'],
  ['size above 4', { 'Fn::Indent': ['a', 1, 5] }, 'InvalidTemplate', '"Fn::Indent": Size must be an integer from 0 to 4, got 5.'],
]);

table('Fn::MatchPattern', [
  ['matches (page example)', { 'Fn::MatchPattern': ['[a-z]+', 'adb'] }, true],
  ['does not match (page example)', { 'Fn::MatchPattern': ['[a-z]+', '12b'] }, false],
  ['the whole value must match', { 'Fn::MatchPattern': ['[a-z]+', 'abc1'] }, false],
  ['alternatives are anchored as a whole', { 'Fn::MatchPattern': ['a|b', 'ab'] }, false],
  // The AllowedPattern dialect (Java, on RE2): escaped punctuation inside and outside classes,
  // which JavaScript's unicode mode refuses.
  ['escaped punctuation', { 'Fn::MatchPattern': ['[\\w\\&\\-]+\\@\\!', 'a&-b@!'] }, true],
  ["Java's POSIX classes", { 'Fn::MatchPattern': ['\\p{Upper}\\p{Lower}+', 'Dev'] }, true],
  ['quoted text', { 'Fn::MatchPattern': ['\\Qa.b\\E', 'axb'] }, false],
  ['a dot does not match a newline', { 'Fn::MatchPattern': ['a.b', 'a\nb'] }, false],
  ['a catastrophic pattern answers at once', { 'Fn::MatchPattern': ['(a+)+b', 'a'.repeat(50_000)] }, false],
]);
errors('Fn::MatchPattern', [
  ['not a regular expression', { 'Fn::MatchPattern': ['[a-', 'x'] }, 'InvalidTemplate', '"Fn::MatchPattern": "[a-" is not a valid regular expression.'],
  [
    'a backreference',
    { 'Fn::MatchPattern': ['(a)\\1', 'aa'] },
    'InvalidTemplate',
    '"Fn::MatchPattern": "(a)\\\\1" uses lookaround or a backreference, which localros does not evaluate (its engine runs in linear time).',
  ],
  [
    'a class intersection',
    { 'Fn::MatchPattern': ['[a-z&&[^b]]', 'a'] },
    'InvalidTemplate',
    '"Fn::MatchPattern": "[a-z&&[^b]]" uses a class intersection (&&), which localros does not evaluate.',
  ],
  ['a value that is not a string', { 'Fn::MatchPattern': ['[0-9]+', 12] }, 'InvalidTemplate', 'Arguments to "Fn::MatchPattern" must be of the form [pattern, value].'],
]);

table('Fn::MemberListToMap', [
  [
    'Name / Value members (Heat example)',
    { 'Fn::MemberListToMap': ['Name', 'Value', ['.member.0.Name=key', '.member.0.Value=door', '.member.1.Name=colour', '.member.1.Value=green']] },
    { key: 'door', colour: 'green' },
  ],
  ['sparse indexes', { 'Fn::MemberListToMap': ['Key', 'Value', ['.member.2.Key=metric', '.member.2.Value=cpu', '.member.5.Key=size', '.member.5.Value=56']] }, { metric: 'cpu', size: '56' }],
]);
errors('Fn::MemberListToMap', [
  ['a malformed member', { 'Fn::MemberListToMap': ['Name', 'Value', ['key=door']] }, 'InvalidTemplate', '"Fn::MemberListToMap": "key=door" is not of the form ".member.N.Name=value".'],
]);

describe('Fn::Jq', () => {
  const cases: Array<[string, JsonValue, JsonValue]> = [
    ['First of a single filter (page example)', { 'Fn::Jq': ['First', '.test', '{"test":"test"}'] }, 'test'],
    ['a missing key is null', { 'Fn::Jq': ['First', '.nope', '{"test":"test"}'] }, null],
    [
      'All with a pipe, over an object (page example)',
      { 'Fn::Jq': ['All', '.parameters[] | {"param_name": .name}', { parameters: [{ name: 'PKG_TAG_NAME', value: 'trunk' }, { name: 'GIT_COMMIT', value: 'master' }] }] },
      [{ param_name: 'PKG_TAG_NAME' }, { param_name: 'GIT_COMMIT' }],
    ],
    ['First of several outputs', { 'Fn::Jq': ['First', '.[]', '[3,4]'] }, 3],
    ['All of no output', { 'Fn::Jq': ['All', 'empty', '{}'] }, []],
    ['a list output stays one value', { 'Fn::Jq': ['All', '.a', '{"a":[1,2]}'] }, [[1, 2]]],
  ];
  for (const [title, expr, expected] of cases) it(title, () => assert.deepEqual(run(expr), expected));
  it('a bad method', () => throwsApi(() => run({ 'Fn::Jq': ['Last', '.', '{}'] }), 'InvalidTemplate', '"Fn::Jq": method must be First or All, got "Last".'));
  it('a bad script answers jq\'s error', () => throwsApi(() => run({ 'Fn::Jq': ['First', '.[[', '{}'] }), 'InvalidTemplate', /^"Fn::Jq": syntax error, unexpected end of file/));
  it('a script that does not finish in time', () => {
    throwsApi(() => jqFunction(['First', 'last(range(1e15))', '{}'], 300), 'InvalidTemplate', '"Fn::Jq": the script did not finish within 300 ms.');
    // A new jq thread answers the next call.
    assert.equal(run({ 'Fn::Jq': ['First', '.a', '{"a":1}'] }), 1);
  });
  it('an object that is not JSON', () => throwsApi(() => run({ 'Fn::Jq': ['First', '.', '{nope'] }), 'InvalidTemplate', '"Fn::Jq": the object is not a JSON string.'));
});

table('Fn::GetStackOutput', [
  ['an output of a stack in the same region', { 'Fn::GetStackOutput': ['stack-a', 'Endpoint'] }, 'http://a'],
  ['outputs keep their type', { 'Fn::GetStackOutput': ['stack-a', 'Ports'] }, [80, 443]],
  ['another region', { 'Fn::GetStackOutput': ['stack-b', 'Endpoint', 'cn-beijing'] }, 'http://b'],
  ['no such output', { 'Fn::GetStackOutput': ['stack-a', 'Nope'] }, ''],
  ['no such stack', { 'Fn::GetStackOutput': ['stack-z', 'Endpoint'] }, ''],
  ['the stack is in another region', { 'Fn::GetStackOutput': ['stack-b', 'Endpoint'] }, ''],
  ['an empty argument', { 'Fn::GetStackOutput': ['', 'Endpoint'] }, ''],
]);
errors('Fn::GetStackOutput', [
  ['its own outputs', { 'Fn::GetStackOutput': [{ Ref: 'ALIYUN::StackId' }, 'X'] }, 'InvalidTemplate', '"Fn::GetStackOutput": a stack cannot reference its own outputs (in Test).'],
  ['bad shape', { 'Fn::GetStackOutput': 'stack-a' }, 'InvalidTemplate', 'Arguments to "Fn::GetStackOutput" must be of the form [Stack, OutputName, RegionId].'],
]);
