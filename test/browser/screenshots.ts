// Regenerates the console screenshots in docs/img/ (described in docs/console.md). Run by hand:
//   node --import tsx test/browser/screenshots.ts
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startServer } from '../helpers/server-process.ts';
import { launchBrowser } from './browser.ts';
import { CONFIG, fleet, ownStacks, showcase } from './scenario.ts';

const OUT = fileURLToPath(new URL('../../docs/img/', import.meta.url));

async function shot(page: Page, hash: string, ready: string, file: string, fullPage = true): Promise<void> {
  await page.goto(`${new URL(page.url()).origin}/console/${hash}`);
  await page.getByText(ready, { exact: false }).first().waitFor();
  await page.screenshot({ path: `${OUT}${file}`, fullPage });
  console.log(`wrote docs/img/${file}`);
}

const server = await startServer({ config: CONFIG });
const browser = await launchBrowser();
try {
  const fleetScene = await fleet(server, 'fleet-network');
  const { group, operationId } = await showcase(server);
  const wide = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await wide.goto(`${server.url}/console/`);
  await shot(wide, `#/groups/cn-hangzhou/${fleetScene.group}`, 'Instances (240)', 'console-fleet.png');
  await wide.getByLabel('Show').selectOption('FAILED');
  await wide.locator('section[aria-labelledby="h-instances"]').screenshot({ path: `${OUT}console-fleet-failed.png` });
  console.log('wrote docs/img/console-fleet-failed.png');
  await shot(wide, '#/groups', group, 'console-groups.png');
  await shot(wide, `#/groups/cn-hangzhou/${group}`, 'Instances (', 'console-group.png');
  await wide.getByRole('button', { name: /INOPERABLE/ }).click();
  await wide.screenshot({ path: `${OUT}console-group-reason.png` });
  console.log('wrote docs/img/console-group-reason.png');
  await shot(wide, '#/operations', operationId, 'console-operations.png');
  await shot(wide, `#/operations/cn-hangzhou/${operationId}`, 'Live:', 'console-operation.png');
  await shot(wide, '#/faults', 'Release 1 held', 'console-faults.png');
  await shot(wide, `#/groups/cn-hangzhou/${group}/instances/1003/cn-shanghai`, 'Stack instance', 'console-stack.png');
  const { good } = await ownStacks(server, '1000000000000001');
  await shot(wide, '#/stacks', `StackGroup-${good}-`, 'console-stacks.png');
  await wide.getByRole('link', { name: new RegExp(`^StackGroup-${good}-`) }).click();
  await wide.getByText('Events (').waitFor();
  await wide.screenshot({ path: `${OUT}console-stack-detail.png`, fullPage: true });
  console.log('wrote docs/img/console-stack-detail.png');
  const narrow = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  await narrow.goto(`${server.url}/console/`);
  await shot(narrow, `#/operations/cn-hangzhou/${operationId}`, 'Live:', 'console-operation-narrow.png', false);

  // Stop, then release the hold, on a page left open: its timeline records when it saw each change.
  await wide.goto(`${server.url}/console/#/operations/cn-hangzhou/${operationId}`);
  await wide.getByRole('button', { name: 'Stop operation' }).click();
  await wide.locator('#op-status').getByText('STOPPING').waitFor();
  await wide.screenshot({ path: `${OUT}console-operation-stopping.png`, fullPage: true });
  console.log('wrote docs/img/console-operation-stopping.png');
  const faults = await browser.newPage();
  await faults.goto(`${server.url}/console/#/faults`);
  await faults.getByRole('button', { name: /^Release 1 held/ }).click();
  await wide.locator('#op-status').getByText('STOPPED').waitFor();
  await wide.screenshot({ path: `${OUT}console-operation-stopped.png`, fullPage: true });
  console.log('wrote docs/img/console-operation-stopped.png');
} finally {
  await browser.close();
  await server.stop();
}
