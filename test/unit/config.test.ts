import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/load.ts';

const dir = mkdtempSync(join(tmpdir(), 'localros-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('configuration layers: defaults < file < environment < flags', () => {
  it('has working defaults', () => {
    const c = loadConfig();
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.port, 4599);
    assert.equal(c.accounts.length, 1);
    assert.equal(c.limits.stackInstancesPerGroup, 2000);
    assert.ok(Object.isFrozen(c.limits));
  });

  it('lets each layer override the one below', () => {
    const yaml = file('c.yaml', 'port: 1000\nsimulation:\n  stackOperationMs: 5\nlimits:\n  accountsPerCall: 500\n');
    assert.equal(loadConfig({ file: yaml }).port, 1000);
    assert.equal(loadConfig({ file: yaml }).limits.accountsPerCall, 500);
    assert.equal(loadConfig({ file: yaml, env: { LOCALROS_PORT: '2000' } }).port, 2000);
    assert.equal(loadConfig({ file: yaml, env: { LOCALROS_PORT: '2000' }, flags: { port: 3000 } }).port, 3000);
    assert.equal(loadConfig({ file: yaml, env: { LOCALROS_STACK_OPERATION_MS: '0' } }).simulation.stackOperationMs, 0);
  });

  it('selects PostgreSQL by URL, with its lease timeout, from the environment or a flag', () => {
    const url = 'postgres://localros@127.0.0.1:5432/localros';
    const env = { LOCALROS_DATABASE: url, LOCALROS_LEASE_TIMEOUT_MS: '5000' };
    assert.equal(loadConfig({ env }).database, url);
    assert.equal(loadConfig({ env }).leaseTimeoutMs, 5000);
    assert.equal(loadConfig({ flags: { database: url } }).database, url);
    assert.equal(loadConfig().database, undefined);
    assert.equal(loadConfig().leaseTimeoutMs, 10_000);
    assert.throws(() => loadConfig({ flags: { database: 'mysql://x/y' } }), /"database": a PostgreSQL URL/);
  });

  it('sets the idle memory release delay, 0 turning it off, from a file or the environment', () => {
    assert.equal(loadConfig().releaseMemoryAfterIdleMs, 5000);
    assert.equal(loadConfig({ env: { LOCALROS_RELEASE_MEMORY_AFTER_IDLE_MS: '0' } }).releaseMemoryAfterIdleMs, 0);
    assert.equal(loadConfig({ file: file('m.yaml', 'releaseMemoryAfterIdleMs: 30000\n') }).releaseMemoryAfterIdleMs, 30_000);
    assert.throws(() => loadConfig({ env: { LOCALROS_RELEASE_MEMORY_AFTER_IDLE_MS: 'never' } }), /LOCALROS_RELEASE_MEMORY_AFTER_IDLE_MS must be a whole number/);
  });

  it('reads JSON files too', () => {
    const json = file('c.json', JSON.stringify({ accounts: [{ accountId: '42', accessKeys: [{ accessKeyId: 'a', accessKeySecret: 'b' }] }] }));
    assert.equal(loadConfig({ file: json }).accounts[0].accountId, '42');
  });
});

describe('configuration errors name the bad key', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['unknown key', () => loadConfig({ file: file('u.yaml', 'limits:\n  groups: 5\n') }), /unknown key "limits.groups"/],
    ['wrong type', () => loadConfig({ file: file('t.yaml', 'port: high\n') }), /"port"/],
    ['bad env value', () => loadConfig({ env: { LOCALROS_PORT: 'x' } }), /LOCALROS_PORT must be a whole number/],
    ['unreadable file', () => loadConfig({ file: join(dir, 'missing.yaml') }), /cannot read config file/],
    ['syntax error', () => loadConfig({ file: file('s.yaml', 'a: [\n') }), /is not valid YAML/],
    ['duplicate access key', () => loadConfig({ flags: { accounts: [{ accountId: '1', accessKeys: [{ accessKeyId: 'k', accessKeySecret: 's' }] }, { accountId: '2', accessKeys: [{ accessKeyId: 'k', accessKeySecret: 't' }] }] } }), /access key k is listed twice/],
    ['bad account id', () => loadConfig({ flags: { accounts: [{ accountId: 'abc', accessKeys: [{ accessKeyId: 'k', accessKeySecret: 's' }] }] } }), /"accounts.0.accountId": an account ID is a string of digits/],
  ];
  for (const [name, load, message] of cases) {
    it(name, () => assert.throws(load, (e: Error) => e instanceof ConfigError && message.test(e.message)));
  }
});
