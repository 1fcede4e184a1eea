import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffTemplates } from '../../../src/stacks/template/diff.ts';
import { loadTemplate } from '../../../src/stacks/template/load.ts';
import { templateSummary, validateTemplateResult } from '../../../src/stacks/template/summary.ts';
import type { JsonObject, ResolvedParameters } from '../../../src/stacks/template/types.ts';
import { PSEUDO, body, validTemplate } from './helpers.ts';

const base: JsonObject = {
  Parameters: { Name: { Type: 'String', Default: 'a' }, Env: { Type: 'String', Default: 'dev' } },
  Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
  Resources: {
    Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { VpcName: { Ref: 'Name' }, CidrBlock: '10.0.0.0/8' } },
    Vsw: { Type: 'ALIYUN::ECS::VSwitch', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.1.0/24', ZoneId: { 'Fn::Select': [0, { 'Fn::GetAtt': ['Grp', 'ZoneIds'] }] } } },
    Grp: { Type: 'ALIYUN::ECS::InstanceGroup', Properties: { MaxAmount: 1, InstanceType: 'ecs.g6.large' } },
    Bucket: { Type: 'ALIYUN::OSS::Bucket', Condition: 'IsProd', Properties: { BucketName: 'logs' } },
  },
};

function diff(oldSections: JsonObject, oldParams: ResolvedParameters, newSections: JsonObject, newParams: ResolvedParameters) {
  return diffTemplates(validTemplate(oldSections), oldParams, validTemplate(newSections), newParams, PSEUDO);
}

const defaults = { Name: 'a', Env: 'dev' };

describe('diffTemplates', () => {
  it('finds nothing to do for the same template and parameters', () => {
    const d = diff(base, defaults, base, defaults);
    assert.deepEqual([d.add, d.modify, d.delete, d.unchanged], [[], [], [], ['Vpc', 'Vsw', 'Grp']]);
  });

  it('sees a parameter change through the properties that use it', () => {
    const d = diff(base, defaults, base, { ...defaults, Name: 'b' });
    assert.deepEqual(d.modify, ['Vpc']);
    assert.deepEqual(d.changes, [{ logicalId: 'Vpc', action: 'Modify', resourceType: 'ALIYUN::ECS::VPC', replacement: false, changedProperties: ['VpcName'], metadataChanged: false }]);
  });

  it('ignores rewrites that resolve to the same values', () => {
    const rewritten = structuredClone(base);
    (rewritten.Resources as JsonObject).Vpc = { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: { 'Fn::Join': ['', ['10.0.0.0', '/8']] }, VpcName: { 'Fn::Sub': '${Name}' } } };
    assert.deepEqual(diff(base, defaults, rewritten, defaults).modify, []);
  });

  it('adds and deletes with conditions, types and renames', () => {
    const next = structuredClone(base);
    const resources = next.Resources as JsonObject;
    delete resources.Grp;
    resources.Vsw = { Type: 'ALIYUN::ECS::VSwitch', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.1.0/24', ZoneId: 'z' } };
    resources.Vpc = { Type: 'ALIYUN::SLB::LoadBalancer', Properties: { VpcName: { Ref: 'Name' }, CidrBlock: '10.0.0.0/8' } };
    resources.Sg = { Type: 'ALIYUN::ECS::SecurityGroup', Metadata: { note: 1 } };
    const d = diff(base, defaults, next, { ...defaults, Env: 'prod' });
    assert.deepEqual(d.add, ['Bucket', 'Sg']);
    assert.deepEqual(d.modify, ['Vpc', 'Vsw']);
    assert.deepEqual(d.delete, ['Grp']);
    assert.deepEqual(d.unchanged, []);
    const vpc = d.changes.find((c) => c.logicalId === 'Vpc')!;
    assert.equal(vpc.replacement, true);
    assert.deepEqual(d.changes.find((c) => c.logicalId === 'Vsw')!.changedProperties, ['ZoneId']);
  });

  it('reports metadata-only changes', () => {
    const next = structuredClone(base);
    ((next.Resources as JsonObject).Grp as JsonObject).Metadata = { 'LocalRos::DelayMs': 5 };
    const d = diff(base, defaults, next, defaults);
    assert.deepEqual(d.changes, [{ logicalId: 'Grp', action: 'Modify', resourceType: 'ALIYUN::ECS::InstanceGroup', replacement: false, changedProperties: [], metadataChanged: true }]);
  });

  it('compares Count copies', () => {
    const counted = (n: number) => ({ Resources: { V: { Type: 'ALIYUN::ECS::VPC', Count: n } } });
    const d = diff(counted(2), {}, counted(3), {});
    assert.deepEqual([d.add, d.unchanged], [['V[2]'], ['V[0]', 'V[1]']]);
  });
});

