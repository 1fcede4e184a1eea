// Tags (issue 12) through the SDK, V3 and V1: TagResources / UntagResources / ListTagResources /
// ListTagKeys / ListTagValues on stacks, stack groups and templates, the cloud's limits, and the
// Tag filters of ListStacks, ListStackGroups and ListTemplates.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { $ROS, DEFAULT_CREDENTIALS, OTHER_CREDENTIALS, rosClient, type RosClient } from '../helpers/clients.ts';
import { waitFor } from '../helpers/control.ts';
import { REGION, ros, sdkError } from '../helpers/ros.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';

const ADMIN = '1000000000000001';
const TEMPLATE = JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC' } } });

let server: ServerProcess;
let api: ReturnType<typeof ros>;
let v1: RosClient;
let other: RosClient;
let stackIds: string[];

before(async () => {
  server = await startServer({
    config: {
      simulation: { stackOperationMs: 0 },
      accounts: [
        { accountId: ADMIN, accessKeys: [DEFAULT_CREDENTIALS] },
        { accountId: '2000000000000002', accessKeys: [OTHER_CREDENTIALS] },
      ],
    },
  });
  api = ros(rosClient(server.endpoint));
  v1 = rosClient(server.endpoint, { v1: true });
  other = rosClient(server.endpoint, { credentials: OTHER_CREDENTIALS });
  // Two stacks of the caller's own account, through a stack group.
  await api.createGroup('tagged', { templateBody: TEMPLATE });
  await api.waitStatus(await api.createInstances('tagged', [ADMIN], [REGION, 'cn-beijing']), ['SUCCEEDED']);
  const instances = await api.instances('tagged');
  const here = instances.find((i) => i.regionId === REGION)!;
  stackIds = [here.stackId!];
  await api.createGroup('tagged-2', { templateBody: TEMPLATE });
  await api.waitStatus(await api.createInstances('tagged-2', [ADMIN], [REGION]), ['SUCCEEDED']);
  stackIds.push((await api.instances('tagged-2'))[0].stackId!);
});
after(() => server.stop());

const tag = (key: string, value?: string) => new $ROS.TagResourcesRequestTag({ key, value });

function tagResources(client: RosClient, resourceType: string, resourceId: string[], tags: $ROS.TagResourcesRequestTag[]) {
  return client.tagResources(new $ROS.TagResourcesRequest({ regionId: REGION, resourceType, resourceId, tag: tags }));
}

async function tagsOf(client: RosClient, resourceType: string, resourceId: string[]): Promise<string[]> {
  const body = (await client.listTagResources(new $ROS.ListTagResourcesRequest({ regionId: REGION, resourceType, resourceId }))).body!;
  return body.tagResources!.map((t) => `${t.resourceId}:${t.tagKey}=${t.tagValue}`);
}

