// Template fidelity found on real templates (issue 13), through the typed official SDK: answers
// built from templates whose Description, Label and output texts are language maps always decode
// (every field the SDK models as a string is a string); published sample templates validate;
// Terraform templates are refused naming their Transform; the functions that used to answer
// NotSupported evaluate in a deployed stack.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { $ROS, rosClient, TWO_ACCOUNTS } from '../helpers/clients.ts';
import { REGION, ros, sdkError } from '../helpers/ros.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';

const ACCOUNT = TWO_ACCOUNTS[0]!.accountId;
const FIXTURES = new URL('../fixtures/published-style/', import.meta.url);

const LOCALISED = JSON.stringify({
  ROSTemplateFormatVersion: '2015-09-01',
  Description: { 'zh-cn': '中文说明', en: 'English description' },
  Parameters: {
    Env: {
      Type: 'String',
      Default: 'dev',
      Label: { en: 'Environment', 'zh-cn': '环境' },
      Description: { en: 'Where it runs', 'zh-cn': '运行环境' },
      AssociationPropertyMetadata: { Visible: { Condition: { 'Fn::Equals': ['${Mode}', 'custom'] } } },
    },
    Mode: { Type: 'String', Default: 'custom', AllowedValues: ['custom', 'auto'] },
    Size: { Type: 'Number', Default: 3 },
  },
  Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8', VpcName: { 'Fn::Join': ['-', ['vpc', { Ref: 'Size' }]] } } } },
  Outputs: {
    VpcId: { Value: { Ref: 'Vpc' }, Description: { 'zh-cn': '专有网络', en: 'The VPC' }, Label: { 'zh-cn': '网络' } },
    Name: { Value: { 'Fn::Join': ['-', ['vpc', { Ref: 'Size' }]] } },
    Subnets: { Value: { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] } },
    Total: { Value: { 'Fn::Calculate': ['{0}*2+1', 0, [{ Ref: 'Size' }]] } },
    Picked: { Value: { 'Fn::Jq': ['First', '.items[] | select(.on) | .name', '{"items":[{"name":"a","on":false},{"name":"b","on":true}]}'] } },
    Matches: { Value: { 'Fn::MatchPattern': ['dev|prod', { Ref: 'Env' }] } },
  },
});

let server: ServerProcess;
let api: ReturnType<typeof ros>;

before(async () => {
  server = await startServer({ config: { simulation: { stackOperationMs: 0 }, accounts: TWO_ACCOUNTS } });
  api = ros(rosClient(server.endpoint));
});
after(() => server.stop());

