// Runs the Vitest example suite from `npm test` (node:test), so that it is checked with the rest.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

it('the Vitest example suite passes', async () => {
  const child = spawn('npx', ['vitest', 'run', '--config', 'examples/vitest/vitest.config.ts'], {
    cwd: ROOT,
    // No colours or TTY tricks in the captured output; CI=true keeps Vitest out of watch mode.
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 0, output);
  assert.match(output, /Tests\s+3 passed/);
});
