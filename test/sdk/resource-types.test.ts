// The resource-type catalogue through the official SDK (issue 13): ListResourceTypes,
// GetResourceType and GetResourceTypeTemplate answer from it; ValidateTemplate and
// CreateStackGroup refuse what it refuses; a value that only resolution reveals fails the
// resource at deploy time; attributes of catalogued types come back with their shapes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { $ROS, rosClient, type RosClient } from '../helpers/clients.ts';
import { REGION, ros, sdkError } from '../helpers/ros.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';

const ACCOUNT = '1000000000000001';
const CONFIG = {
  simulation: { stackOperationMs: 0 },
  accounts: [{ accountId: ACCOUNT, accessKeys: [{ accessKeyId: 'LTAI5tLocalRosDefaultKey', accessKeySecret: 'localros-default-secret-do-not-use-in-cloud' }] }],
};
const doc = (sections: object): string => JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', ...sections });

let server: ServerProcess;
let api: ReturnType<typeof ros>;
let client: RosClient;

before(async () => {
  server = await startServer({ config: CONFIG });
  api = ros(rosClient(server.endpoint));
  client = api.client;
});
after(() => server.stop());

describe('ListResourceTypes', () => {
  const list = async (extra: Partial<$ROS.ListResourceTypesRequest> = {}) => (await client.listResourceTypes(new $ROS.ListResourceTypesRequest(extra))).body!;

  it('lists resource types by default, data sources on request, both with All', async () => {
    const resources = (await list()).resourceTypes!;
    assert.ok(resources.includes('ALIYUN::ECS::VPC') && resources.includes('ALIYUN::SLB::LoadBalancer'));
    assert.ok(resources.every((t) => t.startsWith('ALIYUN::')));
    const sources = (await list({ entityType: 'DataSource' })).resourceTypes!;
    assert.ok(sources.includes('DATASOURCE::VPC::Vpcs') && sources.every((t) => t.startsWith('DATASOURCE::')));
    assert.equal((await list({ entityType: 'All' })).resourceTypes!.length, resources.length + sources.length);
    assert.deepEqual([...resources].sort(), resources);
  });

  it('filters by ResourceType and has no types of Provider Self', async () => {
    assert.deepEqual((await list({ resourceType: 'ALIYUN::ECS::VSwitch' })).resourceTypes, ['ALIYUN::ECS::VSwitch']);
    assert.deepEqual((await list({ provider: 'Self' })).resourceTypes, []);
  });

  it('refuses an EntityType outside the documented values', async () => {
    const err = await sdkError(list({ entityType: 'Everything' }));
    assert.equal(err.code, 'InvalidParameter');
  });
});

describe('GetResourceType', () => {
  const get = async (resourceType: string) => (await client.getResourceType(new $ROS.GetResourceTypeRequest({ resourceType }))).body!;

  it('describes properties with their constraints and attributes with their kinds', async () => {
    const body = await get('ALIYUN::ROS::WaitCondition');
    assert.equal(body.resourceType, 'ALIYUN::ROS::WaitCondition');
    assert.equal(body.entityType, 'Resource');
    assert.equal(body.provider, 'ROS');
    assert.equal(body.supportDriftDetection, false);
    const props = body.properties as Record<string, Record<string, unknown>>;
    assert.deepEqual(props.Timeout, { Type: 'number', Required: true, Constraints: [{ Range: { min: 1, max: 43200 } }] });
    assert.deepEqual(props.ShowProgressEvent!.Constraints, [{ AllowedValues: ['EnabledIfCreateStack', 'Disabled', 'Enabled'] }]);
    const attrs = body.attributes as Record<string, Record<string, unknown>>;
    assert.equal(attrs.Data!.Type, 'map');
    assert.match(String(attrs.Data!.Description), /JSON serialized dict/);
  });

  it('describes nested schemas and data sources', async () => {
    const vpc = (await get('ALIYUN::ECS::VPC')).properties as Record<string, Record<string, unknown>>;
    assert.deepEqual(vpc.Tags!.Schema, { '*': { Type: 'map', Required: false, Schema: { Value: { Type: 'string', Required: false }, Key: { Type: 'string', Required: true } } } });
    assert.equal((await get('DATASOURCE::VPC::Vpcs')).entityType, 'DataSource');
  });

  it('answers ResourceTypeNotFound for a type it does not have, and MissingParameter without one', async () => {
    const err = await sdkError(get('ALIYUN::ECS::Instanse'));
    assert.equal(err.code, 'ResourceTypeNotFound');
    assert.equal(err.statusCode, 404);
    assert.equal(err.data!.Message, 'The Resource Type (ALIYUN::ECS::Instanse) could not be found.');
    const missing = await sdkError(client.getResourceType(new $ROS.GetResourceTypeRequest({})));
    assert.equal(missing.code, 'MissingParameter');
  });
});

