// MODULE resource types (issue 13) through the official SDK: register versions, list versions and
// registrations, change the default, use a module in a stack (its resources expanded under the
// module's logical id, its output read with Fn::GetAtt), describe it, deregister it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { $ROS, rosClient, type RosClient } from '../helpers/clients.ts';
import { waitFor } from '../helpers/control.ts';
import { REGION, sdkError } from '../helpers/ros.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';

const CONFIG = { simulation: { stackOperationMs: 0 } };
const TYPE = 'MODULE::Acme::Network::Vpc';
const doc = (sections: object): string => JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', ...sections });

// A VPC with a VSwitch; the name is a parameter, the VPC id an output.
const MODULE_V1 = doc({
  Parameters: { VpcName: { Type: 'String', Description: 'Name of the VPC' }, Cidr: { Type: 'String', Default: '10.0.0.0/8' } },
  Resources: {
    Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: { Ref: 'Cidr' }, VpcName: { 'Fn::Sub': '${VpcName}-vpc' } } },
    VSwitch: { Type: 'ALIYUN::ECS::VSwitch', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.1.0.0/16', ZoneId: 'cn-hangzhou-h' } },
  },
  Outputs: { VpcId: { Description: 'The VPC', Value: { 'Fn::GetAtt': ['Vpc', 'VpcId'] } }, Name: { Value: { Ref: 'VpcName' } } },
});
// Version 2 has the VPC only.
const MODULE_V2 = doc({
  Parameters: { VpcName: { Type: 'String' } },
  Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '192.168.0.0/16', VpcName: { Ref: 'VpcName' } } } },
  Outputs: { VpcId: { Value: { 'Fn::GetAtt': ['Vpc', 'VpcId'] } } },
});

let server: ServerProcess;
let client: RosClient;

before(async () => {
  server = await startServer({ config: CONFIG });
  client = rosClient(server.endpoint);
});
after(() => server.stop());

const register = (templateBody: string, extra: Partial<$ROS.RegisterResourceTypeRequest> = {}) =>
  client.registerResourceType(new $ROS.RegisterResourceTypeRequest({ entityType: 'Module', resourceType: TYPE, templateBody, ...extra }));
const versions = async (resourceType = TYPE) =>
  (await client.listResourceTypeVersions(new $ROS.ListResourceTypeVersionsRequest({ resourceType }))).body!.resourceTypeVersions!;
const registrations = async (extra: Partial<$ROS.ListResourceTypeRegistrationsRequest> = {}) =>
  (await client.listResourceTypeRegistrations(new $ROS.ListResourceTypeRegistrationsRequest(extra))).body!;
const setType = (extra: Partial<$ROS.SetResourceTypeRequest>) => client.setResourceType(new $ROS.SetResourceTypeRequest({ resourceType: TYPE, ...extra }));
const deregister = (extra: Partial<$ROS.DeregisterResourceTypeRequest> = {}) =>
  client.deregisterResourceType(new $ROS.DeregisterResourceTypeRequest({ resourceType: TYPE, ...extra }));

async function deploy(name: string, templateBody: string) {
  const { stackId } = (await client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: name, templateBody }))).body!;
  const stack = await waitFor(
    async () => (await client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!,
    (s) => !s.status!.endsWith('_IN_PROGRESS'),
  );
  const resources = (await client.listStackResources(new $ROS.ListStackResourcesRequest({ regionId: REGION, stackId }))).body!.resources!;
  return { stack, resources };
}

const usingModule = (version: string, properties: object = { VpcName: 'shop' }, outputs: object = { VpcId: { Value: { 'Fn::GetAtt': ['Net', 'VpcId'] } } }) =>
  doc({ Resources: { Net: { Type: TYPE, Version: version, Properties: properties } }, Outputs: outputs });