async function stackTags(stackId: string) {
  const stack = (await api.client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!;
  return stack.tags!.map((t) => `${t.key}=${t.value}`);
}

describe('TagResources and UntagResources', () => {
  it('tags stacks (V3), replaces a value given again, and GetStack / ListStacks show the tags', async () => {
    await tagResources(api.client, 'stack', stackIds, [tag('Team', 'web'), tag('Env', 'dev')]);
    await tagResources(api.client, 'stack', [stackIds[0]], [tag('Env', 'prod')]);
    assert.deepEqual(await tagsOf(api.client, 'stack', stackIds), [`${stackIds[0]}:Team=web`, `${stackIds[0]}:Env=prod`, `${stackIds[1]}:Team=web`, `${stackIds[1]}:Env=dev`]);
    assert.deepEqual(await stackTags(stackIds[0]), ['Team=web', 'Env=prod']);
    const listed = (await api.client.listStacks(new $ROS.ListStacksRequest({ regionId: REGION }))).body!.stacks!;
    assert.deepEqual(listed.find((s) => s.stackId === stackIds[1])!.tags!.map((t) => `${t.key}=${t.value}`), ['Team=web', 'Env=dev']);
  });

  it('filters ListStacks by tag, with or without a value', async () => {
    const list = async (t: $ROS.ListStacksRequestTag[]) =>
      (await api.client.listStacks(new $ROS.ListStacksRequest({ regionId: REGION, tag: t }))).body!.stacks!.map((s) => s.stackId).sort();
    assert.deepEqual(await list([new $ROS.ListStacksRequestTag({ key: 'Env', value: 'prod' })]), [stackIds[0]]);
    assert.deepEqual(await list([new $ROS.ListStacksRequestTag({ key: 'Team' })]), [...stackIds].sort());
    assert.deepEqual(await list([new $ROS.ListStacksRequestTag({ key: 'Team' }), new $ROS.ListStacksRequestTag({ key: 'Env', value: 'dev' })]), [stackIds[1]]);
    assert.deepEqual(await list([new $ROS.ListStacksRequestTag({ key: 'Nope' })]), []);
  });

  it('tags stack groups by name and templates by id (V1), and their list filters see the tags', async () => {
    await tagResources(v1, 'stackgroup', ['tagged'], [tag('Owner', 'ops')]);
    const groups = (
      await v1.listStackGroups(new $ROS.ListStackGroupsRequest({ regionId: REGION, tags: [new $ROS.ListStackGroupsRequestTags({ key: 'Owner', value: 'ops' })] }))
    ).body!.stackGroups!;
    assert.deepEqual(groups.map((g) => g.stackGroupName), ['tagged']);
    assert.deepEqual(await tagsOf(v1, 'stackgroup', ['tagged', 'tagged-2']), ['tagged:Owner=ops']);

    const templateId = (await v1.createTemplate(new $ROS.CreateTemplateRequest({ templateName: 't', templateBody: TEMPLATE, tags: [new $ROS.CreateTemplateRequestTags({ key: 'A', value: '1' })] }))).body!.templateId!;
    await tagResources(v1, 'template', [templateId], [tag('B', '2')]);
    const templates = (await v1.listTemplates(new $ROS.ListTemplatesRequest({ includeTags: 'Enabled', tag: [new $ROS.ListTemplatesRequestTag({ key: 'B', value: '2' })] }))).body!.templates!;
    assert.deepEqual(templates.map((t) => t.tags!.map((x) => `${x.key}=${x.value}`)), [['A=1', 'B=2']]);
  });

  it('untags the keys given, or every tag with All', async () => {
    await tagResources(api.client, 'stack', [stackIds[1]], [tag('X', '1'), tag('Y', '2')]);
    await api.client.untagResources(new $ROS.UntagResourcesRequest({ regionId: REGION, resourceType: 'stack', resourceId: [stackIds[1]], tagKey: ['X', 'Team'] }));
    assert.deepEqual(await stackTags(stackIds[1]), ['Env=dev', 'Y=2']);
    await v1.untagResources(new $ROS.UntagResourcesRequest({ regionId: REGION, resourceType: 'stack', resourceId: [stackIds[1]], all: true }));
    assert.deepEqual(await stackTags(stackIds[1]), []);
    const neither = await sdkError(api.client.untagResources(new $ROS.UntagResourcesRequest({ regionId: REGION, resourceType: 'stack', resourceId: [stackIds[1]] })));
    assert.equal(neither.code, 'MissingParameter');
  });

  it('refuses what the cloud refuses', async () => {
    const cases: [string, () => Promise<unknown>, string, RegExp][] = [
      ['acs: prefix', () => tagResources(api.client, 'stack', [stackIds[0]], [tag('acs:owner', 'x')]), 'InvalidParameter', /Tag\.1.*cannot start with aliyun or acs:/],
      ['aliyun value', () => tagResources(api.client, 'stack', [stackIds[0]], [tag('ok', 'aliyunvalue')]), 'InvalidParameter', /Tag\.1.*value cannot start/],
      ['url', () => tagResources(api.client, 'stack', [stackIds[0]], [tag('k', 'see https://x')]), 'InvalidParameter', /http/],
      ['long key', () => tagResources(api.client, 'stack', [stackIds[0]], [tag('k'.repeat(129), 'v')]), 'InvalidParameter', /at most 128/],
      ['duplicate key', () => tagResources(api.client, 'stack', [stackIds[0]], [tag('k', '1'), tag('k', '2')]), 'InvalidParameter', /more than once/],
      ['21 tags in a call', () => tagResources(api.client, 'stack', [stackIds[0]], Array.from({ length: 21 }, (_, i) => tag(`k${i}`, 'v'))), 'InvalidParameter', /at most 20/],
      ['unknown stack', () => tagResources(api.client, 'stack', [stackIds[0], 'no-such-stack'], [tag('k', 'v')]), 'StackNotFound', /no-such-stack/],
      ['unknown group', () => tagResources(api.client, 'stackgroup', ['nope'], [tag('k', 'v')]), 'StackGroupNotFound', /nope/],
      ['unknown template', () => tagResources(api.client, 'template', ['nope'], [tag('k', 'v')]), 'TemplateNotFound', /nope/],
      ['bad type', () => tagResources(api.client, 'bucket', [stackIds[0]], [tag('k', 'v')]), 'InvalidParameter', /ResourceType/],
      ['scenario', () => tagResources(api.client, 'templatescratch', ['ts-1'], [tag('k', 'v')]), 'NotSupported', /templatescratch/],
      ['another account', () => tagResources(other, 'stack', [stackIds[0]], [tag('k', 'v')]), 'StackNotFound', /could not be found/],
      ['list without filter', () => api.client.listTagResources(new $ROS.ListTagResourcesRequest({ regionId: REGION, resourceType: 'stack' })), 'MissingParameter', /ResourceId, Tag/],
      ['group create acs: tag', () => api.createGroup('bad-tags', { tags: [new $ROS.CreateStackGroupRequestTags({ key: 'acs:x', value: 'v' })] }), 'InvalidParameter', /Tags\.1/],
    ];
    for (const [what, call, code, message] of cases) {
      const e = await sdkError(call());
      assert.equal(e.code, code, what);
      assert.match(e.data?.Message ?? e.message, message, what);
    }
    // Nothing of a refused call was applied.
    assert.deepEqual(await stackTags(stackIds[0]), ['Team=web', 'Env=prod']);
  });

  it('keeps at most 20 tags on a resource', async () => {
    await tagResources(api.client, 'stack', [stackIds[1]], Array.from({ length: 20 }, (_, i) => tag(`k${i}`, 'v')));
    await tagResources(api.client, 'stack', [stackIds[1]], [tag('k0', 'replaced')]);
    const e = await sdkError(tagResources(api.client, 'stack', [stackIds[1]], [tag('k20', 'v')]));
    assert.equal(e.code, 'InvalidParameter');
    assert.match(e.data?.Message ?? '', /21 tags, more than 20/);
    await api.client.untagResources(new $ROS.UntagResourcesRequest({ regionId: REGION, resourceType: 'stack', resourceId: [stackIds[1]], all: true }));
  });
});

describe('ListTagResources, ListTagKeys, ListTagValues', () => {
  it('lists by tag alone, and pages with NextToken', async () => {
    const byTag = (await api.client.listTagResources(new $ROS.ListTagResourcesRequest({ regionId: REGION, resourceType: 'stack', tag: [new $ROS.ListTagResourcesRequestTag({ key: 'Env', value: 'prod' })] }))).body!;
    assert.deepEqual(byTag.tagResources!.map((t) => `${t.resourceType}:${t.resourceId}:${t.tagKey}`), [`stack:${stackIds[0]}:Team`, `stack:${stackIds[0]}:Env`]);
    assert.equal(byTag.nextToken, undefined);

    // 60 tag rows over 3 groups: two pages.
    for (const name of ['p1', 'p2', 'p3']) {
      await api.createGroup(name, { tags: Array.from({ length: 20 }, (_, i) => new $ROS.CreateStackGroupRequestTags({ key: `Page${i}`, value: name })) });
    }
    const first = (await api.client.listTagResources(new $ROS.ListTagResourcesRequest({ regionId: REGION, resourceType: 'stackgroup', tag: [new $ROS.ListTagResourcesRequestTag({ key: 'Page0' })] }))).body!;
    assert.equal(first.tagResources!.length, 50);
    assert.ok(first.nextToken);
    const second = (
      await api.client.listTagResources(new $ROS.ListTagResourcesRequest({ regionId: REGION, resourceType: 'stackgroup', tag: [new $ROS.ListTagResourcesRequestTag({ key: 'Page0' })], nextToken: first.nextToken }))
    ).body!;
    assert.equal(second.tagResources!.length, 10);
    assert.equal(second.nextToken, undefined);
    assert.deepEqual(second.tagResources!.map((t) => t.resourceId), Array(10).fill('p3'));

    const keys = (await v1.listTagKeys(new $ROS.ListTagKeysRequest({ regionId: REGION, resourceType: 'stackgroup' }))).body!;
    assert.deepEqual(keys.keys, ['Owner', ...Array.from({ length: 20 }, (_, i) => `Page${i}`)]);
    const values = (await v1.listTagValues(new $ROS.ListTagValuesRequest({ regionId: REGION, resourceType: 'stackgroup', key: 'Page3' }))).body!;
    assert.deepEqual(values.values, ['p1', 'p2', 'p3']);
    const stackKeys = (await api.client.listTagKeys(new $ROS.ListTagKeysRequest({ regionId: REGION, resourceType: 'stack' }))).body!;
    assert.deepEqual(stackKeys.keys, ['Team', 'Env']);
    // Another account and another region see none of them.
    assert.deepEqual((await other.listTagKeys(new $ROS.ListTagKeysRequest({ regionId: REGION, resourceType: 'stackgroup' }))).body!.keys, []);
    assert.deepEqual((await api.client.listTagKeys(new $ROS.ListTagKeysRequest({ regionId: 'cn-shanghai', resourceType: 'stackgroup' }))).body!.keys, []);

    const bad = await sdkError(api.client.listTagKeys(new $ROS.ListTagKeysRequest({ regionId: REGION, resourceType: 'stack', nextToken: 'garbage' })));
    assert.equal(bad.code, 'InvalidParameter');
  });
});

describe('Tags on CreateStack', () => {
  it('stores the Tags of a new stack, filters ListStacks by them, and refuses what TagResources refuses', async () => {
    const create = (name: string, tags: $ROS.CreateStackRequestTags[]) =>
      api.client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: name, templateBody: TEMPLATE, tags }));
    const stackId = (await create('standalone', [new $ROS.CreateStackRequestTags({ key: 'App', value: 'shop' }), new $ROS.CreateStackRequestTags({ key: 'Empty' })])).body!.stackId!;
    assert.deepEqual(await stackTags(stackId), ['App=shop', 'Empty=']);
    const found = (await v1.listStacks(new $ROS.ListStacksRequest({ regionId: REGION, tag: [new $ROS.ListStacksRequestTag({ key: 'App', value: 'shop' })] }))).body!.stacks!;
    assert.deepEqual(found.map((s) => s.stackId), [stackId]);
    // UpdateStack's Tags replace the stack's.
    await waitFor(() => api.client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId })), (r) => r.body!.status === 'CREATE_COMPLETE');
    await api.client.updateStack(new $ROS.UpdateStackRequest({ regionId: REGION, stackId, tags: [new $ROS.UpdateStackRequestTags({ key: 'App', value: 'cart' })] }));
    assert.deepEqual(await stackTags(stackId), ['App=cart']);
    const e = await sdkError(create('refused', [new $ROS.CreateStackRequestTags({ key: 'aliyun-x', value: 'v' })]));
    assert.equal(e.code, 'InvalidParameter');
    assert.match(e.data?.Message ?? '', /Tags\.1.*aliyun/);
  });
});
