import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planCreate, resolveOutputs, resolveResourceProperties, type DeployPlan } from '../../../src/stacks/template/deploy-plan.ts';
import { resolveParameters } from '../../../src/stacks/template/parameters.ts';
import { materializeResource } from '../../../src/stacks/template/resource-types.ts';
import type { JsonObject, ResolvedParameters, ResourceState, Template } from '../../../src/stacks/template/types.ts';
import { PSEUDO, throwsApi, validTemplate } from './helpers.ts';

const network: JsonObject = {
  Parameters: {
    Env: { Type: 'String', Default: 'dev', AllowedValues: ['dev', 'prod'] },
    Cidr: { Type: 'String', Default: '192.168.0.0/16' },
  },
  Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
  Resources: {
    Sg: { Type: 'ALIYUN::ECS::SecurityGroup', Properties: { VpcId: { Ref: 'Vpc' } } },
    Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: { Ref: 'Cidr' }, VpcName: { 'Fn::Sub': '${ALIYUN::StackName}-vpc' } } },
    VSwitch: {
      Type: 'ALIYUN::ECS::VSwitch',
      Properties: { VpcId: { 'Fn::GetAtt': ['Vpc', 'VpcId'] }, CidrBlock: '192.168.1.0/24', ZoneId: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] } },
    },
    Server: {
      Type: 'ALIYUN::ECS::Instance',
      DependsOn: ['Bucket'],
      Metadata: { 'LocalRos::Fail': 'disk quota exceeded', 'LocalRos::DelayMs': 250 },
      Properties: {
        InstanceType: 'ecs.g6.large',
        VSwitchId: { Ref: 'VSwitch' },
        SecurityGroupId: { 'Fn::Sub': '${Sg.SecurityGroupId}' },
        DiskMappings: { 'Fn::If': ['IsProd', [{ Size: 40 }], { Ref: 'ALIYUN::NoValue' }] },
        Description: { 'Fn::If': ['IsProd', { Ref: 'Bucket' }, 'none'] },
      },
    },
    Bucket: { Type: 'ALIYUN::OSS::Bucket', Condition: 'IsProd', DeletionPolicy: 'Retain', Properties: { BucketName: 'logs' } },
    Handle: { Type: 'ALIYUN::ROS::WaitConditionHandle' },
  },
  Outputs: {
    VpcId: { Value: { 'Fn::GetAtt': ['Vpc', 'VpcId'] }, Description: { en: 'The VPC', 'zh-cn': 'VPC' } },
    Summary: { Value: { 'Fn::Sub': '${Vpc}/${VSwitch.ZoneId}/${Env}' } },
    BucketDomain: { Condition: 'IsProd', Value: { 'Fn::GetAtt': ['Bucket', 'DomainName'] } },
    Ips: { Value: [{ 'Fn::GetAtt': ['Server', 'PrivateIp'] }, { Ref: 'ALIYUN::Region' }] },
  },
};

function plan(sections: JsonObject, given: Record<string, string> = {}): { t: Template; values: ResolvedParameters; plan: DeployPlan } {
  const t = validTemplate(sections);
  const { values } = resolveParameters(t, given, PSEUDO);
  return { t, values, plan: planCreate(t, values, PSEUDO) };
}

// Creates every resource level by level, the way the engine will.
function simulate(p: DeployPlan, values: ResolvedParameters): Record<string, ResourceState> {
  const states: Record<string, ResourceState> = {};
  for (const level of p.levels) {
    for (const id of level) {
      const props = resolveResourceProperties(p.template, id, { parameters: values, pseudo: PSEUDO, conditions: p.conditions, resources: states });
      states[id] = materializeResource(id, p.resources[id]!.type, props, PSEUDO);
    }
  }
  return states;
}

describe('planCreate', () => {
  it('orders resources in levels and leaves out false conditions', () => {
    const { plan: p } = plan(network);
    assert.deepEqual(p.levels, [['Vpc', 'Handle'], ['Sg', 'VSwitch'], ['Server']]);
    assert.deepEqual(p.omitted, ['Bucket']);
    assert.deepEqual(p.conditions, { IsProd: false });
    // DependsOn on a resource whose Condition is false is ignored ("Resources" page).
    assert.deepEqual(p.resources.Server!.dependsOn, ['VSwitch', 'Sg']);
  });

  it('includes conditional resources and taken-branch references when the condition holds', () => {
    const { plan: p } = plan(network, { Env: 'prod' });
    assert.deepEqual(p.levels, [['Vpc', 'Bucket', 'Handle'], ['Sg', 'VSwitch'], ['Server']]);
    assert.deepEqual(p.resources.Server!.dependsOn, ['Bucket', 'VSwitch', 'Sg']);
    assert.equal(p.resources.Bucket!.deletionPolicy, 'Retain');
    assert.equal(p.resources.Vpc!.deletionPolicy, 'Delete');
  });

  it('carries the fault-injection metadata', () => {
    const { plan: p } = plan(network);
    assert.deepEqual(p.resources.Server!.fault, { failMessage: 'disk quota exceeded', delayMs: 250 });
    assert.deepEqual(p.resources.Vpc!.fault, {});
  });

  it('rejects a reference to a resource that is not created', () => {
    const sections = {
      Conditions: { Never: { 'Fn::Equals': [1, 2] } },
      Resources: {
        A: { Type: 'ALIYUN::ECS::VPC', Condition: 'Never' },
        B: { Type: 'ALIYUN::ECS::VSwitch', Properties: { VpcId: { Ref: 'A' }, CidrBlock: '10.0.0.0/24', ZoneId: 'cn-hangzhou-h' } },
      },
    };
    throwsApi(() => plan(sections), 'InvalidTemplateReference', 'The specified reference "A" (in B) is incorrect.');
  });

  it('plans Count copies', () => {
    const { plan: p } = plan({
      Resources: {
        Vpc: { Type: 'ALIYUN::ECS::VPC' },
        Vsw: { Type: 'ALIYUN::ECS::VSwitch', Count: 3, Properties: { VpcId: { Ref: 'Vpc' }, ZoneId: 'cn-hangzhou-h', CidrBlock: { 'Fn::Sub': '10.0.${ALIYUN::Index}.0/24' } } },
        Sg: { Type: 'ALIYUN::ECS::SecurityGroup', DependsOn: 'Vsw' },
      },
    });
    assert.deepEqual(p.levels, [['Vpc'], ['Vsw[0]', 'Vsw[1]', 'Vsw[2]'], ['Sg']]);
    assert.deepEqual(p.resources.Sg!.dependsOn, ['Vsw[0]', 'Vsw[1]', 'Vsw[2]']);
  });

  it('gives an empty plan for a template without resources', () => {
    const { plan: p } = plan({});
    assert.deepEqual(p.levels, []);
    assert.deepEqual(p.resources, {});
  });
});