describe('language-map texts decode through the typed SDK', () => {
  it('validateTemplate: English description, output texts as strings, parameter settings as written', async () => {
    const body = (await api.client.validateTemplate(new $ROS.ValidateTemplateRequest({ regionId: REGION, templateBody: LOCALISED }))).body!;
    assert.equal(body.description, 'English description');
    const vpcOutput = body.outputs!.find((o) => o.outputKey === 'VpcId')!;
    assert.equal(vpcOutput.description, 'The VPC');
    // No English text: Simplified Chinese.
    assert.equal(vpcOutput.label, '网络');
    const env = body.parameters!.find((p) => p.ParameterKey === 'Env')!;
    assert.deepEqual(env.Label, { en: 'Environment', 'zh-cn': '环境' });
  });

  it('getTemplateSummary of a body, a stack group and a stack', async () => {
    const given = (await api.client.getTemplateSummary(new $ROS.GetTemplateSummaryRequest({ regionId: REGION, templateBody: LOCALISED }))).body!;
    assert.equal(given.description, 'English description');

    await api.createGroup('localised', { templateBody: LOCALISED });
    const opId = await api.createInstances('localised', [ACCOUNT], [REGION]);
    assert.equal((await api.waitStatus(opId, ['SUCCEEDED', 'FAILED'])).status, 'SUCCEEDED');
    const ofGroup = (await api.client.getTemplateSummary(new $ROS.GetTemplateSummaryRequest({ regionId: REGION, stackGroupName: 'localised' }))).body!;
    assert.equal(ofGroup.description, 'English description');

    const stackId = (await api.instance('localised', ACCOUNT, REGION)).stackId!;
    const ofStack = (await api.client.getTemplateSummary(new $ROS.GetTemplateSummaryRequest({ regionId: REGION, stackId }))).body!;
    assert.equal(ofStack.description, 'English description');

    const stack = (await api.client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!;
    assert.equal(stack.description, 'English description');
    assert.equal(stack.templateDescription, 'English description');
    const outputs = Object.fromEntries(stack.outputs!.map((o) => [o.OutputKey, o]));
    assert.equal(outputs.VpcId!.Description, 'The VPC');
    // The functions that used to answer NotSupported, and Fn::Join over a Number parameter.
    assert.equal(outputs.Name!.OutputValue, 'vpc-3');
    assert.deepEqual(outputs.Subnets!.OutputValue, ['10.0.0.0/24', '10.0.1.0/24']);
    assert.equal(outputs.Total!.OutputValue, 7);
    assert.equal(outputs.Picked!.OutputValue, 'b');
    assert.equal(outputs.Matches!.OutputValue, true);

    const held = (await api.client.getTemplate(new $ROS.GetTemplateRequest({ regionId: REGION, stackId }))).body!;
    assert.equal(held.templateBody, LOCALISED);
  });
});

describe('Fn::GetStackOutput reads localros\'s own stacks', () => {
  const reader = JSON.stringify({
    ROSTemplateFormatVersion: '2015-09-01',
    Parameters: { Source: { Type: 'String' } },
    Outputs: {
      Copied: { Value: { 'Fn::GetStackOutput': [{ Ref: 'Source' }, 'Name'] } },
      Missing: { Value: { 'Fn::GetStackOutput': [{ Ref: 'Source' }, 'Nope'] } },
      ElsewhereMissing: { Value: { 'Fn::GetStackOutput': [{ Ref: 'Source' }, 'Name', 'cn-beijing'] } },
    },
  });

  it('by stack id and by stack name, in the stack\'s region only', async () => {
    await api.createGroup('source', { templateBody: LOCALISED });
    assert.equal((await api.waitStatus(await api.createInstances('source', [ACCOUNT], [REGION]), ['SUCCEEDED', 'FAILED'])).status, 'SUCCEEDED');
    const sourceId = (await api.instance('source', ACCOUNT, REGION)).stackId!;
    const sourceName = (await api.client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId: sourceId }))).body!.stackName!;

    for (const [group, source] of [['by-id', sourceId], ['by-name', sourceName]] as const) {
      const parameters = [new $ROS.CreateStackGroupRequestParameters({ parameterKey: 'Source', parameterValue: source })];
      await api.createGroup(group, { templateBody: reader, parameters });
      assert.equal((await api.waitStatus(await api.createInstances(group, [ACCOUNT], [REGION]), ['SUCCEEDED', 'FAILED'])).status, 'SUCCEEDED');
      const stackId = (await api.instance(group, ACCOUNT, REGION)).stackId!;
      const stack = (await api.client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!;
      const outputs = Object.fromEntries(stack.outputs!.map((o) => [o.OutputKey, o.OutputValue]));
      assert.deepEqual(outputs, { Copied: 'vpc-3', Missing: '', ElsewhereMissing: '' }, group);
    }
  });
});

describe('templates in the style of the published samples validate through the typed SDK', () => {
  for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.yml')).sort()) {
    it(file, async () => {
      const text = readFileSync(new URL(file, FIXTURES), 'utf8');
      const english = (parse(text) as { Description: { en: string } }).Description.en;
      const validated = (await api.client.validateTemplate(new $ROS.ValidateTemplateRequest({ regionId: REGION, templateBody: text }))).body!;
      assert.equal(validated.description, english);
      const summary = (await api.client.getTemplateSummary(new $ROS.GetTemplateSummaryRequest({ regionId: REGION, templateBody: text }))).body!;
      assert.equal(summary.description, english);
      assert.ok(summary.parameters!.length > 0);
    });
  }
});

describe('Terraform templates', () => {
  it('are refused with NotSupported naming the transform', async () => {
    const body = JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Transform: 'Aliyun::Terraform-v1.5', Workspace: { 'main.tf': '' } });
    const err = await sdkError(api.client.validateTemplate(new $ROS.ValidateTemplateRequest({ regionId: REGION, templateBody: body })));
    assert.equal(err.code, 'NotSupported');
    assert.match(err.message, /The Transform "Aliyun::Terraform-v1\.5" \(Terraform templates\) is not supported\./);
  });
});
