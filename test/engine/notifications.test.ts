// NotificationURLs delivery (src/engine/notifications.ts, stack-operations.ts) on the fake clock:
// a stack's events are POSTed in order to each http(s) URL, each as ListStackEvents shows it;
// redirects are followed; a refused POST is retried after 0.2 s of clock time, doubling up to
// 30 s, and given up after 10 attempts while the URL's next notifications still go; a POST left
// unanswered times out. A new stack's notifications wake the outbox, so each retry is made as
// soon as the clock has passed it, without waiting for the outbox's real-time timer.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { $ROS } from '../helpers/clients.ts';
import { control, waitFor, type NotificationView } from '../helpers/control.ts';
import { REGION } from '../helpers/ros.ts';
import { retryDelayMs } from '../../src/engine/notifications.ts';
import { startEngine, type EngineHarness } from './harness.ts';
import { serveHttp, type HttpFixture } from '../helpers/http-fixture.ts';

const TEMPLATE = JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' } } } });

interface Received {
  path: string;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

// Records every POST. /refuse answers 503, /moved redirects to /landed, /hang never answers,
// anything else `answer`.
let hook: HttpFixture;
let hookUrl: string;
const received: Received[] = [];
let answer = 200;
let h: EngineHarness;
before(async () => {
  hook = await serveHttp((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url!, contentType: req.headers['content-type'], body: JSON.parse(body) as Record<string, unknown> });
      if (req.url === '/hang') return;
      if (req.url === '/refuse') res.writeHead(503).end();
      else if (req.url === '/moved') res.writeHead(307, { location: '/landed' }).end();
      else res.writeHead(answer).end();
    });
  });
  hookUrl = hook.url;
  h = await startEngine();
});
after(async () => {
  await h.stop();
  await hook.close();
});

const outbox = (): Promise<NotificationView[]> => control(h.url).notifications();
async function create(name: string, urls: string[]): Promise<string> {
  return (await h.api.client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: name, templateBody: TEMPLATE, notificationURLs: urls }))).body!.stackId!;
}

