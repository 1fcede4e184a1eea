// Wait conditions of standalone stacks (issue 12): ALIYUN::ROS::WaitCondition waits for real
// signals on its handle's URL (signalled with curl, else fetch) and from SignalResource; Count and
// Timeout are honoured, FAILURE fails the resource, Data / ErrorData / JoinedErrorData come from
// the signals, and a restart while waiting keeps waiting with the signals already received.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { $ROS, rosClient, type RosClient } from '../helpers/clients.ts';
import { waitFor } from '../helpers/control.ts';
import { REGION, sdkError } from '../helpers/ros.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';

const CONFIG = { simulation: { stackOperationMs: 0 } };

function hasCurl(): boolean {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const CURL = hasCurl();

function template(wait: Record<string, unknown>) {
  return JSON.stringify({
    ROSTemplateFormatVersion: '2015-09-01',
    Resources: {
      Handle: { Type: 'ALIYUN::ROS::WaitConditionHandle' },
      Wait: { Type: 'ALIYUN::ROS::WaitCondition', Properties: { Handle: { Ref: 'Handle' }, Timeout: 600, ...wait } },
      Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' }, DependsOn: 'Wait' },
    },
    Outputs: {
      Data: { Value: { 'Fn::GetAtt': ['Wait', 'Data'] } },
      ErrorData: { Value: { 'Fn::GetAtt': ['Wait', 'ErrorData'] } },
      JoinedErrorData: { Value: { 'Fn::GetAtt': ['Wait', 'JoinedErrorData'] } },
    },
  });
}

let dataDir: string;
let server: ServerProcess;
let client: RosClient;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'localros-wait-'));
  server = await startServer({ dataDir, config: CONFIG });
  client = rosClient(server.endpoint);
});
after(async () => {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const getStack = async (stackId: string) => (await client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!;
const settled = (stackId: string) => waitFor(() => getStack(stackId), (s) => !s.status!.endsWith('_IN_PROGRESS'), 20_000);
const outputs = (s: $ROS.GetStackResponseBody) => Object.fromEntries((s.outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
async function create(name: string, body: string) {
  return (await client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: name, templateBody: body }))).body!.stackId!;
}
async function resource(stackId: string, logicalResourceId: string) {
  return (await client.getStackResource(new $ROS.GetStackResourceRequest({ regionId: REGION, stackId, logicalResourceId, showResourceAttributes: true }))).body!;
}
// The handle's attributes, once the stack shows it created (the wait condition waiting).
async function handleAttributes(stackId: string): Promise<Record<string, unknown>> {
  const handle = await waitFor(
    () => resource(stackId, 'Handle').catch(() => undefined),
    (r) => r?.status === 'CREATE_COMPLETE',
  );
  return Object.fromEntries((handle!.resourceAttributes as { Key: string; Value: unknown }[]).map((a) => [a.Key, a.Value]));
}
// Signals as a script on a server would: the handle's CurlCli plus -d, run by a shell.
async function curlSignal(curlCli: string, body: Record<string, unknown>, urlOf: (cli: string) => string = (c) => c): Promise<string> {
  const cli = urlOf(curlCli);
  if (CURL) {
    const { stdout } = await promisify(execFile)('sh', ['-c', `${cli} -s -d '${JSON.stringify(body)}'`]);
    return stdout;
  }
  const url = /'(http[^']+)'/.exec(cli)![1]!;
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.text();
}

