// The console's JSON endpoints and event stream against a real server process (no browser
// needed): the API's own validation and account scoping, live progress through Stop, and a
// clean shutdown with streams open.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rosClient, type Credentials } from '../helpers/clients.ts';
import { control } from '../helpers/control.ts';
import { ros } from '../helpers/ros.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';
import { CONFIG, fleet, heldRollout } from './scenario.ts';
import { openSse, type SseEvent } from './sse.ts';

const A = '1000000000000001';
const B = '2000000000000002';
const OTHER: Credentials = { accessKeyId: 'LTAI5tConsoleOtherKey', accessKeySecret: 'other-secret' };
const TWO_ACCOUNTS = {
  ...CONFIG,
  accounts: [
    { accountId: A, accessKeys: [{ accessKeyId: 'LTAI5tLocalRosDefaultKey', accessKeySecret: 'localros-default-secret-do-not-use-in-cloud' }] },
    { accountId: B, accessKeys: [OTHER] },
  ],
};

let server: ServerProcess;
const get = async (path: string) => {
  const res = await fetch(`${server.url}/console/api/${path}`);
  return { status: res.status, body: (await res.json()) as any };
};
const post = async (path: string, headers: Record<string, string> = { 'x-localros-console': '1' }) => {
  const res = await fetch(`${server.url}/console/api/${path}`, { method: 'POST', headers });
  return { status: res.status, body: (await res.json()) as any };
};
const statusOf = (e: SseEvent) => e.data?.operation?.Status;

before(async () => (server = await startServer({ config: TWO_ACCOUNTS })));
after(() => server.stop());

