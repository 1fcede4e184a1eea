// NotificationURLs (issue 12): a local webhook receiver gets a stack's events in order, from the
// durable outbox, also when the server is killed mid-delivery and restarted.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { $ROS, rosClient } from '../helpers/clients.ts';
import { waitFor } from '../helpers/control.ts';
import { REGION } from '../helpers/ros.ts';
import { startServer } from '../helpers/server-process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'localros-notify-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const TEMPLATE = JSON.stringify({
  ROSTemplateFormatVersion: '2015-09-01',
  Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC' }, VSwitch: { Type: 'ALIYUN::ECS::VSwitch', Properties: { VpcId: { Ref: 'Vpc' }, ZoneId: 'cn-hangzhou-h', CidrBlock: '10.0.0.0/24' } } },
});

interface Received {
  StackName: string;
  LogicalResourceId: string;
  Status: string;
  EventId: string;
}

// Answers 503 while `accepting` is false; records what it accepted.
async function receiver(): Promise<{ url: string; received: Received[]; refused: () => number; accept: (on: boolean) => void; close: () => Promise<void> }> {
  const received: Received[] = [];
  let accepting = false;
  let refused = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (!accepting) {
        refused++;
        res.writeHead(503).end();
        return;
      }
      received.push(JSON.parse(body) as Received);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    refused: () => refused,
    accept: (on) => (accepting = on),
    close: () => new Promise((r) => server.close(() => r())),
  };
}

it('POSTs every event of the stack in order, retrying, and carries on after a SIGKILL', async () => {
  const hook = await receiver();
  let server = await startServer({ dataDir, config: { simulation: { stackOperationMs: 0 } } });
  try {
    const client = rosClient(server.endpoint);
    const stackId = (await client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: 'notified', templateBody: TEMPLATE, notificationURLs: [hook.url] })))
      .body!.stackId!;
    await waitFor(async () => (await client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!.status, (s) => s === 'CREATE_COMPLETE');
    // The receiver refuses: the first notification is retried, the others wait their turn.
    await waitFor(async () => hook.refused(), (n) => n >= 2);
    const outbox = async (url: string) => ((await (await fetch(`${url}/_localros/notifications`)).json()) as { notifications: { status: string; attempts: number; lastError?: string }[] }).notifications;
    const pending = await outbox(server.url);
    assert.equal(pending.length, 6);
    assert.ok(pending.every((n) => n.status === 'PENDING'));
    assert.equal(pending.at(-1)!.lastError, 'HTTP 503');
    await server.kill9();

    server = await startServer({ dataDir, config: { simulation: { stackOperationMs: 0 } } });
    hook.accept(true);
    await waitFor(async () => hook.received.length, (n) => n >= 6);
    assert.deepEqual(
      hook.received.map((e) => `${e.LogicalResourceId} ${e.Status}`),
      ['notified CREATE_IN_PROGRESS', 'Vpc CREATE_IN_PROGRESS', 'Vpc CREATE_COMPLETE', 'VSwitch CREATE_IN_PROGRESS', 'VSwitch CREATE_COMPLETE', 'notified CREATE_COMPLETE'],
    );
    assert.equal(new Set(hook.received.map((e) => e.EventId)).size, 6);
    const delivered = await waitFor(() => outbox(server.url), (list) => list.every((n) => n.status === 'DELIVERED'));
    assert.ok(delivered[delivered.length - 1]!.attempts >= 2);
  } finally {
    await server.stop();
    await hook.close();
  }
});
