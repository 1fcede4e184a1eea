import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFaultInjection } from '../../../src/stacks/template/metadata-faults.ts';
import {
  materializeResource,
  registerResourceType,
  registeredResourceTypes,
  resourceResolver,
  typeAttributes,
} from '../../../src/stacks/template/resource-types.ts';
import type { JsonObject } from '../../../src/stacks/template/types.ts';
import { validateTemplate } from '../../../src/stacks/template/validate.ts';
import { PSEUDO, template, throwsApi } from './helpers.ts';

describe('materializeResource', () => {
  const cases: Array<[string, JsonObject, RegExp, Record<string, RegExp | string>]> = [
    [
      'ALIYUN::ECS::VPC',
      { CidrBlock: '10.0.0.0/8', VpcName: 'v' },
      /^vpc-[a-z0-9]{22}$/,
      { VRouterId: /^vrt-/, RouteTableId: /^vtb-/, CidrBlock: '10.0.0.0/8', VpcName: 'v', Arn: /^acs:vpc:cn-hangzhou:1234567890123456:vpc\/vpc-/ },
    ],
    ['ALIYUN::ECS::VSwitch', { CidrBlock: '10.0.1.0/24', ZoneId: 'cn-hangzhou-h', VpcId: 'vpc-x' }, /^vsw-/, { CidrBlock: '10.0.1.0/24', ZoneId: 'cn-hangzhou-h', VpcId: 'vpc-x' }],
    ['ALIYUN::ECS::SecurityGroup', {}, /^sg-/, { SecurityGroupName: '' }],
    [
      'ALIYUN::ECS::Instance',
      { AllocatePublicIP: true },
      /^i-/,
      { PrivateIp: /^172\.16\.\d+\.\d+$/, PublicIp: /^47\.\d+\.\d+\.\d+$/, ZoneId: 'cn-hangzhou-a', HostName: /^iZ[a-z0-9]{20}Z$/, PrimaryNetworkInterfaceId: /^eni-/ },
    ],
    ['ALIYUN::ECS::Instance', { PrivateIpAddress: '192.168.0.9', HostName: 'web-1' }, /^i-/, { PrivateIp: '192.168.0.9', InnerIp: '192.168.0.9', PublicIp: '', HostName: 'web-1' }],
    ['ALIYUN::RAM::Role', { RoleName: 'MyRole' }, /^MyRole$/, { RoleName: 'MyRole', Arn: 'acs:ram::1234567890123456:role/myrole', RoleId: /^[1-9]\d{18}$/ }],
    ['ALIYUN::RAM::Role', {}, /^my-stack-Role-[a-z0-9]{6}$/, { Arn: /^acs:ram::1234567890123456:role\/my-stack-role-/ }],
    ['ALIYUN::RAM::User', { UserName: 'alice' }, /^alice$/, { UserName: 'alice', UserId: /^[1-9]\d{15}$/ }],
    [
      'ALIYUN::OSS::Bucket',
      { BucketName: 'my-bucket' },
      /^my-bucket$/,
      { Name: 'my-bucket', DomainName: 'my-bucket.oss-cn-hangzhou.aliyuncs.com', InternalDomainName: 'my-bucket.oss-cn-hangzhou-internal.aliyuncs.com' },
    ],
    ['ALIYUN::ROS::WaitConditionHandle', {}, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/, { CurlCli: /^curl -i -X POST 'https:\/\/ros\.cn-hangzhou\.aliyuncs\.com\/waitcondition\?stackid=/ }],
    ['ALIYUN::ROS::WaitCondition', {}, /-/, { JoinedErrorData: '' }],
    ['ALIYUN::SLB::LoadBalancer', { AddressType: 'intranet', VpcId: 'vpc-1' }, /^lb-/, { IpAddress: /^172\.16\./, NetworkType: 'vpc', AddressType: 'intranet' }],
  ];
  for (const [type, properties, physicalId, attributes] of cases) {
    it(`${type} ${JSON.stringify(properties)}`, () => {
      const state = materializeResource(type.split('::').pop()!, type, properties, PSEUDO);
      assert.equal(state.type, type);
      assert.match(state.physicalId, physicalId);
      for (const [name, expected] of Object.entries(attributes)) {
        const actual = state.attributes[name];
        if (typeof expected === 'string') assert.equal(actual, expected, name);
        else assert.match(String(actual), expected, name);
      }
      assert.deepEqual(Object.keys(state.attributes).sort(), typeAttributes(type)!.sort());
    });
  }

  it('InstanceGroup has one entry per instance', () => {
    const state = materializeResource('G', 'ALIYUN::ECS::InstanceGroup', { MaxAmount: 3 }, PSEUDO);
    const ids = state.attributes.InstanceIds as string[];
    assert.equal(ids.length, 3);
    assert.equal(new Set(ids).size, 3);
    assert.equal((state.attributes.ZoneIds as string[]).length, 3);
  });

  it('is deterministic per stack and logical id', () => {
    const a = materializeResource('Vpc', 'ALIYUN::ECS::VPC', {}, PSEUDO);
    assert.deepEqual(materializeResource('Vpc', 'ALIYUN::ECS::VPC', {}, PSEUDO), a);
    assert.notEqual(materializeResource('Vpc2', 'ALIYUN::ECS::VPC', {}, PSEUDO).physicalId, a.physicalId);
    assert.notEqual(materializeResource('Vpc', 'ALIYUN::ECS::VPC', {}, { ...PSEUDO, StackId: 'other' }).physicalId, a.physicalId);
  });

  it('gives unlisted types a generic id and their properties as attributes', () => {
    const state = materializeResource('Eip', 'ALIYUN::REDIS::Eip', { Bandwidth: 5 }, PSEUDO);
    assert.match(state.physicalId, /^eip-[a-z0-9]{20}$/);
    assert.deepEqual(state.attributes, { Bandwidth: 5 });
  });
});

describe('resourceResolver', () => {
  const states = {
    Vpc: materializeResource('Vpc', 'ALIYUN::ECS::VPC', {}, PSEUDO),
    Eip: materializeResource('Eip', 'ALIYUN::REDIS::Eip', { Bandwidth: 5 }, PSEUDO),
  };
  const resolver = resourceResolver(states);

  it('Ref gives the physical id and undefined for unknown resources', () => {
    assert.equal(resolver.ref('Vpc'), states.Vpc.physicalId);
    assert.equal(resolver.ref('Nope'), undefined);
    assert.equal(resolver.getAtt('Nope', 'X'), undefined);
  });
  it('GetAtt of a generic type falls back to a stable placeholder', () => {
    assert.equal(resolver.getAtt('Eip', 'Bandwidth'), 5);
    const address = resolver.getAtt('Eip', 'EipAddress');
    assert.match(String(address), /^EipAddress-[a-z0-9]{12}$/);
    assert.equal(resolver.getAtt('Eip', 'EipAddress'), address);
  });
  it('GetAtt of an unknown attribute of a catalogued type is InvalidTemplateAttribute', () => {
    throwsApi(() => resolver.getAtt('Vpc', 'Bogus'), 'InvalidTemplateAttribute', 'The Referenced Attribute (Vpc Bogus) is incorrect.');
  });
});

describe('registerResourceType', () => {
  it('adds a type to the catalogue, its attributes checked at validation', () => {
    registerResourceType('ALIYUN::Test::Widget', {
      attributes: ['WidgetId'],
      materialize: ({ seed }) => ({ physicalId: `w-${seed.length}`, attributes: { WidgetId: 'w' } }),
    });
    assert.ok(registeredResourceTypes().includes('ALIYUN::Test::Widget'));
    assert.equal(materializeResource('W', 'ALIYUN::Test::Widget', {}, PSEUDO).attributes.WidgetId, 'w');
    const t = template({ Resources: { W: { Type: 'ALIYUN::Test::Widget' } }, Outputs: { O: { Value: { 'Fn::GetAtt': ['W', 'Nope'] } } } });
    throwsApi(() => validateTemplate(t, { strictResourceTypes: true }), 'InvalidTemplateAttribute', 'The Referenced Attribute (W Nope) is incorrect.');
  });
});

describe('readFaultInjection', () => {
  const cases: Array<[string, JsonObject, JsonObject]> = [
    ['nothing', {}, {}],
    ['fail', { 'LocalRos::Fail': 'boom' }, { failMessage: 'boom' }],
    ['delay', { 'LocalRos::DelayMs': 0 }, { delayMs: 0 }],
    ['both and other metadata', { 'LocalRos::Fail': 'x', 'LocalRos::DelayMs': 500, other: 1 }, { failMessage: 'x', delayMs: 500 }],
  ];
  for (const [name, metadata, expected] of cases) {
    it(name, () => assert.deepEqual(readFaultInjection('R', { Type: 'T', Metadata: metadata }), expected));
  }
  it('rejects a non-string message', () => {
    throwsApi(() => readFaultInjection('R', { Type: 'T', Metadata: { 'LocalRos::Fail': 3 } }), 'InvalidTemplate', 'Metadata "LocalRos::Fail" of resource R must be a non-empty string.');
  });
  it('rejects a fractional delay', () => {
    throwsApi(() => readFaultInjection('R', { Type: 'T', Metadata: { 'LocalRos::DelayMs': 1.5 } }), 'InvalidTemplate', /^Metadata "LocalRos::DelayMs" of resource R must be an integer/);
  });
});