describe('resolveResourceProperties and resolveOutputs', () => {
  it('resolves properties against created resources', () => {
    const { plan: p, values } = plan(network);
    const states = simulate(p, values);
    const props = resolveResourceProperties(p.template, 'Server', { parameters: values, pseudo: PSEUDO, conditions: p.conditions, resources: states });
    assert.deepEqual(props, {
      VSwitchId: states.VSwitch!.physicalId,
      SecurityGroupId: states.Sg!.attributes.SecurityGroupId!,
      InstanceType: 'ecs.g6.large',
      Description: 'none',
    });
    assert.equal(states.VSwitch!.attributes.ZoneId, 'cn-hangzhou-a');
    assert.equal(states.VSwitch!.attributes.VpcId, states.Vpc!.physicalId);
    assert.equal(states.Vpc!.attributes.CidrBlock, '192.168.0.0/16');
    assert.equal(states.Vpc!.attributes.VpcName, 'my-stack-vpc');
  });

  it('resolves outputs, leaving out those whose condition is false', () => {
    const { plan: p, values } = plan(network);
    const states = simulate(p, values);
    const outputs = resolveOutputs(p.template, { parameters: values, pseudo: PSEUDO, resources: states });
    assert.deepEqual(outputs, [
      { OutputKey: 'VpcId', OutputValue: states.Vpc!.physicalId, Description: 'The VPC' },
      { OutputKey: 'Summary', OutputValue: `${states.Vpc!.physicalId}/cn-hangzhou-a/dev` },
      { OutputKey: 'Ips', OutputValue: [states.Server!.attributes.PrivateIp!, 'cn-hangzhou'] },
    ]);
  });

  it('includes conditional outputs when the condition holds', () => {
    const { plan: p, values } = plan(network, { Env: 'prod' });
    const states = simulate(p, values);
    const outputs = resolveOutputs(p.template, { parameters: values, pseudo: PSEUDO, resources: states });
    const domain = outputs.find((o) => o.OutputKey === 'BucketDomain');
    assert.equal(domain?.OutputValue, 'logs.oss-cn-hangzhou.aliyuncs.com');
  });

  it('throws for outputs of missing resources unless asked to omit them', () => {
    const { plan: p, values } = plan(network);
    const partial = { parameters: values, pseudo: PSEUDO, resources: {} };
    throwsApi(() => resolveOutputs(p.template, partial), 'InvalidTemplateReference', 'The specified reference "Vpc" (in Outputs.VpcId) is incorrect.');
    assert.deepEqual(resolveOutputs(p.template, partial, { onError: 'omit' }), []);
  });

  it('resolves Count outputs from the original template too', () => {
    const t = validTemplate({
      Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Count: 2 } },
      Outputs: { Ids: { Value: { Ref: 'Vpc' } }, Names: { Value: { 'Fn::GetAtt': ['Vpc', 'VpcName'] } } },
    });
    const p = planCreate(t, {}, PSEUDO);
    const states = simulate(p, {});
    const outputs = resolveOutputs(t, { parameters: {}, pseudo: PSEUDO, resources: states });
    assert.deepEqual(outputs, [
      { OutputKey: 'Ids', OutputValue: [states['Vpc[0]']!.physicalId, states['Vpc[1]']!.physicalId] },
      { OutputKey: 'Names', OutputValue: ['', ''] },
    ]);
  });

  it('reports GetAtt of an attribute a catalogued resource lacks at run time', () => {
    const t = validTemplate({ Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC' } }, Outputs: { X: { Value: { 'Fn::Sub': '${Vpc.VpcId}' } } } });
    const states = { Vpc: { type: 'ALIYUN::ECS::VPC', physicalId: 'vpc-1', attributes: {} } };
    throwsApi(() => resolveOutputs(t, { parameters: {}, pseudo: PSEUDO, resources: states }), 'InvalidTemplateAttribute', 'The Referenced Attribute (Vpc VpcId) is incorrect.');
  });

  it('rejects an unknown logical id', () => {
    const t = validTemplate({});
    throwsApi(() => resolveResourceProperties(t, 'Nope', { parameters: {}, pseudo: PSEUDO, resources: {} }), 'InvalidTemplateReference', 'The specified reference "Nope" (in Resources) is incorrect.');
  });
});
