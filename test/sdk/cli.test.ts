// `localros serve` as a user runs it: the ready line, health, clean shutdown, config errors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { startServer } from '../helpers/server-process.ts';

const BIN = fileURLToPath(new URL('../../scripts/localros-dev.js', import.meta.url));

it('prints the ready line with the default credentials, serves /health and stops on SIGTERM', async () => {
  const server = await startServer({ args: ['--in-memory'] });
  assert.match(server.output(), /listening on http:\/\/127\.0\.0\.1:\d+ .*AccessKeyId LTAI5tLocalRosDefaultKey, AccessKeySecret \S+/);
  assert.equal((await fetch(`${server.url}/health`)).status, 200);
  const exit = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
  server.child.kill('SIGTERM');
  assert.equal(await exit, 0);
  await server.stop();
});

it('exits with code 2 and names the bad key when the configuration is invalid', () => {
  const dir = mkdtempSync(join(tmpdir(), 'localros-cli-'));
  const config = join(dir, 'bad.yaml');
  writeFileSync(config, 'simulation:\n  stackOperationMs: -1\n');
  const run = spawnSync(process.execPath, [BIN, 'serve', '--config', config, '--in-memory', '--port', '0'], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /"simulation.stackOperationMs"/);
});

it('rejects a non-numeric --port with exit code 2', () => {
  const run = spawnSync(process.execPath, [BIN, 'serve', '--in-memory', '--port', 'abc'], { encoding: 'utf8' });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /"port"/);
});