describe('GetResourceTypeTemplate', () => {
  it('gives a template that validates: required properties as parameters, attributes as outputs', async () => {
    const body = (await client.getResourceTypeTemplate(new $ROS.GetResourceTypeTemplateRequest({ resourceType: 'ALIYUN::ECS::VSwitch' }))).body!;
    const template = body.templateBody as { Parameters: Record<string, unknown>; Resources: Record<string, { Type: string; Properties: object }>; Outputs: object };
    assert.deepEqual(Object.keys(template.Parameters).sort(), ['CidrBlock', 'VpcId', 'ZoneId']);
    assert.deepEqual(template.Resources.VSwitch, { Type: 'ALIYUN::ECS::VSwitch', Properties: { CidrBlock: { Ref: 'CidrBlock' }, VpcId: { Ref: 'VpcId' }, ZoneId: { Ref: 'ZoneId' } } });
    assert.ok(Object.keys(template.Outputs).includes('VSwitchId'));
    assert.deepEqual(JSON.parse(body.templateContent!), template);
    const checked = await client.validateTemplate(new $ROS.ValidateTemplateRequest({ regionId: REGION, templateBody: body.templateContent }));
    assert.deepEqual(checked.body!.parameters!.map((p) => p.ParameterKey).sort(), ['CidrBlock', 'VpcId', 'ZoneId']);
  });
});

describe('templates the catalogue refuses', () => {
  const validate = (templateBody: string) => client.validateTemplate(new $ROS.ValidateTemplateRequest({ regionId: REGION, templateBody }));
  const cases: [string, object, string, string][] = [
    ['unknown type', { Resources: { S: { Type: 'ALIYUN::ECS::Instanse' } } }, 'InvalidTemplate', 'Unknown resource Type : ALIYUN::ECS::Instanse.'],
    ['required property', { Resources: { S: { Type: 'ALIYUN::ECS::VSwitch', Properties: { VpcId: 'v', ZoneId: 'z' } } } }, 'StackValidationFailed', 'Property error: Resources.S.Properties: Property CidrBlock not assigned.'],
    ['unknown property', { Resources: { S: { Type: 'ALIYUN::ECS::VPC', Properties: { Cidr: '10.0.0.0/8' } } } }, 'StackValidationFailed', 'Property error: Resources.S.Properties: Unknown Property Cidr.'],
    [
      'GetAtt of a missing attribute',
      { Resources: { S: { Type: 'ALIYUN::ECS::VPC' } }, Outputs: { O: { Value: { 'Fn::GetAtt': ['S', 'Colour'] } } } },
      'InvalidTemplateAttribute',
      'The Referenced Attribute (S Colour) is incorrect.',
    ],
  ];
  for (const [name, sections, code, message] of cases) {
    it(`${name}: ValidateTemplate, GetTemplateSummary, CreateStackGroup and CreateStack answer ${code}`, async () => {
      const body = doc(sections);
      const calls = [
        () => validate(body),
        () => client.getTemplateSummary(new $ROS.GetTemplateSummaryRequest({ regionId: REGION, templateBody: body })),
        () => api.createGroup(`refused-${name.replace(/\W/g, '-')}`, { templateBody: body }),
        () => client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: `refused-${name.replace(/\W/g, '-')}`, templateBody: body })),
      ];
      for (const call of calls) {
        const err = await sdkError(call());
        assert.equal(err.code, code);
        assert.equal(err.statusCode, 400);
        assert.equal(err.data!.Message, message);
      }
    });
  }
});

