// Each catalogue rule, accepted and refused, with the exact code and message, through
// validateTemplate (template time) and checkResourceProperties in 'resolved' mode (deploy time).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkResourceProperties } from '../../../src/stacks/resource-types/properties.ts';
import type { JsonObject, JsonValue } from '../../../src/stacks/template/types.ts';
import { validateTemplate } from '../../../src/stacks/template/validate.ts';
import { template, throwsApi } from '../template/helpers.ts';

const VSW: JsonObject = { VpcId: 'vpc-1', ZoneId: 'cn-hangzhou-h', CidrBlock: '10.0.0.0/24' };
const WAIT: JsonObject = { Handle: 'h', Timeout: 60 };

const one = (type: string, properties?: JsonValue, extra: JsonObject = {}) =>
  template({ Resources: { R: { Type: type, ...(properties === undefined ? {} : { Properties: properties }) } }, ...extra });

const failed = (reason: string) => `Property error: Resources.R.Properties${reason}.`;

describe('resource types', () => {
  const accepted = ['ALIYUN::ECS::VPC', 'DATASOURCE::VPC::Vpcs', 'Custom::Thing', 'ALIYUN::SLB::LoadBalancer', 'ALIYUN::REDIS::Instance'];
  for (const type of accepted) {
    it(`accepts ${type}`, () => assert.doesNotThrow(() => validateTemplate(one(type))));
  }
  const refused = ['ALIYUN::ECS::Instanse', 'ALIYUN::VPC::Nope', 'DATASOURCE::ECS::Nope', 'ALIYUN::ECS', 'AWS::EC2::Instance'];
  for (const type of refused) {
    it(`refuses ${type}`, () => throwsApi(() => validateTemplate(one(type)), 'InvalidTemplate', `Unknown resource Type : ${type}.`));
  }
});

