// The outbox's timer waits for its next due attempt, and none once the outbox is empty: a timer
// for "the earliest of no notifications" (Infinity), or one set to a time rather than a delay,
// does not fit Node's timers, which answer with a TimeoutOverflowWarning on the server's stderr
// and fire every millisecond instead.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { $ROS } from '../helpers/clients.ts';
import { control, waitFor } from '../helpers/control.ts';
import { REGION } from '../helpers/ros.ts';
import { startEngine, type EngineHarness } from './harness.ts';
import { serveHttp, type HttpFixture } from '../helpers/http-fixture.ts';

const TEMPLATE = JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' } } } });

let hook: HttpFixture;
let h: EngineHarness;
const warnings: string[] = [];
const onWarning = (w: Error) => warnings.push(w.name);
before(async () => {
  process.on('warning', onWarning);
  hook = await serveHttp((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(req.url === '/refuse' ? 503 : 200).end());
  });
  h = await startEngine();
});
after(async () => {
  process.off('warning', onWarning);
  await h.stop();
  await hook.close();
});

it('sets no timer once the outbox is empty', async () => {
  await h.api.client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: 'idle', templateBody: TEMPLATE, notificationURLs: [`${hook.url}/a`] }));
  const outbox = () => control(h.url).notifications();
  await waitFor(outbox, (l) => l.length === 4 && l.every((n) => n.status === 'DELIVERED'));
  // The outbox looks for more right after its last delivery; a few round trips later it is idle.
  for (let i = 0; i < 3; i++) await outbox();
  assert.deepEqual(warnings.filter((w) => w === 'TimeoutOverflowWarning'), []);
});

it('sets a timer of the retry delay for a refused notification', async () => {
  await h.api.client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: 'refused', templateBody: TEMPLATE, notificationURLs: [`${hook.url}/refuse`] }));
  const outbox = () => control(h.url).notifications();
  await waitFor(outbox, (l) => l.some((n) => n.url.endsWith('/refuse') && n.attempts === 1));
  for (let i = 0; i < 3; i++) await outbox();
  assert.deepEqual(warnings.filter((w) => w === 'TimeoutOverflowWarning'), []);
});
