// Several replicas share one NotificationURL outbox (src/engine/notifications.ts): each attempt
// is claimed for longer than its POST may take, so that another replica's outbox never takes a
// notification whose POST is still in flight and delivers it twice. Two outboxes on one
// database and one fake clock stand for two replicas.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, it } from 'node:test';
import { rosTime } from '../../src/engine/clock.ts';
import { NotificationOutbox, notificationView } from '../../src/engine/notifications.ts';
import { createLogger } from '../../src/log.ts';
import type { Db } from '../../src/store/db.ts';
import { stackNotifications } from '../../src/store/repos/stack-notifications.ts';
import { openSqlite } from '../../src/store/sqlite.ts';
import { waitFor } from '../helpers/control.ts';
import { serveHttp, type HttpFixture } from '../helpers/http-fixture.ts';
import { FakeClock } from './harness.ts';

// A POST's own timeout in notifications.ts: a claim must outlast it.
const POST_TIMEOUT_MS = 5_000;

// /held is answered only when the test says so; anything else at once.
let hook: HttpFixture;
const arrived: string[] = [];
const held: ServerResponse[] = [];
before(async () => {
  hook = await serveHttp((req, res) => {
    req.resume();
    req.on('end', () => {
      arrived.push(req.url!);
      if (req.url === '/held') held.push(res);
      else res.writeHead(200).end();
    });
  });
});
after(() => hook.close());

async function enqueue(db: Db, clock: FakeClock, path: string): Promise<void> {
  await db.transaction((tx) => stackNotifications.enqueue(tx, [{ stackId: 'stack-1', url: `${hook.url}${path}`, body: '{}', nowMs: clock.now(), time: rosTime(clock.now()) }]));
}

const statusOf = async (db: Db, path: string) => (await notificationView(db)).find((n) => n.url === `${hook.url}${path}`);

it("leaves a notification whose POST is in flight to its replica: another replica's outbox neither takes nor repeats it", async () => {
  const db = openSqlite({ dataDir: '', inMemory: true });
  const clock = new FakeClock();
  const log = createLogger('silent');
  const replicaA = new NotificationOutbox(db, clock, log);
  const replicaB = new NotificationOutbox(db, clock, log);
  try {
    await enqueue(db, clock, '/held');
    replicaA.kick();
    await waitFor(async () => held.length, (n) => n === 1);
    // In flight: its next attempt is not due before the POST could have timed out.
    const claimed = await statusOf(db, '/held');
    assert.equal(claimed?.status, 'PENDING');
    assert.ok(Date.parse(`${String(claimed.nextAttemptTime)}Z`) >= clock.now() + POST_TIMEOUT_MS, `next attempt ${String(claimed.nextAttemptTime)} while its POST is in flight`);

    // A second after, the other replica's outbox runs: it delivers what is due (/ok), and its
    // pass, which would POST /held first if it took it, ends without taking /held.
    clock.advance(1_000);
    await enqueue(db, clock, '/ok');
    replicaB.kick();
    await waitFor(() => statusOf(db, '/ok'), (n) => n?.status === 'DELIVERED');
    assert.deepEqual(arrived, ['/held', '/ok']);

    held.shift()!.writeHead(200).end();
    const delivered = await waitFor(() => statusOf(db, '/held'), (n) => n?.status === 'DELIVERED');
    assert.equal(delivered?.attempts, 1);
    assert.deepEqual(arrived, ['/held', '/ok']);
  } finally {
    replicaA.close();
    replicaB.close();
    for (const res of held.splice(0)) res.destroy();
    await db.close();
  }
});