// [type, properties, expected reason or undefined when accepted]
const CASES: Array<[string, string, JsonValue | undefined, string | undefined]> = [
  ['all required given', 'ALIYUN::ECS::VSwitch', VSW, undefined],
  ['required missing', 'ALIYUN::ECS::VSwitch', { VpcId: 'vpc-1', ZoneId: 'z' }, ': Property CidrBlock not assigned'],
  ['required as function', 'ALIYUN::ECS::VSwitch', { ...VSW, VpcId: { Ref: 'ALIYUN::StackId' } }, undefined],
  ['no Properties at all', 'ALIYUN::ECS::VSwitch', undefined, ': Property CidrBlock not assigned'],
  ['unknown property', 'ALIYUN::ECS::VSwitch', { ...VSW, Colour: 'red' }, ': Unknown Property Colour'],
  ['string from a number', 'ALIYUN::ECS::VSwitch', { ...VSW, Description: 12 }, undefined],
  ['string from a list', 'ALIYUN::ECS::VSwitch', { ...VSW, Description: ['a'] }, '.Description: Value must be a string; got ["a"]'],
  ['number', 'ALIYUN::ROS::WaitCondition', WAIT, undefined],
  ['number from a numeric string', 'ALIYUN::ROS::WaitCondition', { ...WAIT, Timeout: '60' }, undefined],
  ['not a number', 'ALIYUN::ROS::WaitCondition', { ...WAIT, Timeout: 'soon' }, '.Timeout: Value "soon" is not a number'],
  ['below the range', 'ALIYUN::ROS::WaitCondition', { ...WAIT, Timeout: 0 }, '.Timeout: 0 is out of range (min: 1, max: 43200)'],
  ['above the range', 'ALIYUN::ROS::WaitCondition', { ...WAIT, Timeout: 43201 }, '.Timeout: 43201 is out of range (min: 1, max: 43200)'],
  ['allowed value', 'ALIYUN::ROS::WaitCondition', { ...WAIT, ShowProgressEvent: 'Enabled' }, undefined],
  [
    'not an allowed value',
    'ALIYUN::ROS::WaitCondition',
    { ...WAIT, ShowProgressEvent: 'On' },
    '.ShowProgressEvent: "On" is not an allowed value [EnabledIfCreateStack, Disabled, Enabled]',
  ],
  ['boolean', 'ALIYUN::ECS::VPC', { EnableIpv6: true }, undefined],
  ['boolean from a string', 'ALIYUN::ECS::VPC', { EnableIpv6: 'False' }, undefined],
  ['not a boolean', 'ALIYUN::ECS::VPC', { EnableIpv6: 'yes' }, '.EnableIpv6: Unrecognized value "yes", acceptable values are: true, false'],
  ['list', 'ALIYUN::ECS::VPC', { SecondaryCidrBlocks: ['10.1.0.0/16'] }, undefined],
  ['not a list', 'ALIYUN::ECS::VPC', { SecondaryCidrBlocks: '10.1.0.0/16' }, '.SecondaryCidrBlocks: "10.1.0.0/16" is not a list'],
  ['list too long', 'ALIYUN::ECS::VPC', { SecondaryCidrBlocks: ['a', 'b', 'c', 'd', 'e', 'f'] }, '.SecondaryCidrBlocks: length (6) is out of range (min: 0, max: 5)'],
  ['string too short', 'ALIYUN::ECS::VPC', { Ipv6CidrBlock: '' }, '.Ipv6CidrBlock: length (0) is out of range (min: 1, max: None)'],
  ['pattern', 'ALIYUN::ECS::VPC', { VpcName: 'web' }, undefined],
  ['pattern refused', 'ALIYUN::ECS::VPC', { VpcName: 'http://x' }, '.VpcName: "http://x" does not match pattern "^(?!http:\\/\\/|https:\\/\\/).{1,128}$"'],
  ['struct in a list', 'ALIYUN::ECS::VPC', { Tags: [{ Key: 'env', Value: 'dev' }] }, undefined],
  ['struct member missing', 'ALIYUN::ECS::VPC', { Tags: [{ Value: 'dev' }] }, '.Tags[0]: Property Key not assigned'],
  ['struct member unknown', 'ALIYUN::ECS::VPC', { Tags: [{ Key: 'env', Colour: 'red' }] }, '.Tags[0]: Unknown Property Colour'],
  ['struct not a map', 'ALIYUN::ECS::VPC', { Tags: ['env'] }, '.Tags[0]: "env" is not a map'],
  [
    'nested allowed value',
    'ALIYUN::ECS::SecurityGroup',
    { SecurityGroupIngress: [{ IpProtocol: 'sctp', PortRange: '22/22' }] },
    '.SecurityGroupIngress[0].IpProtocol: "sctp" is not an allowed value [tcp, udp, icmp, gre, all, icmpv6]',
  ],
  ['a map', 'ALIYUN::ROS::Stack', { Parameters: { Size: 3, Names: ['a'] } }, undefined],
  ['not a map', 'ALIYUN::ROS::Stack', { Parameters: 'Size=3' }, '.Parameters: "Size=3" is not a map'],
  ['a list of strings with a map in it', 'ALIYUN::ECS::VPC', { SecondaryCidrBlocks: ['10.1.0.0/16', { a: 1 }] }, '.SecondaryCidrBlocks[1]: Value must be a string; got {"a":1}'],
  ['a number from a boolean', 'ALIYUN::ROS::WaitCondition', { ...WAIT, Timeout: true }, '.Timeout: Value "true" is not a number'],
  ['a boolean from a number', 'ALIYUN::ECS::VPC', { EnableIpv6: 1 }, '.EnableIpv6: Unrecognized value "1", acceptable values are: true, false'],
  ['policy action as a list', 'ALIYUN::RAM::Role', { RoleName: 'r', AssumeRolePolicyDocument: { Version: '1', Statement: [{ Action: ['sts:AssumeRole'], Effect: 'Allow' }] } }, undefined],
];

