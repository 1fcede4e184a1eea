// NotificationURLs (src/engine/notifications.ts, stack-operations.ts) on the fake clock, beyond
// test/engine/notifications.test.ts: a notification is the stack's event as ListStackEvents shows
// it, redirects are followed, and a URL that keeps refusing is given up after 10 attempts while
// its next notifications still go; a POST left unanswered times out. A new stack's notifications wake the outbox, so each retry is
// made as soon as the clock has passed it, without waiting for the outbox's real-time timer.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { $ROS } from '../helpers/clients.ts';
import { control, waitFor, type NotificationView } from '../helpers/control.ts';
import { REGION } from '../helpers/ros.ts';
import { retryDelayMs } from '../../src/engine/notifications.ts';
import { startEngine, type EngineHarness } from './harness.ts';
import { serveHttp, type HttpFixture } from '../helpers/http-fixture.ts';

const TEMPLATE = JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' } } } });


// /refuse answers 503, /moved redirects to /landed, /hang never answers, anything else 200.
let hook: HttpFixture;
let hookUrl: string;
const received: { path: string; body: Record<string, unknown> }[] = [];
let h: EngineHarness;
before(async () => {
  hook = await serveHttp((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url!, body: JSON.parse(body) as Record<string, unknown> });
      if (req.url === '/hang') return;
      if (req.url === '/refuse') res.writeHead(503).end();
      else if (req.url === '/moved') res.writeHead(307, { location: '/landed' }).end();
      else res.writeHead(200).end();
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