describe('console API', () => {
  it('validates like the RPC API, because it calls the same handlers', async () => {
    const bad = await get(`groups?account=${A}&region=nowhere`);
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error, { code: 'InvalidParameter', message: 'The specified parameter RegionId is invalid, nowhere is not a supported region.' });
    const stranger = await get('groups?account=999&region=cn-hangzhou');
    assert.equal(stranger.status, 400);
    assert.match(stranger.body.error.message, /account 999 is not in the configuration/);
  });

  it("gives each instance its latest operation's result, and the targets a hold fault holds", async () => {
    const scene = await fleet(server, 'fleet-api', 4);
    const { body } = await get(`groups/${scene.group}?account=${A}&region=cn-hangzhou`);
    const last = (target: string) => body.instances.find((i: { AccountId: string; RegionId: string }) => `${i.AccountId} / ${i.RegionId}` === target).LastResult;
    assert.equal(body.instances.length, 24);
    for (const target of scene.failed) assert.deepEqual({ ...last(target), OperationId: undefined }, { Action: 'CREATE', Status: 'FAILED', OperationId: undefined }, target);
    assert.deepEqual({ ...last(scene.inoperable), OperationId: undefined }, { Action: 'DELETE', Status: 'FAILED', OperationId: undefined });
    assert.deepEqual(last(scene.held[0]), { OperationId: scene.operationId, Action: 'UPDATE', Status: 'RUNNING' });
    assert.deepEqual(last('2001 / cn-beijing'), { OperationId: scene.operationId, Action: 'UPDATE', Status: 'PENDING' });
    assert.equal(last('2004 / cn-shanghai').Status, 'SUCCEEDED');
    assert.deepEqual(
      body.held.map((t: { accountId: string; regionId: string }) => `${t.accountId} / ${t.regionId}`).sort(),
      scene.held,
    );
    assert.ok(body.held.every((t: { faultId: string; operationId: string }) => t.faultId === scene.holdId && t.operationId === scene.operationId));
    await control(server.url).removeFault(scene.holdId);
    await ros(rosClient(server.endpoint)).waitStatus(scene.operationId, ['SUCCEEDED']);
    assert.deepEqual((await get(`groups/${scene.group}?account=${A}&region=cn-hangzhou`)).body.held, []);
  });

  it('scopes everything to the chosen account', async () => {
    const { group, operationId, holdId } = await heldRollout(server, 'scoped');
    const mine = await get(`groups?account=${A}&region=cn-hangzhou`);
    assert.ok(mine.body.groups.some((g: { StackGroupName: string }) => g.StackGroupName === group));
    assert.deepEqual((await get(`groups?account=${B}&region=cn-hangzhou`)).body.groups, []);
    assert.equal((await get(`groups/${group}?account=${B}&region=cn-hangzhou`)).body.error.code, 'StackGroupNotFound');
    const foreign = await get(`operations/${operationId}?account=${B}&region=cn-hangzhou`);
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.error.code, 'StackGroupOperationNotFound');
    assert.equal((await post(`operations/${operationId}/stop?account=${B}&region=cn-hangzhou`)).status, 404, 'nor can it stop it');
    await control(server.url).removeFault(holdId);
    await ros(rosClient(server.endpoint)).waitStatus(operationId, ['SUCCEEDED']);
  });

  it('streams progress: RUNNING with its counts, STOPPING after Stop, then STOPPED and the end', async () => {
    const { operationId, holdId } = await heldRollout(server, 'streamed');
    const stream = await openSse(`${server.url}/console/api/operations/${operationId}/events?region=cn-hangzhou`);
    assert.equal(stream.status, 200);
    const first = await stream.next();
    assert.equal(first?.event, 'snapshot');
    assert.equal(statusOf(first!), 'RUNNING');
    const [hangzhou, beijing] = first!.data.regions;
    assert.deepEqual(
      { ...hangzhou },
      { regionId: 'cn-hangzhou', total: 3, window: 2, tolerance: 1, pending: 1, running: 2, succeeded: 0, failed: 0, cancelled: 0, toleranceLeft: 1, state: 'running' },
    );
    assert.equal(beijing.state, 'waiting');

    assert.equal((await post(`operations/${operationId}/stop?region=cn-hangzhou`, {})).status, 403, 'a change needs the console header');
    assert.equal((await post(`operations/${operationId}/stop?region=cn-hangzhou`)).status, 200);
    const stopping = (await stream.until((e) => statusOf(e) === 'STOPPING')).at(-1)!;
    assert.equal(stopping.data.regions[1].cancelled, 3);
    assert.ok(stopping.data.seen.operation.STOPPING, 'the console records when it saw STOPPING');

    await control(server.url).removeFault(holdId);
    const rest = await stream.until((e) => e.event === 'end');
    const stopped = rest.filter((e) => e.event === 'snapshot').at(-1)!;
    assert.equal(statusOf(stopped), 'STOPPED');
    const reasons = stopped.data.targets.filter((t: { status: string }) => t.status === 'CANCELLED').map((t: { reason: string }) => t.reason);
    assert.deepEqual(reasons, Array(4).fill('User initiated stop'));
    assert.equal(await stream.next(), undefined, 'the server ends the stream of a finished operation');

    const again = await post(`operations/${operationId}/stop?region=cn-hangzhou`);
    assert.equal(again.status, 400, 'stopping a finished operation answers as the API does');
    assert.equal(again.body.error.code, 'InvalidParameter');
  });

  it('answers a finished operation with one snapshot and the end; an unknown one with a problem', async () => {
    const list = await get('operations?region=cn-hangzhou');
    const done = list.body.operations.find((o: { Status: string }) => o.Status === 'STOPPED');
    const stream = await openSse(`${server.url}/console/api/operations/${done.OperationId}/events?region=cn-hangzhou`);
    assert.deepEqual((await stream.until((e) => e.event === 'end')).map((e) => e.event), ['snapshot', 'end']);
    const unknown = await openSse(`${server.url}/console/api/operations/nope/events?region=cn-hangzhou`);
    const events = await unknown.until((e) => e.event === 'end');
    assert.deepEqual(events[0], { event: 'problem', data: { code: 'StackGroupOperationNotFound', message: 'The StackGroupOperation (nope) could not be found.' } });
  });

  it('lists operations newest first across the groups of the region', async () => {
    const { body } = await get('operations?region=cn-hangzhou');
    const times = body.operations.map((o: { CreateTime: string }) => o.CreateTime);
    assert.deepEqual(times, [...times].sort().reverse());
    assert.deepEqual(new Set(body.operations.map((o: { StackGroupName: string }) => o.StackGroupName)), new Set(['fleet-api', 'scoped', 'streamed']));
  });
});

describe('console shutdown', () => {
  it('ends open streams so that the server stops promptly', async () => {
    const own = await startServer({ config: CONFIG });
    const { operationId } = await heldRollout(own, 'held-at-exit');
    const stream = await openSse(`${own.url}/console/api/operations/${operationId}/events?region=cn-hangzhou`);
    await stream.next();
    await own.stop();
    const events = await stream.until((e) => e.event === 'end');
    assert.equal(events[0].event, 'problem');
    assert.equal(events[0].data.code, 'ServerClosing');
  });
});