it('POSTs each event of the stack as JSON, in order, to every http(s) URL; other URLs get nothing', async () => {
  received.length = 0;
  answer = 200;
  const stackId = await create('notified', [`${hookUrl}/a`, `${hookUrl}/b`, 'mailto:ops@example.com', `ftp://example.com/${hookUrl}`]);
  await waitFor(async () => received.length, (n) => n >= 8);
  const list = await waitFor(outbox, (l) => l.length === 8 && l.every((n) => n.status === 'DELIVERED'));
  for (const path of ['/a', '/b']) {
    const got = received.filter((r) => r.path === path);
    assert.deepEqual(got.map((r) => `${r.body.LogicalResourceId} ${r.body.Status}`), ['notified CREATE_IN_PROGRESS', 'Vpc CREATE_IN_PROGRESS', 'Vpc CREATE_COMPLETE', 'notified CREATE_COMPLETE']);
    assert.ok(got.every((r) => r.contentType === 'application/json'));
  }
  const first = received.find((r) => r.path === '/a')!.body;
  assert.equal(first.StackId, stackId);
  assert.equal(first.StackName, 'notified');
  assert.equal(first.RegionId, REGION);
  assert.equal(first.AccountId, h.server.services.config.accounts[0].accountId);
  assert.equal(first.ResourceType, 'ALIYUN::ROS::Stack');
  assert.match(String(first.EventId), /^[0-9a-f-]{36}$/);
  assert.match(String(first.CreateTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  // The same event has the same id at both URLs, and each event its own.
  assert.equal(new Set(received.map((r) => r.body.EventId)).size, 4);
  assert.ok(list.every((n) => n.attempts === 1 && n.deliveredTime && n.nextAttemptTime === undefined && n.lastError === undefined));
  assert.ok(list.every((n) => n.url.startsWith(hookUrl)), 'only http(s) URLs are notified');
});

it('retries a refused POST after 0.2 s of clock time, doubling, and not before; the later events wait', async () => {
  received.length = 0;
  answer = 503;
  await create('refused', [`${hookUrl}/r`]);
  const heads = async () => (await outbox()).filter((n) => n.url === `${hookUrl}/r`);
  let delay = 200;
  // The retry timer waits its delay in real time too: two retries keep this test short.
  for (let attempts = 1; attempts <= 2; attempts++) {
    const list = await waitFor(heads, (l) => l.some((n) => n.attempts === attempts));
    const head = list.find((n) => n.attempts === attempts)!;
    assert.equal(head.lastError, 'HTTP 503');
    assert.equal(head.status, 'PENDING');
    assert.equal(head.nextAttemptTime!, new Date(h.clock.now() + delay).toISOString().slice(0, 19));
    // Only the first event is tried: the others keep their turn.
    assert.equal(received.length, attempts);
    assert.ok(list.filter((n) => n !== head).every((n) => n.attempts === 0));
    h.clock.advance(delay - 1);
    // Not due yet: a real wait of a few timer turns delivers nothing more.
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(received.length, attempts);
    h.clock.advance(1);
    delay *= 2;
  }
  answer = 200;
  const done = await waitFor(heads, (l) => l.length === 4 && l.every((n) => n.status === 'DELIVERED'));
  assert.equal(Math.max(...done.map((n) => n.attempts)), 3);
  assert.deepEqual(received.slice(-4).map((r) => `${r.body.LogicalResourceId} ${r.body.Status}`), ['refused CREATE_IN_PROGRESS', 'Vpc CREATE_IN_PROGRESS', 'Vpc CREATE_COMPLETE', 'refused CREATE_COMPLETE']);
});

it('waits 0.2 s after the first failure, doubling, capped at 30 s', () => {
  assert.deepEqual([1, 2, 3, 8, 9, 10, 50].map(retryDelayMs), [200, 400, 800, 25_600, 30_000, 30_000, 30_000]);
});

it('records an unreachable URL as the error fetch gives (not as a time-out) and retries it', async () => {
  await create('unreachable', ['http://127.0.0.1:1/nothing-listens']);
  const list = await waitFor(outbox, (l) => l.some((n) => n.url.endsWith('/nothing-listens') && n.attempts >= 1));
  const head = list.find((n) => n.url.endsWith('/nothing-listens') && n.attempts >= 1)!;
  assert.equal(head.status, 'PENDING');
  // Node's fetch rejects a refused connection with this message (the cause holds ECONNREFUSED).
  assert.equal(head.lastError, 'fetch failed');
});

it('notifies each event as ListStackEvents shows it, following a redirect', async () => {
  const stackId = await create('redirected', [`${hookUrl}/moved`]);
  const landed = await waitFor(async () => received.filter((r) => r.body.StackId === stackId && r.path === '/landed'), (l) => l.length === 4);
  const events = (await h.api.client.listStackEvents(new $ROS.ListStackEventsRequest({ regionId: REGION, stackId, pageSize: 50 }))).body!.events!;
  const shown = events.map((e) => ({
    EventId: e.eventId,
    StackId: stackId,
    StackName: 'redirected',
    RegionId: REGION,
    AccountId: h.server.services.config.accounts[0].accountId,
    LogicalResourceId: e.logicalResourceId,
    ...(e.physicalResourceId ? { PhysicalResourceId: e.physicalResourceId } : {}),
    ResourceType: e.resourceType,
    Status: e.status,
    ...(e.statusReason ? { StatusReason: e.statusReason } : {}),
    CreateTime: e.createTime,
  }));
  const byId = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.EventId).localeCompare(String(b.EventId));
  assert.deepEqual(landed.map((r) => r.body).sort(byId), shown.sort(byId));
  assert.ok(landed.some((r) => typeof r.body.PhysicalResourceId === 'string' && typeof r.body.StatusReason === 'string'), 'a resource event has its physical id and reason');
  const list = await waitFor(outbox, (l) => l.filter((n) => n.stackId === stackId).every((n) => n.status === 'DELIVERED'));
  assert.ok(list.filter((n) => n.stackId === stackId).every((n) => n.attempts === 1));
});

it('gives a notification up after 10 refused attempts, then delivers the next ones of its URL', async () => {
  const url = `${hookUrl}/refuse`;
  const stackId = await create('refused-ten', [url]);
  // Undefined until the stack's create has written its events.
  const head = async () => (await outbox()).filter((n) => n.stackId === stackId).sort((a, b) => a.id - b.id)[0];
  for (let attempts = 1; attempts < 10; attempts++) {
    const n = (await waitFor(head, (x) => x?.attempts === attempts))!;
    assert.equal(n.status, 'PENDING');
    assert.equal(n.lastError, 'HTTP 503');
    h.clock.advance(retryDelayMs(attempts));
    // Wakes the outbox: the refused notification is due again.
    await create(`kick-${attempts}`, [`${hookUrl}/ok`]);
  }
  const given = (await waitFor(head, (x) => x !== undefined && x.status !== 'PENDING'))!;
  assert.equal(given.status, 'FAILED');
  assert.equal(given.attempts, 10);
  assert.equal(given.lastError, 'HTTP 503');
  assert.equal(given.nextAttemptTime, undefined);
  assert.equal(received.filter((r) => r.path === '/refuse' && r.body.EventId === given.body.EventId).length, 10);
  // The URL's next notification has its turn.
  const next = await waitFor(outbox, (l) => l.some((n) => n.stackId === stackId && n.id !== given.id && n.attempts >= 1));
  assert.ok(next.filter((n) => n.stackId === stackId && n.id !== given.id).every((n) => n.id > given.id));
});

// AbortSignal.timeout is on the timers' clock, not the engine's: this one waits 5 s of real time.
it('records a POST left unanswered as timed out, and retries it', async () => {
  const stackId = await create('hung', [`${hookUrl}/hang`]);
  const head = await waitFor(
    async () => (await outbox()).filter((n) => n.stackId === stackId).sort((a, b) => a.id - b.id)[0],
    (n) => n !== undefined && n.attempts === 1,
  );
  assert.equal(head!.status, 'PENDING');
  assert.equal(head!.lastError, 'timed out');
});
