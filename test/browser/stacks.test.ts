// The Stacks page in headless Chromium: the stacks of the console's account and region
// (ListStacks), filtered by status through the API and by name in the page, kept up to date, and
// one stack with its resources, outputs and events (GetStack, ListStackResources,
// ListStackEvents), all deployed through the official SDK.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { $ROS, rosClient } from '../helpers/clients.ts';
import { waitFor } from '../helpers/control.ts';
import { REGION } from '../helpers/ros.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';
import { browserSkip, launchBrowser } from './browser.ts';
import { CONFIG, deployNetwork, ownStacks } from './scenario.ts';

const skip = browserSkip();
const ACCOUNT = '1000000000000001';

describe('the Stacks page', { skip }, () => {
  let server: ServerProcess;
  let browser: Browser;
  let groups: { good: string; bad: string };

  before(async () => {
    server = await startServer({ config: CONFIG });
    browser = await launchBrowser();
    groups = await ownStacks(server, ACCOUNT);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(hash: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
    await page.goto(`${server.url}/console/${hash}`);
    after(() => assert.deepEqual(errors, [], 'the page logged errors'));
    return page;
  }

  const names = (page: Page) => page.locator('tbody tr th a').allInnerTexts();

  it('lists the stacks, filters them by status and by name, and shows a new stack by itself', async () => {
    const page = await open('#/stacks');
    await page.getByRole('heading', { name: 'Stacks', exact: true }).waitFor();
    await page.getByText('2 of 2 stacks.').waitFor();
    const all = await names(page);
    assert.equal(all.length, 2);
    assert.ok(all.some((n) => n.includes(groups.good)) && all.some((n) => n.includes(groups.bad)), all.join());
    assert.match(await page.locator('tbody tr', { hasText: groups.bad }).innerText(), /CREATE_ROLLBACK_COMPLETE[\s\S]*Resource SecurityGroup failed: quota exceeded/);

    await page.getByLabel('Status').selectOption('CREATE_COMPLETE');
    await page.getByText('1 of 1 stack with status CREATE_COMPLETE.').waitFor();
    assert.match((await names(page)).join(), new RegExp(groups.good));

    await page.getByLabel('Status').selectOption('');
    await page.getByText('2 of 2 stacks.').waitFor();
    await page.getByLabel('Name contains').fill('BROKEN');
    await page.getByText('1 of 2 stacks.').waitFor();
    assert.match((await names(page)).join(), new RegExp(groups.bad));
    await page.getByLabel('Name contains').fill('nothing-like-it');
    await page.getByText('No stack matches the filters.').waitFor();
    await page.getByLabel('Name contains').fill('');

    // A stack deployed while the page is open appears without a reload.
    await page.getByText('2 of 2 stacks.').waitFor();
    await deployNetwork(server, 'network-late', ACCOUNT);
    await page.getByText('3 of 3 stacks.').waitFor();
    assert.match((await names(page)).join(), /StackGroup-network-late-/);
  });

  it('shows a stack: summary, parameters, outputs, resources and its events as a timeline', async () => {
    const page = await open('#/stacks');
    await page.getByRole('link', { name: new RegExp(`^StackGroup-${groups.good}-`) }).click();
    await page.getByRole('heading', { name: new RegExp(`^Stack StackGroup-${groups.good}-`) }).waitFor();
    const outputs = page.locator('section[aria-labelledby="h-outputs"]');
    assert.match(await outputs.innerText(), /VpcId\s+vpc-\S+\s+The VPC/);
    const resources = page.locator('section[aria-labelledby="h-resources"]');
    for (const [id, type] of [['Vpc', 'ALIYUN::ECS::VPC'], ['SecurityGroup', 'ALIYUN::ECS::SecurityGroup']]) {
      assert.match(await resources.locator('tr', { hasText: id }).first().innerText(), new RegExp(`${id}\\s+${type}[\\s\\S]*CREATE_COMPLETE`));
    }
    const events = page.getByRole('list', { name: 'Stack events, newest first' }).locator('li');
    assert.ok((await events.count()) >= 4);
    assert.match(await events.first().innerText(), /CREATE_COMPLETE/);
    assert.match(await events.last().innerText(), /CREATE_IN_PROGRESS/);

    await page.getByRole('link', { name: 'Stacks', exact: true }).first().click();
    await page.getByRole('link', { name: new RegExp(`^StackGroup-${groups.bad}-`) }).click();
    await page.getByRole('heading', { name: new RegExp(`^Stack StackGroup-${groups.bad}-`) }).waitFor();
    await page.getByRole('list', { name: 'Stack events, newest first' }).getByText('Resource SecurityGroup failed: quota exceeded').first().waitFor();
    await page.getByText('The stack has no outputs.').waitFor();
  });

  it('shows the change sets of a stack with their computed changes', async () => {
    const client = rosClient(server.endpoint);
    const body = (cidr: string) =>
      JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: cidr } }, Eip: { Type: 'ALIYUN::VPC::EIP' } } });
    const stackId = (await client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: 'reviewed', templateBody: body('10.0.0.0/8') }))).body!.stackId!;
    await waitFor(async () => (await client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!, (st) => st.status === 'CREATE_COMPLETE');
    const next = JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '172.16.0.0/12' } } } });
    const changeSetId = (await client.createChangeSet(new $ROS.CreateChangeSetRequest({ regionId: REGION, stackId, changeSetName: 'shrink', templateBody: next, description: 'drop the EIP' }))).body!.changeSetId!;
    await waitFor(async () => (await client.getChangeSet(new $ROS.GetChangeSetRequest({ regionId: REGION, changeSetId }))).body!, (c) => c.status === 'CREATE_COMPLETE');

    const page = await open(`#/stacks/${REGION}/${stackId}`);
    await page.getByRole('heading', { name: 'Stack reviewed' }).waitFor();
    const section = page.locator('section[aria-labelledby="h-change-sets"]');
    await section.getByRole('heading', { name: /Change sets \(1\)/ }).waitFor();
    const changeSet = section.getByRole('article', { name: 'Change set shrink' });
    assert.match(await changeSet.getByRole('heading').innerText(), /shrink[\s\S]*CREATE_COMPLETE[\s\S]*AVAILABLE/);
    assert.match(await changeSet.innerText(), /UPDATE[\s\S]*drop the EIP/);
    const changes = changeSet.getByRole('table', { name: 'Changes of shrink' });
    assert.match(await changes.getByRole('row', { name: /^Modify Vpc / }).innerText(), /Modify\s+Vpc\s+ALIYUN::ECS::VPC\s+vpc-\S+\s+False\s+Properties/);
    assert.match(await changes.getByRole('row', { name: /^Remove Eip / }).innerText(), /Remove\s+Eip\s+ALIYUN::VPC::EIP/);
  });

  it('answers an unknown stack with the API error', async () => {
    const page = await open('#/stacks/cn-hangzhou/00000000-0000-0000-0000-000000000000');
    await page.getByRole('alert').getByText('StackNotFound').waitFor();
  });
});