describe('deploying catalogued types', () => {
  const TEMPLATE = {
    Parameters: { Timeout: { Type: 'String', Default: '60' } },
    Resources: {
      Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' } },
      Vsw: { Type: 'ALIYUN::ECS::VSwitch', Properties: { VpcId: { Ref: 'Vpc' }, ZoneId: 'cn-hangzhou-h', CidrBlock: '10.0.1.0/24' } },
      Group: { Type: 'ALIYUN::ECS::InstanceGroup', Properties: { InstanceType: 'ecs.g6.large', MaxAmount: 2, VSwitchId: { Ref: 'Vsw' } } },
      Eip: { Type: 'ALIYUN::VPC::EIP', Properties: { Bandwidth: 5 } },
      Hook: { Type: 'ALIYUN::ROS::CustomResource', Properties: { ServiceToken: 'acs:fc:cn-hangzhou:1:functions/f', Timeout: 60, Parameters: { Endpoint: 'https://x' } } },
      Handle: { Type: 'ALIYUN::ROS::WaitConditionHandle' },
      Wait: { Type: 'ALIYUN::ROS::WaitCondition', Properties: { Handle: { Ref: 'Handle' }, Timeout: { Ref: 'Timeout' } } },
    },
    Outputs: {
      VpcId: { Value: { Ref: 'Vpc' } },
      VswId: { Value: { 'Fn::GetAtt': ['Vsw', 'VSwitchId'] } },
      Second: { Value: { 'Fn::Select': [1, { 'Fn::GetAtt': ['Group', 'InstanceIds'] }] } },
      All: { Value: { 'Fn::Join': [',', { 'Fn::GetAtt': ['Group', 'InstanceIds'] }] } },
      EipId: { Value: { Ref: 'Eip' } },
      Endpoint: { Value: { 'Fn::GetJsonValue': ['Endpoint', { 'Fn::GetAtt': ['Hook', 'Outputs'] }] } },
      Data: { Value: { 'Fn::GetAtt': ['Wait', 'Data'] } },
    },
  };

  it('gives physical ids and attributes of the right shapes', async () => {
    await api.createGroup('shapes', { templateBody: doc(TEMPLATE) });
    const op = await api.waitStatus(await api.createInstances('shapes', [ACCOUNT], ['cn-hangzhou']), ['SUCCEEDED', 'FAILED']);
    assert.equal(op.status, 'SUCCEEDED');
    const instance = (
      await client.getStackInstance(
        new $ROS.GetStackInstanceRequest({ regionId: REGION, stackGroupName: 'shapes', stackInstanceAccountId: ACCOUNT, stackInstanceRegionId: 'cn-hangzhou', outputOption: 'Enabled' }),
      )
    ).body!.stackInstance!;
    const out = Object.fromEntries((instance.outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
    assert.match(String(out.VpcId), /^vpc-[a-z0-9]{22}$/);
    assert.match(String(out.VswId), /^vsw-[a-z0-9]{22}$/);
    assert.match(String(out.Second), /^i-[a-z0-9]{22}$/);
    assert.equal(String(out.All).split(',').length, 2);
    assert.match(String(out.EipId), /^eip-[a-z0-9]{22}$/);
    assert.equal(out.Endpoint, 'https://x');
    assert.deepEqual(out.Data, {});
  });

  it('fails the resource when a resolved value breaks the catalogue, with the property error', async () => {
    await api.createGroup('resolved', { templateBody: doc(TEMPLATE) });
    const overrides = [new $ROS.CreateStackInstancesRequestParameterOverrides({ parameterKey: 'Timeout', parameterValue: 'soon' })];
    const op = await api.waitStatus(await api.createInstances('resolved', [ACCOUNT], ['cn-hangzhou'], { parameterOverrides: overrides }), ['SUCCEEDED', 'FAILED']);
    assert.equal(op.status, 'FAILED');
    const results = await api.results(op.operationId!);
    assert.match(String(results[0]!.statusReason), /Property error: Resources\.Wait\.Properties\.Timeout: Value "soon" is not a number/);
  });
});
