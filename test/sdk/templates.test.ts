// Templates as ROS checks them (issue 4): every template error class answers its documented code
// and message synchronously at CreateStackGroup / UpdateStackGroup; the template library
// (CreateTemplate & co.) backs TemplateId / TemplateVersion; ValidateTemplate and
// GetTemplateSummary describe a template. All through the official SDK.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { $ROS, rosClient, type RosClient, OTHER_CREDENTIALS, TWO_ACCOUNTS } from '../helpers/clients.ts';
import { REGION, ros, sdkError, SIMPLE_TEMPLATE } from '../helpers/ros.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';

const CONFIG = {
  simulation: { stackOperationMs: 0 },
  accounts: TWO_ACCOUNTS,
};

const VPC = { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' } };
const ENV = { Env: { Type: 'String', AllowedValues: ['dev', 'prod'] } };
const doc = (sections: object): string => JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', ...sections });

let server: ServerProcess;
let api: ReturnType<typeof ros>;
let client: RosClient;
let other: RosClient;

before(async () => {
  server = await startServer({ config: CONFIG });
  api = ros(rosClient(server.endpoint));
  client = api.client;
  other = rosClient(server.endpoint, { credentials: OTHER_CREDENTIALS });
});
after(() => server.stop());

const params = (values: Record<string, string>) =>
  Object.entries(values).map(([parameterKey, parameterValue]) => new $ROS.CreateStackGroupRequestParameters({ parameterKey, parameterValue }));

describe('template errors at CreateStackGroup', () => {
  const cases: [string, string, Record<string, string>, string, string | RegExp][] = [
    ['syntax', '{"ROSTemplateFormatVersion": "2015-09-01",', {}, 'InvalidTemplate', /^The template is not valid JSON: .+\.$/],
    ['version', JSON.stringify({ ROSTemplateFormatVersion: '2010-09-09' }), {}, 'InvalidTemplateVersion', 'The template version is invalid: "2010-09-09". "ROSTemplateFormatVersion" should be one of: 2015-09-01.'],
    ['section', doc({ Foo: {} }), {}, 'InvalidTemplateSection', 'The template section is invalid: Foo.'],
    ['parameter schema', doc({ Parameters: { P: { Type: 'Integer' } } }), {}, 'InvalidSchema', 'Invalid type ("Integer") of parameter P.'],
    ['resource type', doc({ Resources: { R: { Type: 'AWS::EC2::VPC' } } }), {}, 'InvalidTemplate', 'Unknown resource Type : AWS::EC2::VPC.'],
    ['property type', doc({ Resources: { R: { Type: 'ALIYUN::ECS::VPC', Properties: [] } } }), {}, 'InvalidTemplatePropertyType', 'The specified value type of (R Properties) is incorrect.'],
    ['reference', doc({ Resources: { R: { Type: 'ALIYUN::ECS::VPC', Properties: { VpcName: { Ref: 'Nope' } } } } }), {}, 'InvalidTemplateReference', 'The specified reference "Nope" (in R) is incorrect.'],
    [
      'attribute',
      doc({ Resources: { V: VPC, R: { Type: 'ALIYUN::ECS::VSwitch', Properties: { VpcId: { 'Fn::GetAtt': ['V', 'Nope'] } } } } }),
      {},
      'InvalidTemplateAttribute',
      'The Referenced Attribute (V Nope) is incorrect.',
    ],
    [
      'cycle',
      doc({ Resources: { A: { ...VPC, DependsOn: 'B' }, B: { ...VPC, DependsOn: 'A' } } }),
      {},
      'CircularDependency',
      'Circular Dependency Found: Resources: A -> B -> A.',
    ],
    ['unknown parameter', doc({ Parameters: ENV }), { Env: 'dev', Nope: '1' }, 'UnknownUserParameter', 'The Parameter (Nope) was not defined in template.'],
    ['missing parameter', doc({ Parameters: ENV }), {}, 'UserParameterMissing', 'The Parameter Env was not provided.'],
    ['parameter value', doc({ Parameters: ENV }), { Env: 'staging' }, 'StackValidationFailed', `Parameter 'Env' is invalid: "staging" is not an allowed value [dev, prod].`],
    ['Terraform', doc({ Transform: 'Aliyun::Terraform-v1.0', Workspace: { 'main.tf': '' } }), {}, 'NotSupported', 'The Transform "Aliyun::Terraform-v1.0" (Terraform templates) is not supported.'],
  ];
  for (const [name, templateBody, values, code, message] of cases) {
    it(`${name}: ${code}`, async () => {
      const err = await sdkError(api.createGroup(`bad-${name.replace(/\W/g, '-')}`, { templateBody, parameters: params(values) }));
      assert.equal(err.code, code);
      assert.equal(err.statusCode, 400);
      if (typeof message === 'string') assert.equal(err.data!.Message, message);
      else assert.match(err.data!.Message!, message);
    });
  }

  it('creates no group for a refused template', async () => {
    await sdkError(api.createGroup('refused', { templateBody: doc({ Foo: {} }) }));
    assert.equal((await sdkError(client.getStackGroup(new $ROS.GetStackGroupRequest({ regionId: REGION, stackGroupName: 'refused' })))).code, 'StackGroupNotFound');
  });

  it('refuses a bad template at UpdateStackGroup and keeps the group as it was', async () => {
    await api.createGroup('update-bad');
    const err = await sdkError(
      client.updateStackGroup(
        new $ROS.UpdateStackGroupRequest({ regionId: REGION, stackGroupName: 'update-bad', templateBody: doc({ Resources: { R: { ...VPC, DependsOn: 'Gone' } } }) }),
      ),
    );
    assert.equal(err.code, 'InvalidTemplateReference');
    assert.equal(err.data!.Message, 'The specified reference "Gone" (in R) is incorrect.');
    const group = (await client.getStackGroup(new $ROS.GetStackGroupRequest({ regionId: REGION, stackGroupName: 'update-bad' }))).body!.stackGroup!;
    assert.equal(group.templateBody, SIMPLE_TEMPLATE);
  });

  it('answers ValidateTemplate with the same errors', async () => {
    const err = await sdkError(client.validateTemplate(new $ROS.ValidateTemplateRequest({ regionId: REGION, templateBody: doc({ Foo: {} }) })));
    assert.equal(err.code, 'InvalidTemplateSection');
    assert.equal(err.data!.Message, 'The template section is invalid: Foo.');
  });
});

describe('the template library', () => {
  const V1 = doc({ Description: 'first', Parameters: { Env: { Type: 'String', Default: 'dev' } }, Resources: { Vpc: VPC } });
  const V2 = doc({ Description: 'second', Resources: { Vpc: VPC, Sg: { Type: 'ALIYUN::ECS::SecurityGroup', Properties: { VpcId: { Ref: 'Vpc' } } } } });
  let id: string;

  const get = (extra: Partial<$ROS.GetTemplateRequest>, c: RosClient = client) => c.getTemplate(new $ROS.GetTemplateRequest({ templateId: id, ...extra })).then((r) => r.body!);

  before(async () => {
    const res = await client.createTemplate(
      new $ROS.CreateTemplateRequest({ templateName: 'network', templateBody: V1, description: 'VPC only', tags: [new $ROS.CreateTemplateRequestTags({ key: 'team', value: 'net' })] }),
    );
    id = res.body!.templateId!;
  });

  it('creates a template as v1', async () => {
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const t = await get({ includeTags: 'Enabled', includePermission: 'Enabled' });
    assert.equal(t.templateName, 'network');
    assert.equal(t.templateVersion, 'v1');
    assert.equal(t.templateBody, V1);
    assert.equal(t.description, 'VPC only');
    assert.equal(t.ownerId, '1000000000000001');
    assert.equal(t.shareType, 'Private');
    assert.equal(t.templateARN, `acs:ros:*:1000000000000001:template/${id}`);
    assert.deepEqual(t.tags!.map((x) => [x.key, x.value]), [['team', 'net']]);
    assert.deepEqual(t.permissions, []);
  });

  it('makes a new version for a new body, and keeps the old ones readable', async () => {
    const updated = await client.updateTemplate(new $ROS.UpdateTemplateRequest({ templateId: id, templateBody: V2 }));
    assert.equal(updated.body!.templateVersion, 'v2');
    const renamed = await client.updateTemplate(new $ROS.UpdateTemplateRequest({ templateId: id, description: 'VPC and SG' }));
    assert.equal(renamed.body!.templateVersion, 'v2');
    const latest = await get({});
    assert.deepEqual([latest.templateVersion, latest.templateBody, latest.description], ['v2', V2, 'VPC and SG']);
    const first = await get({ templateVersion: 'v1' });
    assert.deepEqual([first.templateVersion, first.templateBody, first.description], ['v1', V1, 'VPC only']);
    const missing = await sdkError(get({ templateVersion: 'v3' }));
    assert.equal(missing.code, 'TemplateNotFound');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.data!.Message, `The Template ${id} with version v3 could not be found.`);
  });

  it('lists the account’s templates with their latest version', async () => {
    const list = (extra: Partial<$ROS.ListTemplatesRequest> = {}, c: RosClient = client) => c.listTemplates(new $ROS.ListTemplatesRequest(extra)).then((r) => r.body!);
    const all = await list();
    assert.equal(all.totalCount, 1);
    assert.deepEqual([all.templates![0]!.templateId, all.templates![0]!.templateName, all.templates![0]!.templateVersion], [id, 'network', 'v2']);
    assert.equal((await list({ templateName: 'nope' })).totalCount, 0);
    assert.equal((await list({ tag: [new $ROS.ListTemplatesRequestTag({ key: 'team', value: 'net' })] })).totalCount, 1);
    assert.equal((await list({ tag: [new $ROS.ListTemplatesRequestTag({ key: 'team', value: 'web' })] })).totalCount, 0);
    assert.equal((await list({ shareType: 'Shared' })).totalCount, 0);
    assert.equal((await list({}, other)).totalCount, 0);
  });

  it('is a template source for stack groups: TemplateId and TemplateVersion', async () => {
    await api.createGroup('from-library', { templateBody: undefined, templateId: id, templateVersion: 'v1' });
    const group = (await client.getStackGroup(new $ROS.GetStackGroupRequest({ regionId: REGION, stackGroupName: 'from-library' }))).body!.stackGroup!;
    assert.equal(group.templateBody, V1);
    const latest = await client.updateStackGroup(new $ROS.UpdateStackGroupRequest({ regionId: REGION, stackGroupName: 'from-library', templateId: id }));
    await api.waitStatus(latest.body!.operationId!, ['SUCCEEDED']);
    const updated = (await client.getStackGroup(new $ROS.GetStackGroupRequest({ regionId: REGION, stackGroupName: 'from-library' }))).body!.stackGroup!;
    assert.equal(updated.templateBody, V2);
    const unknown = await sdkError(api.createGroup('no-template', { templateBody: undefined, templateId: 'a52f81be-496f-4e1c-a286-8852ab540000' }));
    assert.equal(unknown.code, 'TemplateNotFound');
    assert.equal(unknown.data!.Message, 'The Template (a52f81be-496f-4e1c-a286-8852ab540000) could not be found.');
    const version = await sdkError(api.createGroup('no-version', { templateBody: undefined, templateId: id, templateVersion: 'v9' }));
    assert.equal(version.code, 'TemplateNotFound');
    assert.equal(version.data!.Message, `The Template ${id} with version v9 could not be found.`);
  });

  it('is private to its account', async () => {
    const err = await sdkError(get({}, other));
    assert.equal(err.code, 'TemplateNotFound');
    assert.equal(err.data!.Message, `The Template (${id}) could not be found.`);
    assert.equal((await sdkError(other.deleteTemplate(new $ROS.DeleteTemplateRequest({ templateId: id })))).code, 'TemplateNotFound');
  });

  it('checks what it stores, and wants exactly one body', async () => {
    const bad = await sdkError(client.createTemplate(new $ROS.CreateTemplateRequest({ templateName: 'bad', templateBody: doc({ Resources: { R: { ...VPC, DependsOn: 'X' } } }) })));
    assert.equal(bad.code, 'InvalidTemplateReference');
    const none = await sdkError(client.createTemplate(new $ROS.CreateTemplateRequest({ templateName: 'empty' })));
    assert.equal(none.code, 'MissingParameter');
    assert.equal(none.data!.Message, 'One of the input parameters TemplateBody, TemplateURL should be specified.');
    const badName = await sdkError(client.createTemplate(new $ROS.CreateTemplateRequest({ templateName: '-x', templateBody: V1 })));
    assert.equal(badName.code, 'InvalidParameter');
    const oss = await sdkError(client.createTemplate(new $ROS.CreateTemplateRequest({ templateName: 'oss', templateURL: 'oss://ros/template/demo' })));
    assert.equal(oss.code, 'InvalidParameter');
  });

  it('deletes a template', async () => {
    const res = await client.createTemplate(new $ROS.CreateTemplateRequest({ templateName: 'short-lived', templateBody: V1 }));
    const gone = res.body!.templateId!;
    await client.deleteTemplate(new $ROS.DeleteTemplateRequest({ templateId: gone }));
    assert.equal((await sdkError(client.getTemplate(new $ROS.GetTemplateRequest({ templateId: gone })))).code, 'TemplateNotFound');
    assert.equal((await sdkError(client.deleteTemplate(new $ROS.DeleteTemplateRequest({ templateId: gone })))).code, 'TemplateNotFound');
  });
});

