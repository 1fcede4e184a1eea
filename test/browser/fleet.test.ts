// The console at fleet scale (40 accounts × 6 regions), in headless Chromium: failures and
// INOPERABLE instances stand out by colour, icon and word, the grid counts and filters by
// status, targets held by a fault say so, a region whose targets were all cancelled draws no
// green, the skip link keeps the page, and every status text keeps 4.5:1 contrast.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { control } from '../helpers/control.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';
import { browserSkip, launchBrowser } from './browser.ts';
import { CONFIG, fleet, type Fleet } from './scenario.ts';

const skip = browserSkip();

// Every coloured status text on the page (badges, grid cells, timeline steps) with the
// contrast of its text against the background it is drawn on (WCAG 2 relative luminance).
// Page-side code as text: tsx would wrap a TypeScript function in helpers the page lacks.
const CONTRAST_REPORT = `(() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) ?? []).map(Number);
  const lin = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  const luminance = ([r, g, b]) => 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const drawn = [...document.querySelectorAll('.badge, .cell, .cell-note, .step, .region-state, .choice')].filter((el) => el.checkVisibility());
  return drawn.map((el) => {
    const a = luminance(rgb(getComputedStyle(el).color));
    const b = luminance(background(el));
    return { text: el.innerText.trim(), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), html: el.outerHTML.slice(0, 200) };
  });
})()`;

