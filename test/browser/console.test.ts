// The console end to end: a real server process, rollouts made with the official SDK and held
// with the control plane, and headless Chromium clicking through the pages. Every wait is on
// visible text or state, never a fixed sleep.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { rosClient } from '../helpers/clients.ts';
import { control } from '../helpers/control.ts';
import { ros } from '../helpers/ros.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';
import { browserSkip, launchBrowser } from './browser.ts';
import { CONFIG, heldRollout } from './scenario.ts';

const skip = browserSkip();

describe('the console in Chromium', { skip }, () => {
  let server: ServerProcess;
  let browser: Browser;

  before(async () => {
    server = await startServer({ config: CONFIG });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(hash: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const page = await browser.newPage({ viewport });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Answers with an error status are logged by Chromium too; the tests that provoke them check
    // what the page shows instead.
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
    await page.goto(`${server.url}/console/${hash}`);
    after(() => assert.deepEqual(errors, [], 'the page logged errors'));
    return page;
  }

  const counter = (page: Page, region: string, field: string) => page.locator(`li.region-card[data-region="${region}"] dd[data-field="${field}"]`);
  const row = (page: Page, target: string) => page.locator('tbody tr', { has: page.getByRole('link', { name: target, exact: true }) });

  it('shows a held rollout RUNNING with its counts, STOPPING on Stop, and STOPPED with the cancelled targets once the hold is released', async () => {
    const { operationId } = await heldRollout(server, 'stop-demo');
    const page = await open(`#/operations/cn-hangzhou/${operationId}`);
    const status = page.locator('#op-status');
    await status.getByText('RUNNING', { exact: true }).waitFor();

    // cn-hangzhou: window 2 full with the two held targets, one waiting; cn-beijing not started.
    assert.match(await counter(page, 'cn-hangzhou', 'running').innerText(), /^2 of window 2$/);
    assert.equal(await counter(page, 'cn-hangzhou', 'pending').innerText(), '1');
    assert.match(await counter(page, 'cn-hangzhou', 'failed').innerText(), /^0 of 1 tolerated, 1 left$/);
    assert.equal(await counter(page, 'cn-beijing', 'pending').innerText(), '3');
    assert.match(await counter(page, 'cn-beijing', 'running').innerText(), /^0 of window 2$/);
    assert.equal(await page.locator('li.region-card[data-region="cn-beijing"] .region-state').innerText(), 'waiting');

    await page.getByRole('button', { name: 'Stop operation' }).click();
    await status.getByText('STOPPING', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Stopping…' }).waitFor();
    // The unstarted targets are cancelled at once; the held ones are still running.
    await counter(page, 'cn-beijing', 'cancelled').getByText('3', { exact: true }).waitFor();
    assert.match(await counter(page, 'cn-hangzhou', 'running').innerText(), /^2 of window 2$/);

    // Release the hold from the Faults page, in another tab: the first one updates by itself.
    const faults = await open('#/faults');
    await faults.getByRole('button', { name: /^Release 2 held/ }).click();
    await faults.getByText('Released 2 held target(s) and removed the hold.').waitFor();

    await status.getByText('STOPPED', { exact: true }).waitFor();
    await page.getByText('Finished: nothing more will change.').waitFor();
    assert.equal(await page.getByRole('button', { name: /Stop/ }).count(), 0, 'no Stop button on a stopped operation');
    for (const target of ['1001 / cn-hangzhou', '1002 / cn-hangzhou']) {
      assert.match(await row(page, target).innerText(), /SUCCEEDED/);
    }
    for (const target of ['1003 / cn-hangzhou', '1001 / cn-beijing', '1002 / cn-beijing', '1003 / cn-beijing']) {
      const text = await row(page, target).innerText();
      assert.match(text, /CANCELLED/, target);
      assert.match(text, /User initiated stop/, target);
    }
    // The timeline: seen while the page watched, so the cancellation carries a time; a cancelled
    // target never ran.
    const steps = row(page, '1003 / cn-beijing').locator('ol.steps li');
    assert.equal(await steps.count(), 3);
    assert.match(await steps.nth(1).innerText(), /RUNNING\s*\(never started\)/);
    assert.equal(await steps.nth(2).locator('time').count(), 1);
    assert.match(await row(page, '1001 / cn-hangzhou').locator('ol.steps li').nth(2).innerText(), /^SUCCEEDED \d\d:\d\d:\d\d$/);
  });

  it('shows a group as an accounts × regions grid, with the reason on hover and on click, and the stack of a target', async () => {
    const { group, operationId, holdId } = await heldRollout(server, 'grid-demo');
    const api = ros(rosClient(server.endpoint));
    await api.stop(operationId);
    await control(server.url).removeFault(holdId);
    await api.waitStatus(operationId, ['STOPPED']);

    const page = await open(`#/groups/cn-hangzhou/${group}`);
    await page.getByRole('heading', { name: `Stack group ${group}` }).waitFor();
    await page.getByText('Instances (6)').waitFor();
    assert.equal(await page.locator('table.grid button.cell').count(), 6);
    assert.match(await page.getByRole('button', { name: /^1001 \/ cn-hangzhou: / }).innerText(), /CURRENT$/);
    const cancelled = page.getByRole('button', { name: /^1003 \/ cn-beijing: OUTDATED, cancelled, has a reason$/ });
    assert.equal(await cancelled.getAttribute('title'), 'OUTDATED: User initiated stop');

    // Keyboard: focus the cell and press Enter; the details panel shows the reason.
    await cancelled.focus();
    await page.keyboard.press('Enter');
    const details = page.locator('#instance-details');
    await details.getByRole('heading', { name: '1003 / cn-beijing' }).waitFor();
    await details.getByText('User initiated stop').waitFor();
    assert.equal(await cancelled.getAttribute('aria-pressed'), 'true');

    await page.getByRole('link', { name: 'Open the stack of 1003 / cn-beijing' }).click();
    await page.getByRole('heading', { name: 'Stack of 1003 / cn-beijing' }).waitFor();
    await page.getByText('This instance has no stack').waitFor();
    await page.goto(`${server.url}/console/#/groups/cn-hangzhou/${group}/instances/1001/cn-hangzhou`);
    await page.getByRole('heading', { name: 'Stack of 1001 / cn-hangzhou' }).waitFor();
    const meta = (await (await fetch(`${server.url}/console/api/meta`)).json()) as { stackReadActions: Record<string, boolean> };
    // Resources, events and outputs appear when localros has the stack read actions, not before.
    if (meta.stackReadActions.GetStack) await page.getByText('Stack name').waitFor();
    else await page.getByText('Appears here once localros implements GetStack.').first().waitFor();
  });

  it('adds and removes a fault in the same registry as the control plane', async () => {
    const ctl = control(server.url);
    const page = await open('#/faults');
    await page.getByRole('heading', { name: 'Faults', exact: true }).waitFor();
    await page.getByLabel('Target account ID').fill('1009');
    await page.getByLabel('Target region').selectOption('cn-beijing');
    await page.getByLabel('Effect', { exact: true }).selectOption('fail');
    await page.getByLabel('Failure message').fill('quota exceeded');
    await page.getByRole('button', { name: 'Add fault' }).click();
    await page.getByText('accountId=1009, regionId=cn-beijing').waitFor();
    const added = (await ctl.faults()).find((f) => JSON.stringify(f).includes('1009'));
    assert.ok(added, 'the control plane lists the fault added in the console');

    // A delay without its duration is refused with the control plane's message.
    await page.getByLabel('Effect', { exact: true }).selectOption('delay');
    await page.getByRole('button', { name: 'Add fault' }).click();
    await page.getByRole('alert').getByText('"delayMs" is required with effect "delay"').waitFor();

    await page.getByRole('button', { name: `Remove fault ${added.id}` }).click();
    await page.getByText('Fault removed.').waitFor();
    assert.equal((await ctl.faults()).some((f) => f.id === added.id), false);
  });

  it('fits a narrow screen and labels every control', async () => {
    const { group, operationId, holdId } = await heldRollout(server, 'narrow-demo');
    const page = await open('#/faults', { width: 360, height: 740 });
    const pages = [
      ['#/groups', 'Stack groups'],
      [`#/groups/cn-hangzhou/${group}`, `Stack group ${group}`],
      ['#/operations', 'Operations'],
      [`#/operations/cn-hangzhou/${operationId}`, `Operation ${operationId}`],
      ['#/stacks', 'Stacks'],
      ['#/faults', 'Faults'],
    ];
    for (const [hash, title] of pages) {
      await page.goto(`${server.url}/console/${hash}`);
      await page.getByRole('heading', { name: title, exact: true }).waitFor();
      await page.locator('[aria-busy="true"]').waitFor({ state: 'detached' });
      await page.getByText('Loading…').waitFor({ state: 'detached' });
      if (hash.startsWith('#/operations/')) await page.locator('li.region-card').first().waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${hash} scrolls sideways by ${overflow}px`);
    }
    await control(server.url).removeFault(holdId);
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select')].filter((el) => !(el as HTMLInputElement).labels?.length).map((el) => el.outerHTML),
    );
    assert.deepEqual(unlabelled, []);
    // On a fresh page the first Tab reaches the skip link, which moves the focus to the content.
    const fresh = await open('#/groups');
    await fresh.getByRole('heading', { name: 'Stack groups', exact: true }).waitFor();
    await fresh.keyboard.press('Tab');
    assert.equal(await fresh.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await fresh.keyboard.press('Enter');
    assert.equal(await fresh.evaluate(() => document.activeElement?.id), 'main');
  });

  it('with a control token, opens once from ?token= and keeps working from its cookie, live stream included', async () => {
    const guarded = await startServer({ config: { ...CONFIG, controlToken: 's3cret' } });
    try {
      const page = await browser.newPage();
      const denied = await page.goto(`${guarded.url}/console/`);
      assert.equal(denied?.status(), 401);
      await page.goto(`${guarded.url}/console/?token=s3cret#/operations`);
      await page.getByRole('heading', { name: 'Operations', exact: true }).waitFor();
      assert.equal(new URL(page.url()).search, '', 'the token is gone from the address');
      await page.getByText('No operations in this account and region yet.').waitFor();
      const { operationId } = await heldRollout(guarded, 'guarded', 's3cret');
      await page.getByRole('link', { name: operationId }).click();
      await page.locator('#op-status').getByText('RUNNING', { exact: true }).waitFor();
      await page.getByText('Live: this page updates by itself.').waitFor();
      await page.close();
    } finally {
      await guarded.stop();
    }
  });
});
