// Headless Chromium for the console tests: Debian's `chromium` package driven by playwright-core
// (no downloaded browser). Without it, browser tests skip with one line saying how to run them;
// CI sets LOCALROS_REQUIRE_BROWSER=1 so that a missing Chromium fails instead of skipping.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// The `skip` option for the browser suites: false when Chromium is there, else the reason.
export function browserSkip(): false | string {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.LOCALROS_REQUIRE_BROWSER === '1') throw new Error(`${CHROMIUM} not found, and LOCALROS_REQUIRE_BROWSER=1 requires the browser tests`);
  console.log(`browser tests skipped: ${CHROMIUM} not found (apt-get install chromium to run them)`);
  return 'no Chromium';
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}