describe('validateTemplateResult (ValidateTemplate)', () => {
  const t = loadTemplate(
    body({
      Parameters: {
        param_integer: { Type: 'Number', MinValue: '1' },
        param_has_default: { Type: 'Json', Default: { c: [] } },
        Password: { Type: 'String', NoEcho: true, Label: 'Password', Description: { en: 'pwd' }, MinLength: '8', AllowedPattern: '[a-z]*' },
      },
      Resources: {
        Vpc: { Type: 'ALIYUN::ECS::VPC' },
        Vpc2: { Type: 'ALIYUN::ECS::VPC', Count: 2 },
        Zones: { Type: 'DATASOURCE::ECS::Zones' },
      },
      Outputs: { VpcId: { Value: { Ref: 'Vpc' }, Description: 'the id', Label: 'VPC' }, Other: { Value: 1 } },
    }),
  );

  it('reports parameters as in the documented example', () => {
    const result = validateTemplateResult(t);
    assert.equal(result.Description, 'No description');
    assert.deepEqual(result.Parameters, [
      { ParameterKey: 'param_integer', Label: 'param_integer', Description: '', Type: 'Number', MinValue: 1, NoEcho: 'false' },
      { ParameterKey: 'param_has_default', Label: 'param_has_default', Description: '', Type: 'Json', Default: { c: [] }, NoEcho: 'false' },
      { ParameterKey: 'Password', Label: 'Password', Description: { en: 'pwd' }, Type: 'String', NoEcho: 'true', MinLength: 8, AllowedPattern: '[a-z]*' },
    ]);
  });

  it('reports outputs, resource types and resources', () => {
    const result = validateTemplateResult(t);
    assert.deepEqual(result.Outputs, [{ OutputKey: 'VpcId', Description: 'the id', Label: 'VPC' }, { OutputKey: 'Other' }]);
    assert.deepEqual(result.ResourceTypes, { Resources: ['ALIYUN::ECS::VPC'], DataSources: ['DATASOURCE::ECS::Zones'] });
    assert.deepEqual(result.Resources, [
      { LogicalResourceIdPattern: 'Vpc', ResourceType: 'ALIYUN::ECS::VPC', ResourcePath: 'Vpc' },
      { LogicalResourceIdPattern: 'Vpc2[*]', ResourceType: 'ALIYUN::ECS::VPC', ResourcePath: 'Vpc2' },
      { LogicalResourceIdPattern: 'Zones', ResourceType: 'DATASOURCE::ECS::Zones', ResourcePath: 'Zones' },
    ]);
  });
});

describe('templateSummary (GetTemplateSummary)', () => {
  it('summarises as in the documented example', () => {
    const t = loadTemplate(
      body({
        Description: 'net',
        Metadata: { key: 'value' },
        Parameters: { EnableIpv6: { Type: 'Boolean', Default: false, AllowedValues: ['True', 'true', 'False', 'false'] } },
        Resources: {
          Vpc: { Type: 'ALIYUN::ECS::VPC' },
          Vpc2: { Type: 'ALIYUN::ECS::VPC' },
          Handle: { Type: 'ALIYUN::ROS::WaitConditionHandle' },
        },
      }),
    );
    assert.deepEqual(templateSummary(t), {
      Description: 'net',
      Metadata: { key: 'value' },
      Parameters: [
        { ParameterKey: 'EnableIpv6', Label: 'EnableIpv6', Description: '', Type: 'Boolean', Default: false, AllowedValues: ['True', 'true', 'False', 'false'], NoEcho: 'false' },
      ],
      ResourceTypes: ['ALIYUN::ECS::VPC', 'ALIYUN::ROS::WaitConditionHandle'],
      ResourceIdentifierSummaries: [{ ResourceType: 'ALIYUN::ECS::VPC', LogicalResourceIds: ['Vpc', 'Vpc2'], ResourceIdentifiers: ['VpcId'] }],
      Version: '2015-09-01',
    });
  });

  it('has empty Metadata and "No description" for a bare template', () => {
    const s = templateSummary(loadTemplate(body({})));
    assert.deepEqual([s.Description, s.Metadata, s.Parameters, s.ResourceTypes], ['No description', {}, [], []]);
  });
});