describe('resource properties at template time (validateTemplate)', () => {
  for (const [name, type, properties, reason] of CASES) {
    it(`${name}: ${reason === undefined ? 'accepted' : 'StackValidationFailed'}`, () => {
      const t = one(type, properties);
      if (reason === undefined) assert.doesNotThrow(() => validateTemplate(t));
      else throwsApi(() => validateTemplate(t), 'StackValidationFailed', failed(reason));
    });
  }

  it('leaves values that are functions to deploy time', () => {
    const t = one('ALIYUN::ROS::WaitCondition', { ...WAIT, Timeout: { 'Fn::Select': [0, ['soon']] }, ShowProgressEvent: { Ref: 'ALIYUN::Region' } });
    assert.doesNotThrow(() => validateTemplate(t));
  });

  it('checks every catalogued type of a template, on CreateStack paths too (load)', () => {
    const t = template({ Resources: { A: { Type: 'ALIYUN::ECS::VPC' }, R: { Type: 'ALIYUN::ECS::VSwitch', Properties: { ...VSW, Nope: 1 } } } });
    throwsApi(() => validateTemplate(t), 'StackValidationFailed', failed(': Unknown Property Nope'));
  });

  it('does not check the properties of types outside the catalogue', () => {
    assert.doesNotThrow(() => validateTemplate(one('ALIYUN::SLB::LoadBalancer', { Anything: { deep: [1] } })));
  });
});

describe('resource properties at deploy time (resolved values)', () => {
  it('refuses a resolved value the template could not show', () => {
    throwsApi(
      () => checkResourceProperties('R', 'ALIYUN::ROS::WaitCondition', { ...WAIT, Timeout: 'soon' }, 'resolved'),
      'StackValidationFailed',
      failed('.Timeout: Value "soon" is not a number'),
    );
  });

  it('takes a null (ALIYUN::NoValue) as absent', () => {
    throwsApi(() => checkResourceProperties('R', 'ALIYUN::ECS::VSwitch', { ...VSW, VpcId: null }, 'resolved'), 'StackValidationFailed', failed(': Property VpcId not assigned'));
    assert.doesNotThrow(() => checkResourceProperties('R', 'ALIYUN::ECS::VSwitch', { ...VSW, Description: null }, 'resolved'));
  });

  it('checks a function-shaped object as a value once resolved', () => {
    throwsApi(() => checkResourceProperties('R', 'ALIYUN::ECS::VPC', { VpcName: { Ref: 'x' } }, 'resolved'), 'StackValidationFailed', failed('.VpcName: Value must be a string; got {"Ref":"x"}'));
  });
});

describe('Fn::GetAtt against the catalogue', () => {
  const withOutput = (type: string, properties: JsonObject, attribute: string) =>
    template({ Resources: { R: { Type: type, Properties: properties } }, Outputs: { O: { Value: { 'Fn::GetAtt': ['R', attribute] } } } });

  it('accepts an attribute the type has', () => assert.doesNotThrow(() => validateTemplate(withOutput('ALIYUN::ECS::VSwitch', VSW, 'VSwitchId'))));
  it('accepts an attribute only the hand simulation lists', () => assert.doesNotThrow(() => validateTemplate(withOutput('ALIYUN::ECS::VSwitch', VSW, 'ZoneId'))));
  it('refuses one it has not', () =>
    throwsApi(() => validateTemplate(withOutput('ALIYUN::ECS::VSwitch', VSW, 'Colour')), 'InvalidTemplateAttribute', 'The Referenced Attribute (R Colour) is incorrect.'));
  it('refuses any on a type without attributes', () =>
    throwsApi(() => validateTemplate(withOutput('ALIYUN::ROS::WaitCondition', WAIT, 'Nope')), 'InvalidTemplateAttribute', 'The Referenced Attribute (R Nope) is incorrect.'));
  it('accepts any name on a nested stack (its outputs)', () => assert.doesNotThrow(() => validateTemplate(withOutput('ALIYUN::ROS::Stack', {}, 'AnyOutput'))));
  it('accepts any name on a type outside the catalogue', () => assert.doesNotThrow(() => validateTemplate(withOutput('ALIYUN::REDIS::Instance', {}, 'Whatever'))));
});
