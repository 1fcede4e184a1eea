import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateConditions } from '../../../src/stacks/template/conditions.ts';
import { expandCount } from '../../../src/stacks/template/count.ts';
import type { JsonObject, ResolvedParameters } from '../../../src/stacks/template/types.ts';
import { PSEUDO, throwsApi, validTemplate } from './helpers.ts';

describe('evaluateConditions', () => {
  const t = validTemplate({
    Parameters: { EnvType: { Type: 'String', Default: 'pre' }, MaxAmount: { Type: 'Number', Default: 1 } },
    Conditions: {
      // Declared before the conditions it uses: evaluation follows dependencies, not order.
      ProdEnv: { 'Fn::And': [{ 'Fn::Equals': ['Prod', { Ref: 'EnvType' }] }, 'PREEnv'] },
      PREEnv: { 'Fn::Not': { 'Fn::Or': ['DevEnv', 'UTEnv'] } },
      DevEnv: { 'Fn::Equals': ['Dev', { Ref: 'EnvType' }] },
      UTEnv: { 'Fn::Equals': ['UT', { Ref: 'EnvType' }] },
      CreateWebServer: { 'Fn::Not': { 'Fn::Equals': [0, { Ref: 'MaxAmount' }] } },
      InRegion: { 'Fn::Equals': [{ Ref: 'ALIYUN::Region' }, 'cn-hangzhou'] },
      ByName: { 'Fn::Or': [{ Condition: 'DevEnv' }, 'UTEnv'] },
      FromMap: { 'Fn::Equals': [{ 'Fn::Select': ['a', { a: 'pre' }] }, { Ref: 'EnvType' }] },
    },
  });

  const cases: Array<[string, ResolvedParameters, Record<string, boolean>]> = [
    [
      'defaults',
      { EnvType: 'pre', MaxAmount: 1 },
      { DevEnv: false, UTEnv: false, PREEnv: true, ProdEnv: false, CreateWebServer: true, InRegion: true, ByName: false, FromMap: true },
    ],
    [
      'Dev with zero servers',
      { EnvType: 'Dev', MaxAmount: 0 },
      { DevEnv: true, UTEnv: false, PREEnv: false, ProdEnv: false, CreateWebServer: false, InRegion: true, ByName: true, FromMap: false },
    ],
    [
      'Prod',
      { EnvType: 'Prod', MaxAmount: 2 },
      { DevEnv: false, UTEnv: false, PREEnv: true, ProdEnv: true, CreateWebServer: true, InRegion: true, ByName: false, FromMap: false },
    ],
  ];
  for (const [name, parameters, expected] of cases) {
    it(name, () => assert.deepEqual(evaluateConditions(t, parameters, PSEUDO), expected));
  }

  it('rejects a condition that is not a boolean', () => {
    const bad = validTemplate({ Conditions: { C: { 'Fn::Select': [0, ['x']] } } });
    throwsApi(() => evaluateConditions(bad, {}, PSEUDO), 'InvalidTemplate', 'The condition (in Conditions.C) does not evaluate to a boolean.');
  });
});

describe('expandCount', () => {
  const sections: JsonObject = {
    Parameters: { Count: { Type: 'Number' } },
    Resources: {
      Eip: { Type: 'ALIYUN::VPC::EIP', Count: { Ref: 'Count' }, Properties: { Name: { 'Fn::Sub': 'eip-${ALIYUN::Index}' }, Bandwidth: 5 } },
      Servers: { Type: 'ALIYUN::ECS::InstanceGroup', Properties: { MaxAmount: { Ref: 'Count' }, InstanceType: 'ecs.g6.large' } },
      EipBind: {
        Type: 'ALIYUN::VPC::EIPAssociation',
        Count: { Ref: 'Count' },
        DependsOn: 'Eip',
        Properties: {
          InstanceId: { 'Fn::Select': [{ Ref: 'ALIYUN::Index' }, { 'Fn::GetAtt': ['Servers', 'InstanceIds'] }] },
          AllocationId: { 'Fn::Select': [{ Ref: 'ALIYUN::Index' }, { Ref: 'Eip' }] },
        },
      },
    },
    Outputs: {
      AllocationIds: { Value: { Ref: 'Eip' } },
      EipAddresses: { Value: { 'Fn::GetAtt': ['Eip', 'EipAddress'] } },
    },
  };

  const expand = (count: number, extra: JsonObject = {}) => {
    const t = validTemplate({ ...sections, ...extra });
    return expandCount(t, { template: t, parameters: { Count: count }, pseudo: PSEUDO, conditions: {} });
  };

  it('expands resources, ALIYUN::Index, DependsOn, Ref and GetAtt as documented', () => {
    const t = expand(2);
    assert.deepEqual(Object.keys(t.Resources), ['Eip[0]', 'Eip[1]', 'Servers', 'EipBind[0]', 'EipBind[1]']);
    assert.deepEqual(t.Resources['Eip[1]'], { Type: 'ALIYUN::VPC::EIP', Properties: { Name: { 'Fn::Sub': 'eip-1' }, Bandwidth: 5 } });
    assert.deepEqual(t.Resources['EipBind[1]'], {
      Type: 'ALIYUN::VPC::EIPAssociation',
      DependsOn: ['Eip[0]', 'Eip[1]'],
      Properties: {
        InstanceId: { 'Fn::Select': [1, { 'Fn::GetAtt': ['Servers', 'InstanceIds'] }] },
        AllocationId: { 'Fn::Select': [1, [{ Ref: 'Eip[0]' }, { Ref: 'Eip[1]' }]] },
      },
    });
    assert.deepEqual(t.Outputs.AllocationIds!.Value, [{ Ref: 'Eip[0]' }, { Ref: 'Eip[1]' }]);
    assert.deepEqual(t.Outputs.EipAddresses!.Value, [{ 'Fn::GetAtt': ['Eip[0]', 'EipAddress'] }, { 'Fn::GetAtt': ['Eip[1]', 'EipAddress'] }]);
  });

  it('Count 0 removes the resource and empties references', () => {
    const t = expand(0);
    assert.deepEqual(Object.keys(t.Resources), ['Servers']);
    assert.deepEqual(t.Outputs.AllocationIds!.Value, []);
  });

  it('is idempotent and leaves templates without Count alone', () => {
    const once = expand(1);
    assert.equal(expandCount(once, { template: once, parameters: { Count: 1 }, pseudo: PSEUDO, conditions: {} }), once);
  });

  const errors: Array<[string, number | JsonObject, string]> = [
    ['negative Count', -1, 'The Count of resource Eip must be a natural number, got -1.'],
    ['fractional Count', 1.5, 'The Count of resource Eip must be a natural number, got 1.5.'],
    ['more than 300 resources', 150, 'The template has more than 300 resources after Count is expanded.'],
  ];
  for (const [name, count, message] of errors) {
    it(name, () => throwsApi(() => expand(count as number), 'InvalidTemplate', message));
  }

  it('rejects a copy name that already exists', () => {
    throwsApi(() => expand(2, { Resources: { ...(sections.Resources as JsonObject), 'Eip[1]': { Type: 'ALIYUN::VPC::EIP' } } }), 'InvalidTemplate', 'The resource Eip[1] created by Count already exists.');
  });
});
