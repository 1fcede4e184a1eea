// The `localros` command as a user runs it, from the sources (scripts/localros-dev.js), in a
// child process: asynchronous on purpose, since the tests' servers run in the test process and
// must keep answering. Every child still running after a test is killed (a failed assertion
// must not leave a `--watch` polling and the server unable to stop).
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../scripts/localros-dev.js', import.meta.url));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Without the variables a surrounding `localros exec` may have set: each test says where to go.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(LOCALROS_|ALIBABA_CLOUD_)/.test(k)));

const running = new Set<ChildProcess>();
afterEach(() => {
  for (const child of running) child.kill();
});

export function spawnCli(args: string[], env: Record<string, string> = {}): { run: Run; done: Promise<Run> } {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...cleanEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const run: Run = { code: null, stdout: '', stderr: '' };
  child.stdout.on('data', (d) => (run.stdout += d));
  child.stderr.on('data', (d) => (run.stderr += d));
  const done = new Promise<Run>((resolve) => child.once('close', (code) => resolve({ ...run, code })));
  return { run, done };
}

export const cli = (args: string[], env?: Record<string, string>): Promise<Run> => spawnCli(args, env).done;

// Waits for something a running command prints; a bounded wait, not a sleep.
export async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