describe('MODULE resource types', () => {
  it('registers v1 as the default and v2 beside it; lists versions and registrations', async () => {
    const first = (await register(MODULE_V1, { description: 'A network' })).body!;
    assert.match(first.registrationId!, /^[0-9a-f-]{36}$/);
    const second = (await register(MODULE_V2)).body!;
    const listed = await versions();
    assert.deepEqual(
      listed.map((v) => [v.versionId, v.isDefaultVersion, v.entityType, v.provider, v.resourceType]),
      [
        ['v1', true, 'Module', 'Self', TYPE],
        ['v2', false, 'Module', 'Self', TYPE],
      ],
    );
    assert.equal(listed[0].description, 'A network');
    assert.match(listed[0].createTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);

    const all = await registrations({ resourceType: 'MODULE::Acme::*' });
    assert.equal(all.totalCount, 2);
    assert.deepEqual(all.registrations!.map((r) => [r.registrationId, r.versionId, r.status]), [
      [first.registrationId, 'v1', 'COMPLETE'],
      [second.registrationId, 'v2', 'COMPLETE'],
    ]);
    const one = await registrations({ registrationId: second.registrationId });
    assert.deepEqual(one.registrations!.map((r) => r.versionId), ['v2']);
    assert.equal((await registrations({ resourceType: 'MODULE::Other::*' })).totalCount, 0);
  });

  it('refuses a bad module name, a template that does not validate, and an unknown type', async () => {
    const badName = await sdkError(register(MODULE_V1, { resourceType: 'MODULE::Aliyun::Network::Vpc' }));
    assert.equal(badName.code, 'InvalidParameter');
    const badShape = await sdkError(register(MODULE_V1, { resourceType: 'MODULE::Acme::Vpc' }));
    assert.equal(badShape.code, 'InvalidParameter');
    const badTemplate = await sdkError(register(doc({ Resources: { X: { Type: 'ALIYUN::ECS::Instanse' } } })));
    assert.equal(badTemplate.code, 'InvalidTemplate');
    const unknown = await sdkError(versions('MODULE::Acme::Network::Nothing'));
    assert.equal(unknown.code, 'ResourceTypeNotFound');
  });

  it('is listed and described by ListResourceTypes, GetResourceType and GetResourceTypeTemplate', async () => {
    const modules = (await client.listResourceTypes(new $ROS.ListResourceTypesRequest({ entityType: 'Module' }))).body!.resourceTypes!;
    assert.deepEqual(modules, [TYPE]);
    const resources = (await client.listResourceTypes(new $ROS.ListResourceTypesRequest({}))).body!.resourceTypes!;
    assert.ok(!resources.includes(TYPE));
    const got = (await client.getResourceType(new $ROS.GetResourceTypeRequest({ resourceType: TYPE }))).body!;
    assert.equal(got.entityType, 'Module');
    assert.equal(got.defaultVersionId, 'v1');
    assert.equal(got.latestVersionId, 'v2');
    assert.equal(got.totalVersionCount, 2);
    assert.deepEqual(got.properties, { VpcName: { Type: 'String', Required: true, Description: 'Name of the VPC' }, Cidr: { Type: 'String', Required: false } });
    assert.deepEqual(Object.keys(got.attributes!), ['VpcId', 'Name']);
    const v2 = (await client.getResourceType(new $ROS.GetResourceTypeRequest({ resourceType: TYPE, versionId: 'v2' }))).body!;
    assert.equal(v2.templateBody, MODULE_V2);
    const sample = (await client.getResourceTypeTemplate(new $ROS.GetResourceTypeTemplateRequest({ resourceType: TYPE }))).body!;
    assert.deepEqual((sample.templateBody as { Resources: object }).Resources, { Vpc: { Type: TYPE, Version: 'default', Properties: { VpcName: { Ref: 'VpcName' } } } });
    const missing = await sdkError(client.getResourceType(new $ROS.GetResourceTypeRequest({ resourceType: TYPE, versionId: 'v9' })));
    assert.equal(missing.code, 'ResourceTypeNotFound');
  });

  it('deploys a stack with the module expanded: prefixed resources, parameters from Properties, an output by Fn::GetAtt', async () => {
    const { stack, resources } = await deploy('with-module', usingModule('default', { VpcName: 'shop' }, {
      VpcId: { Value: { 'Fn::GetAtt': ['Net', 'VpcId'] } },
      Name: { Value: { 'Fn::GetAtt': ['Net', 'Name'] } },
      Text: { Value: { 'Fn::Sub': 'vpc ${Net.VpcId} of ${Net.Name}' } },
    }));
    assert.equal(stack.status, 'CREATE_COMPLETE', stack.statusReason);
    assert.deepEqual(resources.map((r) => [r.logicalResourceId, r.resourceType]).sort(), [
      ['NetVSwitch', 'ALIYUN::ECS::VSwitch'],
      ['NetVpc', 'ALIYUN::ECS::VPC'],
    ]);
    const vpc = resources.find((r) => r.logicalResourceId === 'NetVpc')!;
    const outputs = Object.fromEntries(stack.outputs!.map((o) => [o.OutputKey, o.OutputValue]));
    assert.equal(outputs.VpcId, vpc.physicalResourceId);
    assert.equal(outputs.Name, 'shop');
    assert.equal(outputs.Text, `vpc ${vpc.physicalResourceId} of shop`);
    const props = (await client.getStackResource(new $ROS.GetStackResourceRequest({ regionId: REGION, stackId: stack.stackId, logicalResourceId: 'NetVpc', showResourceAttributes: true }))).body!;
    assert.equal(props.logicalResourceId, 'NetVpc');
  });

  it('uses the version named, and the new default after SetResourceType', async () => {
    const v2 = await deploy('module-v2', usingModule('v2'));
    assert.deepEqual(v2.resources.map((r) => r.logicalResourceId), ['NetVpc']);
    await setType({ defaultVersionId: 'v2', description: 'Only a VPC', versionId: 'v2' });
    const listed = await versions();
    assert.deepEqual(listed.map((v) => [v.versionId, v.isDefaultVersion]), [['v1', false], ['v2', true]]);
    assert.equal(listed[1].description, 'Only a VPC');
    const byDefault = await deploy('module-default', usingModule('default'));
    assert.deepEqual(byDefault.resources.map((r) => r.logicalResourceId), ['NetVpc']);
    const unknown = await sdkError(setType({ defaultVersionId: 'v7' }));
    assert.equal(unknown.code, 'ResourceTypeNotFound');
  });

  it('refuses a module resource without a valid Version, with an unknown or missing property, or an unknown output', async () => {
    const validate = (templateBody: string) => client.validateTemplate(new $ROS.ValidateTemplateRequest({ regionId: REGION, templateBody }));
    const noVersion = await sdkError(validate(doc({ Resources: { Net: { Type: TYPE, Properties: { VpcName: 'a' } } } })));
    assert.equal(noVersion.code, 'InvalidTemplate');
    assert.match(noVersion.message, /Version of module resource Net/);
    const noSuchVersion = await sdkError(validate(usingModule('v5')));
    assert.match(noSuchVersion.message, /Unknown resource Type : MODULE::Acme::Network::Vpc \(version v5\)/);
    const extra = await sdkError(validate(usingModule('v1', { VpcName: 'a', Colour: 'red' })));
    assert.match(extra.message, /Unknown property Colour in the Properties of Net/);
    const missing = await sdkError(validate(usingModule('v1', {})));
    assert.match(missing.message, /The property VpcName of Net is required/);
    const badOutput = await sdkError(validate(usingModule('v1', { VpcName: 'a' }, { X: { Value: { 'Fn::GetAtt': ['Net', 'Nope'] } } })));
    assert.equal(badOutput.code, 'InvalidTemplateAttribute');
  });

  it('keeps a module that uses a module, and a library template, as written; expands both when used', async () => {
    const OUTER = 'MODULE::Acme::Network::Site';
    const outerBody = doc({ Parameters: { Site: { Type: 'String' } }, Resources: { Net: { Type: TYPE, Version: 'v1', Properties: { VpcName: { Ref: 'Site' } } } }, Outputs: { Id: { Value: { 'Fn::GetAtt': ['Net', 'VpcId'] } } } });
    const once = (await register(outerBody, { resourceType: OUTER, clientToken: 'site-1' })).body!;
    const again = (await register(outerBody, { resourceType: OUTER, clientToken: 'site-1' })).body!;
    assert.equal(again.registrationId, once.registrationId);
    assert.deepEqual((await versions(OUTER)).map((v) => v.versionId), ['v1']);
    const described = (await client.getResourceType(new $ROS.GetResourceTypeRequest({ resourceType: OUTER }))).body!;
    assert.equal(described.templateBody, outerBody);
    const body = doc({ Resources: { Site: { Type: OUTER, Version: 'v1', Properties: { Site: 'shop' } } }, Outputs: { Id: { Value: { 'Fn::GetAtt': ['Site', 'Id'] } } } });
    const { templateId } = (await client.createTemplate(new $ROS.CreateTemplateRequest({ regionId: REGION, templateName: 'site', templateBody: body }))).body!;
    const held = (await client.getTemplate(new $ROS.GetTemplateRequest({ regionId: REGION, templateId }))).body!;
    assert.equal(held.templateBody, body);
    const { stackId } = (await client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: 'site', templateId }))).body!;
    const stack = await waitFor(
      async () => (await client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!,
      (s) => !s.status!.endsWith('_IN_PROGRESS'),
    );
    assert.equal(stack.status, 'CREATE_COMPLETE', stack.statusReason);
    const resources = (await client.listStackResources(new $ROS.ListStackResourcesRequest({ regionId: REGION, stackId }))).body!.resources!;
    assert.deepEqual(resources.map((r) => r.logicalResourceId).sort(), ['SiteNetVSwitch', 'SiteNetVpc']);
    assert.equal(stack.outputs![0].OutputValue, resources.find((r) => r.logicalResourceId === 'SiteNetVpc')!.physicalResourceId);
    await client.deregisterResourceType(new $ROS.DeregisterResourceTypeRequest({ resourceType: OUTER }));
  });

  it('deregisters a version, refuses the default while others remain, then the whole type', async () => {
    const isDefault = await sdkError(deregister({ versionId: 'v2' }));
    assert.equal(isDefault.code, 'InvalidParameter');
    await deregister({ versionId: 'v1' });
    assert.deepEqual((await versions()).map((v) => v.versionId), ['v2']);
    const gone = await sdkError(deregister({ versionId: 'v1' }));
    assert.equal(gone.code, 'ResourceTypeNotFound');
    await deregister();
    assert.equal((await sdkError(versions())).code, 'ResourceTypeNotFound');
    assert.equal((await sdkError(deregister())).code, 'ResourceTypeNotFound');
    assert.deepEqual((await client.listResourceTypes(new $ROS.ListResourceTypesRequest({ entityType: 'Module' }))).body!.resourceTypes, []);
  });
});