describe('ValidateTemplate and GetTemplateSummary', () => {
  const WEB = doc({
    Description: 'web',
    Metadata: { Owner: 'platform' },
    Parameters: { Size: { Type: 'String', Default: 'small', AllowedValues: ['small', 'large'] }, Password: { Type: 'String', NoEcho: true } },
    Resources: { Vpc: VPC, Server: { Type: 'ALIYUN::ECS::Instance', Properties: { VpcId: { Ref: 'Vpc' }, InstanceType: 'ecs.g6.large' } }, Wait: { Type: 'ALIYUN::ROS::WaitConditionHandle', Count: 2 } },
    Outputs: { VpcId: { Value: { Ref: 'Vpc' }, Description: 'The VPC' } },
  });

  it('validates a template and describes it', async () => {
    const body = (await client.validateTemplate(new $ROS.ValidateTemplateRequest({ regionId: REGION, templateBody: WEB }))).body!;
    assert.equal(body.description, 'web');
    assert.deepEqual(body.parameters, [
      { ParameterKey: 'Size', Label: 'Size', Description: '', Type: 'String', Default: 'small', AllowedValues: ['small', 'large'], NoEcho: 'false' },
      { ParameterKey: 'Password', Label: 'Password', Description: '', Type: 'String', NoEcho: 'true' },
    ]);
    assert.deepEqual(body.outputs!.map((o) => [o.outputKey, o.description]), [['VpcId', 'The VPC']]);
    assert.deepEqual(body.resourceTypes!.resources, ['ALIYUN::ECS::VPC', 'ALIYUN::ECS::Instance', 'ALIYUN::ROS::WaitConditionHandle']);
    assert.deepEqual(body.resources!.map((r) => r.logicalResourceIdPattern), ['Vpc', 'Server', 'Wait[*]']);
    const none = await sdkError(client.validateTemplate(new $ROS.ValidateTemplateRequest({ regionId: REGION })));
    assert.equal(none.code, 'MissingParameter');
  });

  it('summarises a template given, from the library, or held by a stack group', async () => {
    const given = (await client.getTemplateSummary(new $ROS.GetTemplateSummaryRequest({ regionId: REGION, templateBody: WEB }))).body!;
    assert.equal(given.version, '2015-09-01');
    assert.deepEqual(given.metadata, { Owner: 'platform' });
    assert.deepEqual(given.resourceTypes, ['ALIYUN::ECS::VPC', 'ALIYUN::ECS::Instance', 'ALIYUN::ROS::WaitConditionHandle']);
    assert.deepEqual(
      given.resourceIdentifierSummaries!.map((s) => [s.resourceType, s.logicalResourceIds, s.resourceIdentifiers]),
      [
        ['ALIYUN::ECS::VPC', ['Vpc'], ['VpcId']],
        ['ALIYUN::ECS::Instance', ['Server'], ['InstanceId']],
      ],
    );
    const id = (await client.createTemplate(new $ROS.CreateTemplateRequest({ templateName: 'summarised', templateBody: WEB }))).body!.templateId!;
    const fromLibrary = (await client.getTemplateSummary(new $ROS.GetTemplateSummaryRequest({ templateId: id }))).body!;
    assert.deepEqual(fromLibrary.parameters, given.parameters);
    await api.createGroup('summarised', { templateBody: WEB, parameters: params({ Password: 'p' }) });
    const fromGroup = (await client.getTemplateSummary(new $ROS.GetTemplateSummaryRequest({ regionId: REGION, stackGroupName: 'summarised' }))).body!;
    assert.equal(fromGroup.description, 'web');
    const template = (await client.getTemplate(new $ROS.GetTemplateRequest({ regionId: REGION, stackGroupName: 'summarised' }))).body!;
    assert.equal(template.templateBody, WEB);
    const changeSet = await sdkError(client.getTemplateSummary(new $ROS.GetTemplateSummaryRequest({ regionId: REGION, changeSetId: 'cs-1' })));
    assert.equal(changeSet.code, 'ChangeSetNotFound');
    assert.equal(changeSet.statusCode, 404);
    assert.equal(changeSet.data!.Message, 'The ChangeSet cs-1 could not be found.');
    const group = await sdkError(client.getTemplateSummary(new $ROS.GetTemplateSummaryRequest({ regionId: REGION, stackGroupName: 'nope' })));
    assert.equal(group.code, 'StackGroupNotFound');
  });
});
