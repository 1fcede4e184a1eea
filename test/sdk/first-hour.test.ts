// The first hour with `localros serve`, as a user meets it: the ready line, start-up failures
// that say what to do, and the request log.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { v3Request } from '../helpers/raw-client.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';

const DEV_CLI = fileURLToPath(new URL('../../scripts/localros-dev.js', import.meta.url));
const OWN_KEY = { accessKeyId: 'LTAIteamkey', accessKeySecret: 'team-secret-from-a-file' };

// A server of its own account, logging requests as JSON; one with the defaults, logging pretty.
let own: ServerProcess;
let plain: ServerProcess;
let scratch: string;

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'localros-first-hour-'));
  [own, plain] = await Promise.all([
    startServer({
      config: { accounts: [{ accountId: '1234567890123456', accessKeys: [OWN_KEY] }] },
      env: { LOCALROS_LOG_LEVEL: 'info' },
      args: ['--log-format', 'json'],
    }),
    startServer({ env: { LOCALROS_LOG_LEVEL: 'info' } }),
  ]);
});

after(async () => {
  await Promise.all([own?.stop(), plain?.stop()]);
  rmSync(scratch, { recursive: true, force: true });
});

// Lines printed after `mark` (what one request caused).
const linesSince = (server: ServerProcess, mark: number) => server.output().slice(mark).split('\n').filter(Boolean);

// Resolves once the server's output has grown past `mark` with a line matching `re`.
async function lineMatching(server: ServerProcess, mark: number, re: RegExp): Promise<string> {
  for (;;) {
    const found = linesSince(server, mark).find((l) => re.test(l));
    if (found) return found;
    await new Promise((resolve) => server.child.stderr!.once('data', resolve));
  }
}

function serve(args: string[]) {
  return spawnSync(process.execPath, [DEV_CLI, 'serve', ...args], { encoding: 'utf8', env: { ...process.env, LOCALROS_LOG_LEVEL: 'warn' } });
}

describe('the ready line', () => {
  it('says where the console is, and prints the built-in default secret', () => {
    const line = plain.output().split('\n').find((l) => l.startsWith('localros listening on'))!;
    assert.ok(line.endsWith(` console: ${plain.url}/console/`), line);
    assert.match(line, /AccessKeyId LTAI5tLocalRosDefaultKey, AccessKeySecret localros-default-secret-do-not-use-in-cloud\)/);
  });

  it('never prints a secret from a config file', () => {
    const line = own.output().split('\n').find((l) => l.startsWith('localros listening on'))!;
    assert.match(line, /\(account 1234567890123456, AccessKeyId LTAIteamkey\) console: /);
    assert.ok(!own.output().includes(OWN_KEY.accessKeySecret));
  });
});

describe('start-up failures', () => {
  let holder: Server;
  before(() => new Promise<void>((resolve) => (holder = createServer().listen(0, '127.0.0.1', resolve))));
  after(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  it('a port in use is named, with --port 0 suggested', () => {
    const port = (holder.address() as { port: number }).port;
    const run = serve(['--in-memory', '--port', String(port)]);
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stderr, `localros: port ${port} is already in use (127.0.0.1:${port}): stop what holds it, or choose another port with --port (--port 0 picks a free one)\n`);
  });

  it('a data directory held by another localros names its pid', () => {
    const run = serve(['--port', '0', '--data-dir', plain.dataDir]);
    assert.equal(run.status, 1, run.stderr);
    assert.equal(
      run.stderr,
      `localros: the data directory ${plain.dataDir} is in use by another localros (pid ${plain.child.pid}): stop it, or choose another directory with --data-dir (or --in-memory)\n`,
    );
  });

  it('a data directory that cannot be written names the path', () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, '');
    const dir = join(file, 'data');
    const run = serve(['--port', '0', '--data-dir', dir]);
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stderr, `localros: the data directory ${dir} is not writable (ENOTDIR): choose another with --data-dir, or use --in-memory\n`);
  });
});

describe('the request log', () => {
  it('writes one JSON line per API call: time, request id, action, account, status, duration', async () => {
    const mark = own.output().length;
    const res = await v3Request(own.url, { action: 'DescribeRegions', credentials: OWN_KEY });
    assert.equal(res.status, 200);
    const requestId = res.headers.get('x-acs-request-id')!;
    const line = JSON.parse(await lineMatching(own, mark, new RegExp(requestId)));
    assert.equal(typeof line.durationMs, 'number');
    assert.ok(!Number.isNaN(Date.parse(line.time)), line.time);
    assert.deepEqual(
      { ...line, time: undefined, durationMs: undefined },
      { level: 'info', time: undefined, requestId, action: 'DescribeRegions', accountId: '1234567890123456', status: 200, durationMs: undefined, msg: 'request' },
    );
    assert.equal(linesSince(own, mark).filter((l) => l.includes(requestId)).length, 1);
  });

  it('names the error code of an error answer', async () => {
    const mark = own.output().length;
    const res = await v3Request(own.url, { action: 'GetStackGroup', credentials: OWN_KEY, query: { RegionId: 'cn-hangzhou', StackGroupName: 'none' } });
    const requestId = res.json.RequestId as string;
    const line = JSON.parse(await lineMatching(own, mark, new RegExp(requestId)));
    assert.deepEqual([line.action, line.accountId, line.status, line.code], ['GetStackGroup', '1234567890123456', 404, 'StackGroupNotFound']);
  });

  it('in the pretty format, one readable line', async () => {
    const mark = plain.output().length;
    const res = await v3Request(plain.url, { action: 'GetStackGroup', query: { RegionId: 'cn-hangzhou', StackGroupName: 'none' } });
    const requestId = res.json.RequestId as string;
    const line = await lineMatching(plain, mark, new RegExp(requestId));
    assert.match(line, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z INFO GetStackGroup 404 StackGroupNotFound [\\d.]+ms account=1000000000000001 requestId=${requestId}$`));
  });
});
