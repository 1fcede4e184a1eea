import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadTemplate } from '../../../src/stacks/template/load.ts';
import { validateTemplate } from '../../../src/stacks/template/validate.ts';
import type { JsonObject } from '../../../src/stacks/template/types.ts';
import { body, template, throwsApi } from './helpers.ts';

const vpc = { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' } };

function check(sections: JsonObject, code: string, message: string | RegExp): void {
  throwsApi(() => validateTemplate(template(sections)), code, message);
}

describe('validateTemplate: a complete valid template', () => {
  it('accepts every section together', () => {
    const t = loadTemplate(
      body({
        Description: 'full',
        Metadata: { 'ALIYUN::ROS::Interface': {} },
        Parameters: {
          Env: { Type: 'String', AllowedValues: ['prod', 'dev'], Default: 'dev' },
          Size: { Type: 'Number', MinValue: 1, MaxValue: '10', Default: 2 },
          Pass: { Type: 'String', NoEcho: 'True', MinLength: '6', MaxLength: 32, AllowedPattern: '[a-zA-Z0-9]*' },
        },
        Mappings: { Images: { 'cn-hangzhou': { '64': 'm-1' } } },
        Conditions: {
          IsProd: { 'Fn::Equals': ['prod', { Ref: 'Env' }] },
          NotProd: { 'Fn::Not': 'IsProd' },
          Both: { 'Fn::And': ['IsProd', { Condition: 'NotProd' }] },
        },
        Locals: { Prefix: { Value: { 'Fn::Sub': '${ALIYUN::StackName}-x' } } },
        Resources: {
          Vpc: vpc,
          VSwitch: {
            Type: 'ALIYUN::ECS::VSwitch',
            DependsOn: 'Vpc',
            Properties: {
              VpcId: { Ref: 'Vpc' },
              ZoneId: { 'Fn::Select': ['0', { 'Fn::GetAZs': { Ref: 'ALIYUN::Region' } }] },
              VSwitchName: { Ref: 'Prefix' },
              CidrBlock: '10.0.1.0/24',
              Description: { 'Fn::FindInMap': ['Images', { Ref: 'ALIYUN::Region' }, '64'] },
            },
          },
          Bucket: { Type: 'ALIYUN::OSS::Bucket', Condition: 'IsProd', DeletionPolicy: 'Retain', Metadata: { 'LocalRos::DelayMs': 10 }, Properties: { BucketName: 'logs' } },
          Other: { Type: 'ALIYUN::VPC::EIP', DependsOn: ['Vpc', 'VSwitch'], Description: 'unlisted type' },
        },
        Outputs: {
          VpcId: { Value: { 'Fn::GetAtt': ['Vpc', 'VpcId'] }, Description: 'id' },
          Domain: { Condition: 'IsProd', Value: { 'Fn::Sub': '${Bucket.DomainName}/${Vpc}' } },
        },
        Rules: { R: { RuleCondition: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, Assertions: [{ Assert: { 'Fn::Contains': [['2'], { Ref: 'Size' }] } }] } },
      }),
    );
    assert.equal(Object.keys(t.Resources).length, 4);
  });
});

describe('validateTemplate: Parameters', () => {
  const cases: Array<[string, JsonObject, string, string]> = [
    ['missing Type', { P: {} }, 'InvalidSchema', 'Missing parameter type for parameter: P.'],
    ['unknown Type', { P: { Type: 'Integer' } }, 'InvalidSchema', 'Invalid type ("Integer") of parameter P.'],
    ['AllowedValues not a list', { P: { Type: 'String', AllowedValues: 'a' } }, 'InvalidSchema', 'AllowedValues must be a list (parameter P).'],
    ['bad AllowedPattern', { P: { Type: 'String', AllowedPattern: '[a-' } }, 'InvalidSchema', 'AllowedPattern "[a-" is not a valid regular expression (parameter P).'],
    ['MinLength not integral', { P: { Type: 'String', MinLength: 1.5 } }, 'InvalidSchema', 'min/max length must be integral (parameter P MinLength).'],
    ['MaxValue not numeric', { P: { Type: 'Number', MaxValue: 'ten' } }, 'InvalidSchema', 'min/max must be numeric (parameter P MaxValue).'],
    ['NoEcho not boolean', { P: { Type: 'String', NoEcho: 'yes' } }, 'InvalidSchema', 'NoEcho must be a boolean (parameter P).'],
    ['definition not an object', { P: 'String' }, 'InvalidSchema', 'The definition of parameter P must be an object.'],
    [
      'Default outside AllowedValues',
      { P: { Type: 'String', AllowedValues: ['a'], Default: 'b' } },
      'InvalidTemplate',
      'The default value is invalid. Parameter \'P\' is invalid: "b" is not an allowed value [a].',
    ],
    [
      'Default breaking MinLength with ConstraintDescription',
      { P: { Type: 'String', MinLength: 6, Default: 'abc', ConstraintDescription: 'too short' } },
      'InvalidTemplate',
      "The default value is invalid. Parameter 'P' is invalid: too short.",
    ],
    [
      'function in a Default',
      { P: { Type: 'String', Default: { Ref: 'ALIYUN::Region' } } },
      'InvalidTemplate',
      'Functions cannot be used in the Parameters section (parameter P).',
    ],
  ];
  for (const [name, parameters, code, message] of cases) {
    it(name, () => check({ Parameters: parameters }, code, message));
  }

  it('accepts Default null and the OOS parameter types', () => {
    assert.doesNotThrow(() =>
      validateTemplate(
        template({
          Parameters: {
            A: { Type: 'String', Default: null, MinLength: 3 },
            B: { Type: 'ALIYUN::OOS::Parameter::Value' },
            C: { Type: 'ALIYUN::OOS::SecretParameter::Value' },
          },
        }),
      ),
    );
  });
});

describe('validateTemplate: Resources', () => {
  const cases: Array<[string, JsonObject, string, string]> = [
    ['missing Type', { R: { Properties: {} } }, 'InvalidTemplate', 'Each Resource must contain a Type key (resource R).'],
    ['unknown keyword', { R: { Type: 'ALIYUN::ECS::VPC', Foo: 1 } }, 'InvalidTemplate', '"Foo" is not a valid keyword inside a resource definition (resource R).'],
    ['slash in the id', { 'a/b': vpc }, 'InvalidTemplate', 'The resource name "a/b" must not contain "/".'],
    ['unknown resource namespace', { R: { Type: 'AWS::EC2::VPC' } }, 'InvalidTemplate', 'Unknown resource Type : AWS::EC2::VPC.'],
    ['malformed type', { R: { Type: 'ALIYUN::ECS' } }, 'InvalidTemplate', 'Unknown resource Type : ALIYUN::ECS.'],
    ['Properties not an object', { R: { Type: 'ALIYUN::ECS::VPC', Properties: [] } }, 'InvalidTemplatePropertyType', 'The specified value type of (R Properties) is incorrect.'],
    ['Metadata not an object', { R: { Type: 'ALIYUN::ECS::VPC', Metadata: 'x' } }, 'InvalidTemplatePropertyType', 'The specified value type of (R Metadata) is incorrect.'],
    ['DependsOn not strings', { R: { Type: 'ALIYUN::ECS::VPC', DependsOn: [1] } }, 'InvalidTemplatePropertyType', 'The specified value type of (R DependsOn) is incorrect.'],
    ['DependsOn unknown', { R: { Type: 'ALIYUN::ECS::VPC', DependsOn: 'Nope' } }, 'InvalidTemplateReference', 'The specified reference "Nope" (in R) is incorrect.'],
    ['bad DeletionPolicy', { R: { Type: 'ALIYUN::ECS::VPC', DeletionPolicy: 'Snapshot' } }, 'InvalidTemplate', 'Invalid DeletionPolicy "Snapshot" of resource R, it must be Delete or Retain.'],
    ['unknown Condition', { R: { Type: 'ALIYUN::ECS::VPC', Condition: 'Nope' } }, 'InvalidTemplateReference', 'The specified reference "Nope" (in R) is incorrect.'],
    ['Ref to nothing', { R: { Type: 'ALIYUN::ECS::VPC', Properties: { VpcName: { Ref: 'Nope' } } } }, 'InvalidTemplateReference', 'The specified reference "Nope" (in R) is incorrect.'],
    ['GetAtt to nothing', { R: { Type: 'ALIYUN::ECS::VPC', Properties: { VpcName: { 'Fn::GetAtt': ['Nope', 'X'] } } } }, 'InvalidTemplateReference', 'The specified reference "Nope" (in R) is incorrect.'],
    [
      'GetAtt of an unknown attribute of a catalogued type',
      { V: vpc, R: { Type: 'ALIYUN::ECS::VSwitch', Properties: { VpcId: { 'Fn::GetAtt': ['V', 'Nope'] } } } },
      'InvalidTemplateAttribute',
      'The Referenced Attribute (V Nope) is incorrect.',
    ],
    ['Sub variable to nothing', { R: { Type: 'ALIYUN::ECS::VPC', Properties: { VpcName: { 'Fn::Sub': 'x-${Nope}' } } } }, 'InvalidTemplateReference', 'The specified reference "Nope" (in R) is incorrect.'],
    ['Sub attribute of nothing', { R: { Type: 'ALIYUN::ECS::VPC', Properties: { VpcName: { 'Fn::Sub': '${Nope.Attr}' } } } }, 'InvalidTemplateReference', 'The specified reference "Nope" (in R) is incorrect.'],
    ['Fn::If on unknown condition', { R: { Type: 'ALIYUN::ECS::VPC', Properties: { VpcName: { 'Fn::If': ['Nope', 'a', 'b'] } } } }, 'InvalidTemplateReference', 'The specified reference "Nope" (in R) is incorrect.'],
    ['FindInMap on unknown mapping', { R: { Type: 'ALIYUN::ECS::VPC', Properties: { VpcName: { 'Fn::FindInMap': ['Nope', 'a', 'b'] } } } }, 'InvalidTemplateReference', 'The specified reference "Nope" (in R) is incorrect.'],
    ['unknown function', { R: { Type: 'ALIYUN::ECS::VPC', Properties: { VpcName: { 'Fn::Bogus': 1 } } } }, 'InvalidTemplate', 'Unknown function "Fn::Bogus" (in R).'],
    ['documented but unsupported function', { R: { Type: 'ALIYUN::ECS::VPC', Properties: { VpcName: { 'Fn::MarketplaceImage': {} } } } }, 'NotSupported', 'The function Fn::MarketplaceImage (in R) is not supported.'],
    ['Ref with a function inside', { R: { Type: 'ALIYUN::ECS::VPC', Properties: { VpcName: { Ref: { 'Fn::Sub': 'x' } } } } }, 'InvalidTemplate', 'Arguments to "Ref" must be of the form String.'],
    ['malformed GetAtt', { R: { Type: 'ALIYUN::ECS::VPC', Properties: { VpcName: { 'Fn::GetAtt': ['OnlyOne'] } } } }, 'InvalidTemplate', 'Arguments to "Fn::GetAtt" must be of the form [resourceID, attributeName].'],
    ['malformed If', { R: { Type: 'ALIYUN::ECS::VPC', Properties: { VpcName: { 'Fn::If': ['C', 'a'] } } } }, 'InvalidTemplate', 'Arguments to "Fn::If" must be of the form [condition_name, value_if_true, value_if_false].'],
    ['ALIYUN::Index outside Count', { R: { Type: 'ALIYUN::ECS::VPC', Properties: { VpcName: { Ref: 'ALIYUN::Index' } } } }, 'InvalidTemplate', 'ALIYUN::Index can only be used in the Properties of a resource with Count (in R).'],
    ['Count referencing a resource', { V: vpc, R: { Type: 'ALIYUN::ECS::VPC', Count: { Ref: 'V' } } }, 'InvalidTemplateReference', 'The specified reference "V" (in R) is incorrect.'],
    ['bad fault metadata', { R: { Type: 'ALIYUN::ECS::VPC', Metadata: { 'LocalRos::DelayMs': -1 } } }, 'InvalidTemplate', 'Metadata "LocalRos::DelayMs" of resource R must be an integer from 0 to 3600000.'],
  ];
  for (const [name, resources, code, message] of cases) {
    it(name, () => check({ Resources: resources }, code, message));
  }

  it('accepts ALIYUN::Index inside a Count resource, DATASOURCE and Custom types', () => {
    assert.doesNotThrow(() =>
      validateTemplate(
        template({
          Resources: {
            R: { Type: 'ALIYUN::ECS::VPC', Count: 2, Properties: { VpcName: { 'Fn::Sub': 'v-${ALIYUN::Index}' }, Description: { Ref: 'ALIYUN::Index' } } },
            D: { Type: 'DATASOURCE::VPC::Vpcs' },
            C: { Type: 'Custom::Thing' },
          },
        }),
      ),
    );
  });

  it('strict mode accepts only catalogued types', () => {
    const t = template({ Resources: { E: { Type: 'ALIYUN::SLB::Acl' } } });
    throwsApi(() => validateTemplate(t, { strictResourceTypes: true }), 'InvalidTemplate', 'Unknown resource Type : ALIYUN::SLB::Acl.');
    assert.doesNotThrow(() => validateTemplate(template({ Resources: { V: vpc } }), { strictResourceTypes: true }));
  });

  it('does not treat a Condition key inside Properties as a function', () => {
    const policy = { Statement: [{ Effect: 'Allow', Action: ['oss:*'], Condition: { IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } } }] };
    assert.doesNotThrow(() => validateTemplate(template({ Resources: { Role: { Type: 'ALIYUN::RAM::Role', Properties: { RoleName: 'r', AssumeRolePolicyDocument: { Version: '1', ...policy }, Policies: [{ PolicyName: 'p', PolicyDocument: { Version: '1', ...policy } }] } } } })));
  });
});

