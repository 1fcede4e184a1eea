import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACTION_PARAMS, compileDecoder } from '../../src/api/decode.ts';
import { ApiError } from '../../src/protocol/errors.ts';
import { parseUrlEncoded } from '../../src/protocol/raw-params.ts';

const decodeCreate = compileDecoder(ACTION_PARAMS.CreateStackInstances);
const decodeGroup = compileDecoder(ACTION_PARAMS.CreateStackGroup);
const raw = (q: string) => parseUrlEncoded(q);

function rejects(fn: () => unknown, code: string, message: RegExp): void {
  assert.throws(fn, (e: ApiError) => {
    assert.equal(e.code, code);
    assert.match(e.message, message);
    return true;
  });
}

describe('parameter decoding as the SDK encodes', () => {
  it('reads JSON-style lists and maps', () => {
    const p = decodeCreate(raw('RegionId=cn-hangzhou&StackGroupName=g&AccountIds=%5B%22111%22%2C222%5D&RegionIds=%5B%22cn-beijing%22%5D&OperationPreferences=%7B%22MaxConcurrentCount%22%3A2%7D'));
    assert.deepEqual(p.AccountIds, ['111', '222']);
    assert.deepEqual(p.RegionIds, ['cn-beijing']);
    assert.deepEqual(p.OperationPreferences, { MaxConcurrentCount: 2 });
  });

  it('reads flat lists of objects in index order', () => {
    const p = decodeGroup(raw('RegionId=r&StackGroupName=g&Parameters.2.ParameterKey=B&Parameters.2.ParameterValue=x%20y&Parameters.1.ParameterKey=A&Parameters.1.ParameterValue=1&Tags.1.Key=k'));
    assert.deepEqual(p.Parameters, [
      { ParameterKey: 'A', ParameterValue: '1' },
      { ParameterKey: 'B', ParameterValue: 'x y' },
    ]);
    assert.deepEqual(p.Tags, [{ Key: 'k' }]);
  });

  it('accepts the flat form of JSON lists, as pop-core sends them', () => {
    const p = decodeCreate(raw('RegionId=r&StackGroupName=g&RegionIds.1=cn-beijing&RegionIds.2=cn-shanghai&AccountIds.1=1'));
    assert.deepEqual(p.RegionIds, ['cn-beijing', 'cn-shanghai']);
  });

  it('reads OperationPreferences keys case-insensitively and numeric strings as numbers', () => {
    const p = decodeCreate(raw('RegionId=r&StackGroupName=g&RegionIds=%5B%22a%22%5D&OperationPreferences=%7B%22maxConcurrentCount%22%3A%223%22%2C%22regionconcurrencytype%22%3A%22PARALLEL%22%7D'));
    assert.deepEqual(p.OperationPreferences, { MaxConcurrentCount: 3, RegionConcurrencyType: 'PARALLEL' });
  });

  it('parses booleans and integers', () => {
    const p = decodeCreate(raw('RegionId=r&StackGroupName=g&RegionIds=%5B%22a%22%5D&DisableRollback=TRUE&TimeoutInMinutes=30'));
    assert.equal(p.DisableRollback, true);
    assert.equal(p.TimeoutInMinutes, 30);
  });

  it('ignores parameters the action does not define', () => {
    const p = decodeCreate(raw('RegionId=r&StackGroupName=g&RegionIds=%5B%22a%22%5D&Foo=bar'));
    assert.equal('Foo' in p, false);
  });
});

describe('parameter errors', () => {
  const cases: [string, string, string, RegExp][] = [
    ['missing', 'StackGroupName=g&RegionIds=%5B%22a%22%5D', 'MissingParameter', /^The input parameter RegionId should be specified\.$/],
    ['bad JSON', 'RegionId=r&StackGroupName=g&RegionIds=%5B', 'InvalidParameter', /RegionIds is invalid, it is not valid JSON/],
    ['JSON of the wrong shape', 'RegionId=r&StackGroupName=g&RegionIds=%7B%7D', 'InvalidParameter', /RegionIds is invalid, it must be a JSON array of strings/],
    ['empty list', 'RegionId=r&StackGroupName=g&RegionIds=%5B%5D', 'InvalidParameter', /RegionIds is invalid, it must have at least 1 item/],
    ['pattern', 'RegionId=r&StackGroupName=-g&RegionIds=%5B%22a%22%5D', 'InvalidParameter', /StackGroupName is invalid, it must match the pattern/],
    ['integer', 'RegionId=r&StackGroupName=g&RegionIds=%5B%22a%22%5D&TimeoutInMinutes=ten', 'InvalidParameter', /TimeoutInMinutes is invalid, it must be an integer/],
    ['boolean', 'RegionId=r&StackGroupName=g&RegionIds=%5B%22a%22%5D&DisableRollback=yes', 'InvalidParameter', /DisableRollback is invalid, it must be true or false/],
    ['preference range', 'RegionId=r&StackGroupName=g&RegionIds=%5B%22a%22%5D&OperationPreferences=%7B%22MaxConcurrentCount%22%3A21%7D', 'InvalidParameter', /MaxConcurrentCount must be an integer between 1 and 20/],
    [
      'preference exclusion',
      'RegionId=r&StackGroupName=g&RegionIds=%5B%22a%22%5D&OperationPreferences=%7B%22MaxConcurrentCount%22%3A2%2C%22MaxConcurrentPercentage%22%3A5%7D',
      'InvalidParameter',
      /MaxConcurrentCount and MaxConcurrentPercentage cannot both be specified/,
    ],
  ];
  for (const [name, query, code, message] of cases) {
    it(name, () => rejects(() => decodeCreate(raw(query)), code, message));
  }

  it('checks the page size range', () => {
    const decode = compileDecoder(ACTION_PARAMS.ListStackInstances);
    rejects(() => decode(raw('RegionId=r&StackGroupName=g&PageSize=51')), 'InvalidParameter', /PageSize is invalid, it must be between 1 and 50/);
  });
});
