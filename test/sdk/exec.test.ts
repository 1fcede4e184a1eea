// `localros exec -- <command>` as a user runs it: the child's environment and exit code,
// signals passed on, and nothing left behind (no process, no listening port, no temporary
// database directory).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, it } from 'node:test';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'scripts/localros-dev.js');

// Each run gets its own TMPDIR, so "no temporary directory left behind" is checkable exactly.
let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'localros-exec-test-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));
// tsx keeps its compile cache there too; only the server's directories matter.
const databases = () => readdirSync(tmp).filter((name) => name.startsWith('localros-'));

function exec(args: string[]) {
  const child = spawn(process.execPath, [BIN, 'exec', ...args], {
    cwd: ROOT,
    env: { ...process.env, TMPDIR: tmp, LOCALROS_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    exit,
    stdout: () => stdout,
    stderr: () => stderr,
    // Resolves with the first stdout line matching `re`: the child reporting it is ready.
    line: (re: RegExp) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const check = () => {
          const m = re.exec(stdout);
          if (m) resolve(m);
        };
        child.stdout.on('data', check);
        child.once('exit', () => reject(new Error(`exited before printing ${re}:\n${stdout}\n${stderr}`)));
      }),
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function refused(endpoint: string): Promise<boolean> {
  return fetch(`http://${endpoint}/health`).then(
    () => false,
    () => true,
  );
}

// The child reports its environment and whether the server answers, then exits with 7.
const REPORT_ENV = `
  const keys = ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABA_CLOUD_REGION_ID', 'ALICLOUD_ACCESS_KEY', 'ALICLOUD_SECRET_KEY', 'ALICLOUD_REGION', 'ALICLOUD_ACCOUNT_ID', 'LOCALROS_ENDPOINT', 'LOCALROS_URL'];
  fetch('http://' + process.env.LOCALROS_ENDPOINT + '/health').then(async (r) => {
    console.log(JSON.stringify({ env: Object.fromEntries(keys.map((k) => [k, process.env[k]])), health: await r.json() }));
    process.exit(7);
  });`;

it("runs the command against a ready server, with the SDK's environment, and exits with its code", async () => {
  const run = exec(['--', process.execPath, '-e', REPORT_ENV]);
  assert.equal(await run.exit, 7, run.stderr());
  const { env, health } = JSON.parse(run.stdout());
  assert.deepEqual(health, { status: 'ok' });
  assert.equal(env.ALIBABA_CLOUD_ACCESS_KEY_ID, 'LTAI5tLocalRosDefaultKey');
  assert.equal(env.ALIBABA_CLOUD_ACCESS_KEY_SECRET, 'localros-default-secret-do-not-use-in-cloud');
  assert.equal(env.ALIBABA_CLOUD_REGION_ID, 'cn-hangzhou');
  // The Terraform provider's names for the same.
  assert.deepEqual(
    [env.ALICLOUD_ACCESS_KEY, env.ALICLOUD_SECRET_KEY, env.ALICLOUD_REGION, env.ALICLOUD_ACCOUNT_ID],
    ['LTAI5tLocalRosDefaultKey', 'localros-default-secret-do-not-use-in-cloud', 'cn-hangzhou', '1000000000000001'],
  );
  assert.match(env.LOCALROS_ENDPOINT, /^127\.0\.0\.1:\d+$/);
  assert.equal(env.LOCALROS_URL, `http://${env.LOCALROS_ENDPOINT}`);
  assert.ok(await refused(env.LOCALROS_ENDPOINT), 'the server is stopped');
  assert.deepEqual(databases(), [], 'the temporary database is deleted');
});

it('forwards SIGTERM to the command, exits with its code and leaves nothing behind', async () => {
  const script = `
    process.on('SIGTERM', () => { console.log('child got SIGTERM'); process.exit(42); });
    console.log('ready ' + process.pid + ' ' + process.env.LOCALROS_ENDPOINT);
    setInterval(() => {}, 1000);`;
  const run = exec(['--', process.execPath, '-e', script]);
  const [, pid, endpoint] = await run.line(/ready (\d+) (\S+)\n/);
  assert.ok(!(await refused(endpoint)), 'the server answers while the command runs');
  assert.equal(databases().length, 1, 'the temporary database lives under TMPDIR');

  run.child.kill('SIGTERM');
  assert.equal(await run.exit, 42, run.stderr());
  assert.match(run.stdout(), /child got SIGTERM/);
  assert.equal(alive(Number(pid)), false, 'the command is gone');
  assert.ok(await refused(endpoint), 'the server is stopped');
  assert.deepEqual(databases(), []);
});

it('exits with 128 + the signal number when the command dies of the forwarded signal', async () => {
  const run = exec(['--', process.execPath, '-e', "console.log('ready'); setInterval(() => {}, 1000);"]);
  await run.line(/ready\n/);
  run.child.kill('SIGINT');
  assert.equal(await run.exit, 130);
  assert.deepEqual(databases(), []);
});

it('passes the options after the command through to it', async () => {
  const run = exec([process.execPath, '-e', 'console.log(process.argv.slice(1).join(" "))', '--', '--json', '-x']);
  assert.equal(await run.exit, 0, run.stderr());
  assert.equal(run.stdout().trim(), '--json -x');
});

it('answers 127 with a clear message when the command does not exist', async () => {
  const run = exec(['--', 'localros-no-such-command']);
  assert.equal(await run.exit, 127);
  assert.match(run.stderr(), /cannot run localros-no-such-command: command not found/);
  assert.deepEqual(databases(), []);
});

it('gives SDK code all it needs: the example rollout tool deploys through it', async () => {
  const run = exec(['--', process.execPath, '--import', 'tsx', 'examples/rollout-tool/main.ts', 'demo', '1000000000000001,1000000000000002', 'cn-beijing']);
  assert.equal(await run.exit, 0, run.stdout() + run.stderr());
  assert.match(run.stdout(), /1000000000000002 cn-beijing SUCCEEDED/);
});
