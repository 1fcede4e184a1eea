// NotificationURLs delivery (src/engine/notifications.ts) on the fake clock: a stack's events are
// POSTed in order to each http(s) URL; a refused POST is retried after 0.2 s of clock time,
// doubling up to 30 s.
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

// Answers `status()` to every POST and records what it got.
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
      res.writeHead(answer).end();
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

it('records an unreachable URL as an error and retries it', async () => {
  await create('unreachable', ['http://127.0.0.1:1/nothing-listens']);
  const list = await waitFor(outbox, (l) => l.some((n) => n.url.endsWith('/nothing-listens') && n.attempts >= 1));
  const head = list.find((n) => n.url.endsWith('/nothing-listens') && n.attempts >= 1)!;
  assert.equal(head.status, 'PENDING');
  assert.ok(head.lastError && head.lastError.length > 0);
});