describe('validateTemplate: Outputs, Mappings, Conditions, Rules, Locals, Transform', () => {
  const cases: Array<[string, JsonObject, string, string]> = [
    ['output without Value', { Outputs: { O: { Description: 'd' } } }, 'InvalidTemplate', 'Each output definition must contain a Value key (Outputs.O).'],
    ['output not an object', { Outputs: { O: 'x' } }, 'InvalidTemplatePropertyType', 'The specified value type of (O Outputs) is incorrect.'],
    ['output with unknown condition', { Outputs: { O: { Value: 1, Condition: 'Nope' } } }, 'InvalidTemplateReference', 'The specified reference "Nope" (in Outputs.O) is incorrect.'],
    ['output referencing nothing', { Outputs: { O: { Value: { Ref: 'Nope' } } } }, 'InvalidTemplateReference', 'The specified reference "Nope" (in Outputs.O) is incorrect.'],
    ['mapping not a map of maps', { Mappings: { M: { a: 1 } } }, 'InvalidTemplate', 'The mapping M must be a map of maps.'],
    ['function in a mapping', { Mappings: { M: { a: { b: { Ref: 'ALIYUN::Region' } } } } }, 'InvalidTemplate', 'Functions cannot be used in the Mappings section (mapping M).'],
    ['condition referencing a resource', { Resources: { V: vpc }, Conditions: { C: { 'Fn::Equals': [{ Ref: 'V' }, 'x'] } } }, 'InvalidTemplateReference', 'The specified reference "V" (in Conditions.C) is incorrect.'],
    ['condition referencing an unknown condition', { Conditions: { C: { 'Fn::Not': 'Nope' } } }, 'InvalidTemplateReference', 'The specified reference "Nope" (in Conditions.C) is incorrect.'],
    ['rule without Assertions', { Rules: { R: { RuleCondition: true } } }, 'InvalidTemplate', 'The rule R must contain a list of Assertions.'],
    ['rule assertion without Assert', { Rules: { R: { Assertions: [{ AssertDescription: 'x' }] } } }, 'InvalidTemplate', 'Each assertion of rule R must contain an Assert key.'],
    ['rule referencing a resource', { Resources: { V: vpc }, Rules: { R: { Assertions: [{ Assert: { 'Fn::Equals': [{ Ref: 'V' }, 1] } }] } } }, 'InvalidTemplateReference', 'The specified reference "V" (in Rules.R) is incorrect.'],
    ['local with the name of a parameter', { Parameters: { X: { Type: 'String' } }, Locals: { X: { Value: 1 } } }, 'InvalidTemplate', 'The local variable X has the same name as a parameter or resource.'],
    ['local without Value', { Locals: { L: { Type: 'Eval' } } }, 'InvalidTemplate', 'The local variable L must have a Value.'],
    ['local of a bad type', { Locals: { L: { Type: 'Lazy', Value: 1 } } }, 'InvalidTemplate', 'The type of local variable L must be Macro, Eval or a DATASOURCE type.'],
    ['data source local', { Locals: { L: { Type: 'DATASOURCE::VPC::Vpcs' } } }, 'NotSupported', 'The data source local variable L (DATASOURCE::VPC::Vpcs) is not supported.'],
    ['Eval local referencing a resource', { Resources: { V: vpc }, Locals: { L: { Type: 'Eval', Value: { Ref: 'V' } } } }, 'InvalidTemplateReference', 'The specified reference "V" (in Locals.L) is incorrect.'],
    ['local used as a Sub variable', { Locals: { L: { Value: 'x' } }, Outputs: { O: { Value: { 'Fn::Sub': '${L}' } } } }, 'InvalidTemplateReference', 'The specified reference "L" (in Outputs.O) is incorrect.'],
    ['parameter and resource with one name', { Parameters: { Vpc: { Type: 'String' } }, Resources: { Vpc: vpc } }, 'InvalidTemplate', 'The name Vpc is used by both a parameter and a resource.'],
    ['Terraform template', { Transform: 'Aliyun::Terraform-v1.5', Workspace: { 'main.tf': '' } }, 'NotSupported', 'The Transform "Aliyun::Terraform-v1.5" (Terraform templates) is not supported.'],
    ['Terraform template of another version', { Transform: 'Aliyun::Terraform-v1.2' }, 'NotSupported', 'The Transform "Aliyun::Terraform-v1.2" (Terraform templates) is not supported.'],
    ['Workspace without Transform', { Workspace: { 'main.tf': '' } }, 'NotSupported', 'The Workspace section (Terraform templates) is not supported.'],
  ];
  for (const [name, sections, code, message] of cases) {
    it(name, () => check(sections, code, message));
  }
});