describe('the console at fleet scale', { skip }, () => {
  let server: ServerProcess;
  let browser: Browser;
  let scene: Fleet;

  before(async () => {
    server = await startServer({ config: CONFIG });
    browser = await launchBrowser();
    scene = await fleet(server, 'fleet');
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(hash: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${server.url}/console/${hash}`);
    after(() => assert.deepEqual(errors, [], 'the page logged errors'));
    return page;
  }

  const cell = (page: Page, target: string) => page.getByRole('button', { name: new RegExp(`^${target}: `) });
  const looks = (page: Page, target: string) =>
    cell(page, target).evaluate((el) => ({ background: getComputedStyle(el).backgroundColor, icon: el.querySelector('svg.icon')?.getAttribute('class'), text: (el as HTMLElement).innerText }));

  it('draws failed and INOPERABLE instances apart from OUTDATED, counts every status and filters the grid by one', async () => {
    const page = await open(`#/groups/cn-hangzhou/${scene.group}`);
    await page.getByText('Instances (240)').waitFor();
    assert.equal(await page.locator('table.grid button.cell').count(), 240);

    const totals = await page.getByRole('list', { name: 'Instances per status' }).locator('li').allInnerTexts();
    assert.deepEqual(totals.map((t) => t.replace(/\s+/g, ' ').trim()), ['CURRENT 232', 'OUTDATED 4', 'FAILED 3', 'INOPERABLE 1', 'HELD 2']);

    // A failed create leaves the instance OUTDATED; the grid says FAILED, with the API's status
    // in the cell and in its accessible name, a cross, and a colour no OUTDATED cell has.
    const [failed] = scene.failed;
    await cell(page, failed).getByText('instance OUTDATED').waitFor();
    assert.equal(await cell(page, failed).getAttribute('aria-label'), `${failed}: FAILED, instance OUTDATED, has a reason`);
    assert.match(await cell(page, failed).getAttribute('title') ?? '', /^OUTDATED: Resource Vpc failed: quota exceeded$/);
    const outdated = await looks(page, '2001 / cn-beijing');
    const failure = await looks(page, failed);
    const inoperable = await looks(page, scene.inoperable);
    const current = await looks(page, '2003 / cn-beijing');
    assert.match(outdated.text, /^OUTDATED/);
    assert.match(failure.text, /^FAILED/);
    assert.match(inoperable.text, /^INOPERABLE/);
    assert.equal(new Set([outdated.background, failure.background, inoperable.background, current.background]).size, 4, 'four statuses, four colours');
    assert.equal(failure.icon, 'icon icon-cross');
    assert.equal(inoperable.icon, 'icon icon-warning');
    assert.equal(outdated.icon, 'icon icon-clock');

    const filter = page.getByLabel('Show');
    const shown = page.locator('#instance-shown');
    const visibleTargets = async () => (await page.locator('table.grid button.cell').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')!.split(':')[0]))).sort();

    await filter.selectOption('FAILED');
    assert.deepEqual(await visibleTargets(), [...scene.failed].sort());
    assert.equal(await page.locator('table.grid tbody tr').count(), 3, 'only the accounts with a failure are listed');
    assert.equal(await shown.innerText(), 'Showing 3 FAILED of 240 instances, in 3 of 40 accounts.');

    await filter.selectOption('INOPERABLE');
    assert.deepEqual(await visibleTargets(), [scene.inoperable]);

    await filter.selectOption('HELD');
    assert.deepEqual(await visibleTargets(), scene.held);
    for (const target of scene.held) {
      await cell(page, target).getByText('held by a fault').waitFor();
      assert.match((await cell(page, target).getAttribute('aria-label')) ?? '', /held by a fault/);
    }
    await cell(page, scene.held[0]).click();
    const details = page.locator('#instance-details');
    await details.getByText('by fault').waitFor();
    assert.equal(await details.getByRole('link', { name: 'release it on the Faults page' }).getAttribute('href'), '#/faults');

    await filter.selectOption('');
    assert.equal(await page.locator('table.grid button.cell').count(), 240);
    assert.equal(await shown.innerText(), 'Showing all 240 instances: 40 accounts × 6 regions.');
  });

  it('marks held targets on the operation page, and draws a region whose targets were all cancelled without green', async () => {
    const page = await open(`#/operations/cn-hangzhou/${scene.operationId}`);
    const status = page.locator('#op-status');
    await status.getByText('RUNNING', { exact: true }).waitFor();
    const card = (region: string) => page.locator(`li.region-card[data-region="${region}"]`);
    const row = (target: string) => page.locator('tbody tr', { has: page.getByRole('link', { name: target, exact: true }) });

    await page.getByText('2 targets are held RUNNING by a fault').waitFor();
    await card('cn-hangzhou').locator('dd[data-field="held"]').getByText('2', { exact: false }).waitFor();
    for (const target of scene.held) assert.match(await row(target).innerText(), /RUNNING\s+HELD\s+by fault/);
    assert.doesNotMatch(await row('2001 / cn-beijing').innerText(), /HELD/);

    await page.getByRole('button', { name: 'Stop operation' }).click();
    await status.getByText('STOPPING', { exact: true }).waitFor();
    const beijing = card('cn-beijing');
    await beijing.getByText('None ran: all 2 cancelled').waitFor();
    assert.equal(await beijing.locator('.region-state').innerText(), 'cancelled');
    assert.deepEqual(await beijing.locator('.seg').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.segment)), ['cancelled']);
    const green = await beijing.evaluate((el) => {
      const colours = [el, ...el.querySelectorAll('*')].flatMap((e) => [getComputedStyle(e).backgroundColor, getComputedStyle(e).borderTopColor, getComputedStyle(e).backgroundImage]);
      return colours.filter((c) => c.includes('rgb(30, 122, 60)'));
    });
    assert.deepEqual(green, [], 'no green in a region where nothing ran');

    // Releasing the hold lets the held targets finish; nothing is held any more.
    await control(server.url).removeFault(scene.holdId);
    await status.getByText('STOPPED', { exact: true }).waitFor();
    await card('cn-hangzhou').getByText('2 of 2 finished').waitFor();
    assert.deepEqual(await card('cn-hangzhou').locator('.seg').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.segment)), ['succeeded']);
    await page.getByText('targets are held RUNNING').waitFor({ state: 'detached' });
    assert.equal(await page.locator('tbody').getByText('HELD').count(), 0);
  });

  it('keeps 4.5:1 contrast for every status text, and writes every status out', async () => {
    // Each page is read once what it draws last is there: the group's grid, the operation's
    // result rows (its first badge, the status, comes before them).
    const pages: [string, (page: Page) => Promise<void>][] = [
      [`#/groups/cn-hangzhou/${scene.group}`, (page) => page.getByText('Instances (240)').waitFor()],
      [`#/operations/cn-hangzhou/${scene.operationId}`, (page) => page.locator('tbody tr', { has: page.getByRole('link', { name: '2001 / cn-beijing', exact: true }) }).waitFor()],
    ];
    for (const [hash, drawn] of pages) {
      const page = await open(hash);
      await drawn(page);
      await page.getByText('Loading…').waitFor({ state: 'detached' });
      const report = (await page.evaluate(CONTRAST_REPORT)) as { text: string; ratio: number }[];
      assert.ok(report.length > 10, `${hash}: statuses found`);
      const poor = report.filter((r) => r.ratio < 4.5);
      assert.deepEqual(poor, [], `${hash}: text below 4.5:1`);
      assert.deepEqual(report.filter((r) => !/[A-Za-z]/.test(r.text)), [], `${hash}: a status drawn by colour alone`);
    }
  });

  it('skip link: moves the focus to the content and leaves the page and its address as they are', async () => {
    const hash = `#/groups/cn-hangzhou/${scene.group}`;
    const page = await open(hash);
    await page.getByText('Instances (240)').waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    assert.equal(await page.evaluate(() => location.hash), hash);
    // The router has not rendered "Not found": the group is still there, and the next Tab
    // goes into it rather than back to the top bar.
    await page.getByRole('heading', { name: `Stack group ${scene.group}` }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Not found' }).count(), 0);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.getElementById('main')!.contains(document.activeElement)), true);
  });
});