describe('wait conditions', () => {
  it('wait for Count signals (curl on the handle URL, then SignalResource), then the stack goes on', async () => {
    const stackId = await create('wait-ok', template({ Count: 2 }));
    const attrs = await handleAttributes(stackId);
    const url = new URL(String(attrs.URL));
    assert.equal(url.origin, new URL(server.url).origin);
    assert.equal(url.pathname, '/waitcondition');
    assert.equal(url.searchParams.get('stackid'), stackId);
    assert.match(String(attrs.CurlCli), /^curl -i -X POST .*'http:\/\/.*\/waitcondition\?/);
    assert.match(String(attrs.WindowsCurlCli), /^curl\.exe /);
    assert.match(String(attrs.PowerShellCurlCli), /^Invoke-WebRequest /);
    assert.equal((attrs.Headers as Record<string, string>)['Content-Type'], 'application/json');
    assert.equal((await resource(stackId, 'Wait')).status, 'CREATE_IN_PROGRESS');
    assert.match(await curlSignal(String(attrs.CurlCli), { status: ' SUCCESS ', id: 'web-1', data: 'nginx ready' }), /RequestId/);
    assert.equal((await getStack(stackId)).status, 'CREATE_IN_PROGRESS');
    await client.signalResource(new $ROS.SignalResourceRequest({ regionId: REGION, stackId, logicalResourceId: 'Wait', uniqueId: 'web-2', status: 'SUCCESS' }));
    const done = await settled(stackId);
    assert.equal(done.status, 'CREATE_COMPLETE', done.statusReason);
    assert.deepEqual(outputs(done).Data, { 'web-1': 'nginx ready', 'web-2': '' });
    assert.deepEqual(outputs(done).ErrorData, {});
    assert.equal(outputs(done).JoinedErrorData, '');
    assert.equal((await resource(stackId, 'Vpc')).status, 'CREATE_COMPLETE');
    const events = (await client.listStackEvents(new $ROS.ListStackEventsRequest({ regionId: REGION, stackId, logicalResourceId: ['Wait'] }))).body!.events!;
    assert.deepEqual(events.map((e) => e.status), ['CREATE_COMPLETE', 'CREATE_IN_PROGRESS']);
  });

  it('WARNING signals go to ErrorData and JoinedErrorData without counting', async () => {
    const stackId = await create('wait-warn', template({}));
    const attrs = await handleAttributes(stackId);
    await curlSignal(String(attrs.CurlCli), { status: 'WARNING', reason: 'disk almost full' });
    await curlSignal(String(attrs.CurlCli), { status: 'WARNING', data: 'slow start' });
    assert.equal((await getStack(stackId)).status, 'CREATE_IN_PROGRESS');
    await curlSignal(String(attrs.CurlCli), {});
    const done = await settled(stackId);
    assert.equal(done.status, 'CREATE_COMPLETE');
    assert.deepEqual(outputs(done).ErrorData, { 1: 'disk almost full', 2: 'slow start' });
    assert.equal(outputs(done).JoinedErrorData, 'disk almost full\nslow start');
  });

  it('a FAILURE signal fails the wait condition and the stack rolls back', async () => {
    const stackId = await create('wait-fail', template({}));
    const attrs = await handleAttributes(stackId);
    await curlSignal(String(attrs.CurlCli), { status: 'FAILURE', reason: 'yum failed' });
    const done = await settled(stackId);
    assert.equal(done.status, 'CREATE_ROLLBACK_COMPLETE');
    assert.equal(done.statusReason, 'Resource CREATE failed: resources.Wait: WaitConditionFailure: yum failed');
  });

  it('times out after Timeout seconds without enough signals', async () => {
    const stackId = await create('wait-timeout', template({ Timeout: 1 }));
    const done = await settled(stackId);
    assert.equal(done.status, 'CREATE_ROLLBACK_COMPLETE');
    assert.equal(done.statusReason, 'Resource CREATE failed: resources.Wait: WaitConditionTimeout: 0 of 1 received');
  });

  it('refuses a wrong signature, an unknown handle and a bad status', async () => {
    const stackId = await create('wait-refuse', template({ Timeout: 600 }));
    const attrs = await handleAttributes(stackId);
    const url = new URL(String(attrs.URL));
    const post = (u: URL, body: string) => fetch(u, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    const forged = new URL(url);
    forged.searchParams.set('signature', 'x'.repeat(48));
    const f = await post(forged, '{}');
    assert.equal(f.status, 403);
    assert.equal(((await f.json()) as { Code: string }).Code, 'Forbidden');
    const other = new URL(url);
    other.searchParams.set('resource', 'Nope');
    assert.equal((await post(other, '{}')).status, 404);
    assert.equal((await post(url, '{"status":"MAYBE"}')).status, 400);
    assert.equal((await post(url, 'not json')).status, 400);
    const bad = await sdkError(client.signalResource(new $ROS.SignalResourceRequest({ regionId: REGION, stackId, logicalResourceId: 'Vpc', uniqueId: 'x', status: 'SUCCESS' })));
    assert.equal(bad.code, 'StackResourceNotFound');
    await client.cancelStackOperation(new $ROS.CancelStackOperationRequest({ regionId: REGION, stackId }));
    assert.equal((await settled(stackId)).status, 'CREATE_ROLLBACK_COMPLETE');
  });

  it('keeps waiting across a restart, with the signals already received', async () => {
    const stackId = await create('wait-restart', template({ Count: 2 }));
    const attrs = await handleAttributes(stackId);
    await curlSignal(String(attrs.CurlCli), { id: 'before' });
    await server.kill9();
    server = await startServer({ dataDir, config: CONFIG });
    client = rosClient(server.endpoint);
    assert.equal((await getStack(stackId)).status, 'CREATE_IN_PROGRESS');
    // Once the resumed operation waits again, the handle's URL names the new server's port; the
    // token is the same.
    const moved = await waitFor(() => handleAttributes(stackId), (a) => new URL(String(a.URL)).origin === new URL(server.url).origin);
    assert.equal(new URL(String(moved.URL)).searchParams.get('signature'), new URL(String(attrs.URL)).searchParams.get('signature'));
    await curlSignal(String(moved.CurlCli), { id: 'after' });
    const done = await settled(stackId);
    assert.equal(done.status, 'CREATE_COMPLETE', done.statusReason);
    assert.deepEqual(outputs(done).Data, { before: '', after: '' });
    const events = (await client.listStackEvents(new $ROS.ListStackEventsRequest({ regionId: REGION, stackId, logicalResourceId: ['Handle'] }))).body!.events!;
    assert.deepEqual(events.map((e) => e.status), ['CREATE_COMPLETE', 'CREATE_IN_PROGRESS']);
  });
});
