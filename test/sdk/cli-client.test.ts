// The client commands (`localros faults …`, `localros ops …`) run as a user runs them, against
// a live server: tables by default, --json on request, one clear line and exit code 1 on errors.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { $ROS, startLocalRos, type LocalRos } from '../../src/testing/index.ts';
import { cli, spawnCli, until } from '../helpers/cli.ts';

const ACCOUNTS = ['1000000000000001', '1000000000000002'];

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('localros faults / ops', () => {
  let ros: LocalRos;
  let env: Record<string, string>;
  before(async () => {
    ros = await startLocalRos({ config: { simulation: { stackOperationMs: 0 } } });
    env = { LOCALROS_ENDPOINT: ros.endpoint };
  });
  after(() => ros.stop());
  beforeEach(() => ros.reset());

  it('faults add, list and rm, as tables and as JSON', async () => {
    // Independent commands run side by side: each one is a fresh CLI process to start.
    const [hold, fail] = await Promise.all([
      cli(['faults', 'add', 'hold', '--group', 'demo', '--times', '2'], env),
      cli(['faults', 'add', 'fail', '--region', 'cn-beijing', '--action', 'CREATE', '--message', 'quota exceeded', '--json'], env),
    ]);
    assert.equal(hold.code, 0, hold.stderr);
    const holdId = hold.stdout.trim();
    assert.match(holdId, /^fault-\S+$/);
    const created = JSON.parse(fail.stdout);
    assert.deepEqual([created.effect, created.match, created.message], ['fail', { regionId: 'cn-beijing', action: 'CREATE' }, 'quota exceeded']);

    const [table, json] = await Promise.all([cli(['faults', 'list'], env), cli(['faults', 'list', '--json'], env)]);
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    assert.match(header, /^ID\s+EFFECT\s+MATCH\s+DETAIL\s+TIMES LEFT\s+HELD$/);
    const row = (id: string) => rows.find((r) => r.startsWith(`${id} `)) ?? assert.fail(`no row for ${id}:\n${table.stdout}`);
    assert.match(row(holdId), /^\S+\s+hold\s+stackGroupName=demo\s+-\s+2\s+0$/);
    assert.match(row(created.id), /^\S+\s+fail\s+regionId=cn-beijing action=CREATE\s+quota exceeded\s+unlimited\s+-$/);
    assert.deepEqual(JSON.parse(json.stdout).map((f: { id: string }) => f.id).sort(), [holdId, created.id].sort());

    const rm = await cli(['faults', 'rm', holdId], env);
    assert.equal(rm.stdout, `removed ${holdId}\n`);
    const all = await cli(['faults', 'rm', '--all', '--json'], env);
    assert.deepEqual(JSON.parse(all.stdout), { removed: [created.id] });
    assert.deepEqual(await ros.faults.list(), []);
  });

  it('ops list, show --watch and stop follow a rollout to its stop', async () => {
    const hold = await ros.faults.hold({ stackGroupName: 'demo' }, { times: 1 });
    const client = ros.rosClient();
    await client.createStackGroup(
      new $ROS.CreateStackGroupRequest({ regionId: ros.regionId, stackGroupName: 'demo', templateBody: '{"ROSTemplateFormatVersion":"2015-09-01"}' }),
    );
    const operationId = (
      await client.createStackInstances(
        new $ROS.CreateStackInstancesRequest({ regionId: ros.regionId, stackGroupName: 'demo', accountIds: ACCOUNTS, regionIds: ['cn-beijing'], operationPreferences: { MaxConcurrentCount: 1 } }),
      )
    ).body!.operationId!;
    await hold.waitHeld(1);

    const watch = spawnCli(['ops', 'show', operationId, '--watch', '--interval', '20'], env);
    const list = await cli(['ops', 'list', '--group', 'demo'], env);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^OPERATION ID\s+ACTION\s+STATUS\s+CREATED\s+ENDED\n/);
    assert.match(list.stdout, new RegExp(`\\n${operationId}\\s+CREATE\\s+RUNNING\\s+\\S+\\s+-\\n$`));

    await until(() => watch.run.stdout.includes('\n'), 'the first progress line');
    assert.equal(watch.run.stdout, 'RUNNING   [....................] 0/2  1 running, 1 pending\n');

    const stop = await cli(['ops', 'stop', operationId], env);
    assert.equal(stop.stdout, `stopping ${operationId}: STOPPING\n`);
    await until(() => watch.run.stdout.includes('STOPPING'), 'the STOPPING progress line');
    await hold.release();

    const watched = await watch.done;
    assert.equal(watched.code, 3, 'an operation that did not succeed');
    assert.match(watched.stdout, /^STOPPING  \[##########\.{10}\] 1\/2  1 cancelled, 1 running$/m);
    assert.match(watched.stdout, /^STOPPED   \[#{20}\] 2\/2  1 succeeded, 1 cancelled$/m);
    assert.match(watched.stdout, /^Status\s+STOPPED$/m);
    assert.match(watched.stdout, /^1000000000000002\s+cn-beijing\s+CANCELLED\s+User initiated stop$/m);

    const json = JSON.parse((await cli(['ops', 'show', operationId, '--json'], env)).stdout);
    assert.equal(json.StackGroupOperation.Status, 'STOPPED');
    assert.deepEqual(
      json.StackGroupOperationResults.map((r: { AccountId: string; Status: string }) => [r.AccountId, r.Status]),
      [
        [ACCOUNTS[0], 'SUCCEEDED'],
        [ACCOUNTS[1], 'CANCELLED'],
      ],
    );
  });

  it('prints one clear line and exits 1 for a bad endpoint, bad credentials or an unknown operation', async () => {
    const port = await closedPort();
    const runs = await Promise.all([
      cli(['ops', 'show', 'op-1', '--endpoint', `127.0.0.1:${port}`]),
      cli(['faults', 'list', '--endpoint', `http://127.0.0.1:${port}`]),
      cli(['ops', 'show', 'op-1', '--access-key-id', 'LTAI-nobody'], env),
      cli(['ops', 'list', '--group', 'demo'], { ...env, ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'wrong' }),
      cli(['ops', 'show', 'no-such-operation'], env),
      cli(['faults', 'rm', 'fault-nope'], env),
    ]);
    const expected = [
      `localros: cannot reach localros at http://127.0.0.1:${port} (ECONNREFUSED)`,
      `localros: cannot reach localros at http://127.0.0.1:${port} (ECONNREFUSED)`,
      'localros: InvalidAccessKeyId.NotFound: Specified access key is not found.',
      /^localros: SignatureDoesNotMatch: Specified signature is not matched with our calculation\./,
      'localros: StackGroupOperationNotFound: The StackGroupOperation (no-such-operation) could not be found.',
      'localros: FaultNotFound: no fault fault-nope',
    ];
    runs.forEach((run, i) => {
      assert.equal(run.code, 1, run.stderr);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr.split('\n').length, 2, `one line: ${run.stderr}`);
      const line = run.stderr.trimEnd();
      if (typeof expected[i] === 'string') assert.equal(line, expected[i]);
      else assert.match(line, expected[i] as RegExp);
    });
  });
});

describe('localros faults with a control token', () => {
  let ros: LocalRos;
  before(async () => (ros = await startLocalRos({ config: { controlToken: 's3cret' } })));
  after(() => ros.stop());

  it('sends --control-token, and says so when it is missing', async () => {
    const [without, withToken] = await Promise.all([
      cli(['faults', 'list', '--endpoint', ros.endpoint]),
      cli(['faults', 'list', '--endpoint', ros.endpoint, '--control-token', 's3cret']),
    ]);
    assert.equal(without.code, 1);
    assert.equal(without.stderr, 'localros: Unauthorized: the control plane needs "Authorization: Bearer <control token>"\n');
    assert.equal(withToken.code, 0, withToken.stderr);
    assert.equal(withToken.stdout, 'no faults\n');
  });
});