describe('validateTemplate: circular dependencies', () => {
  const cases: Array<[string, JsonObject, string]> = [
    ['DependsOn on itself', { Resources: { A: { Type: 'ALIYUN::ECS::VPC', DependsOn: 'A' } } }, 'Circular Dependency Found: Resources: A -> A.'],
    [
      'DependsOn and Ref',
      { Resources: { A: { Type: 'ALIYUN::ECS::VPC', DependsOn: 'B' }, B: { Type: 'ALIYUN::ECS::VSwitch', Properties: { VpcId: { Ref: 'A' }, CidrBlock: '10.0.0.0/24', ZoneId: 'z' } } } },
      'Circular Dependency Found: Resources: A -> B -> A.',
    ],
    [
      'GetAtt and Sub across three resources',
      {
        Resources: {
          A: { Type: 'ALIYUN::ECS::VPC', Properties: { VpcName: { 'Fn::GetAtt': ['B', 'VSwitchId'] } } },
          B: { Type: 'ALIYUN::ECS::VSwitch', Properties: { VpcId: { 'Fn::Sub': '${C}' }, CidrBlock: '10.0.0.0/24', ZoneId: 'z' } },
          C: { Type: 'ALIYUN::ECS::SecurityGroup', Properties: { VpcId: { 'Fn::Sub': '${A.VpcId}' } } },
        },
      },
      'Circular Dependency Found: Resources: A -> B -> C -> A.',
    ],
    [
      'through a Locals macro',
      { Locals: { L: { Value: { Ref: 'A' } } }, Resources: { A: { Type: 'ALIYUN::ECS::VPC', Properties: { VpcName: { Ref: 'L' } } } } },
      'Circular Dependency Found: Resources: A -> A.',
    ],
    [
      'between conditions',
      { Conditions: { X: { 'Fn::Not': 'Y' }, Y: { 'Fn::And': ['X', { 'Fn::Equals': [1, 1] }] } } },
      'Circular Dependency Found: Conditions: X -> Y -> X.',
    ],
    ['between locals', { Locals: { L1: { Value: { Ref: 'L2' } }, L2: { Value: { Ref: 'L1' } } } }, 'Circular Dependency Found: Locals: L1 -> L2 -> L1.'],
  ];
  for (const [name, sections, message] of cases) {
    it(name, () => check(sections, 'CircularDependency', message));
  }

  it('sees no cycle when the only back edge is a Sub var-map key', () => {
    assert.doesNotThrow(() =>
      validateTemplate(
        template({
          Resources: {
            A: { Type: 'ALIYUN::ECS::VPC', Properties: { VpcName: { 'Fn::Sub': ['${B}', { B: 'literal' }] } } },
            B: { Type: 'ALIYUN::ECS::VSwitch', Properties: { VpcId: { Ref: 'A' }, CidrBlock: '10.0.0.0/24', ZoneId: 'z' } },
          },
        }),
      ),
    );
  });
});
