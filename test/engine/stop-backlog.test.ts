// A stop is written down after its answer (issue 17): the engine writes the unstarted targets'
// results and instances in the background, exactly as every read showed them from the answer
// on, and leaves no backlog behind.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { waitFor } from '../helpers/control.ts';
import { SETTLE_CHUNK } from '../../src/engine/stop-backlog.ts';
import { startEngine, type EngineHarness } from './harness.ts';

const STEP = 1_000;
const ACCOUNTS = Array.from({ length: 300 }, (_, i) => String(5000 + i));
const REGIONS = ['cn-beijing', 'cn-shanghai'];
let h: EngineHarness;
before(async () => (h = await startEngine({ config: { simulation: { stackOperationMs: STEP }, limits: { accountsPerCall: ACCOUNTS.length } } })));
after(() => h.stop());

const key = (r: { accountId?: string; regionId?: string }) => `${r.accountId}/${r.regionId}`;
// One target in flight per region when the stops below come.
const inFlightCount = REGIONS.length;

it('writes a stop down in the background, as the reads showed it', async () => {
  await h.api.createGroup('backlog');
  // 600 targets, more than two chunks of the writing; one in flight per region.
  const op = await h.api.createInstances('backlog', ACCOUNTS, REGIONS, { operationPreferences: { MaxConcurrentCount: 1, RegionConcurrencyType: 'PARALLEL' } });
  await h.clock.waitSleeping(2);
  await h.api.stop(op);
  const inFlight = new Set(REGIONS.map((r) => `${ACCOUNTS[0]}/${r}`));
  const shown = new Map((await h.api.results(op)).map((r) => [key(r), `${r.status}:${r.statusReason ?? ''}`]));
  const shownInstances = new Map((await h.api.instances('backlog')).map((i) => [key(i), `${i.status}:${i.statusReason ?? ''}`]));
  h.clock.advance(STEP);
  assert.equal((await h.api.waitStatus(op, ['STOPPED', 'SUCCEEDED', 'FAILED'])).status, 'STOPPED');

  const { db } = h.server.services;
  await waitFor(() => db.all(`SELECT operation_id FROM stop_backlog`), (rows) => rows.length === 0);
  const stored = await db.all<{ account_id: string; region_id: string; status: string; status_reason: string | null }>(
    `SELECT account_id, region_id, status, status_reason FROM operation_results WHERE operation_id = @op`,
    { op },
  );
  const instances = await db.all<{ account_id: string; region_id: string; status: string; status_reason: string | null }>(
    `SELECT account_id, region_id, status, status_reason FROM stack_instances WHERE group_id = (SELECT group_id FROM operations WHERE id = @op)`,
    { op },
  );
  assert.equal(stored.length, 600);
  for (const r of stored) {
    const k = `${r.account_id}/${r.region_id}`;
    if (inFlight.has(k)) assert.equal(r.status, 'SUCCEEDED');
    else assert.equal(`${r.status}:${r.status_reason ?? ''}`, shown.get(k), k);
  }
  for (const i of instances) {
    const k = `${i.account_id}/${i.region_id}`;
    if (inFlight.has(k)) assert.equal(i.status, 'CURRENT');
    else assert.equal(`${i.status}:${i.status_reason ?? ''}`, shownInstances.get(k), k);
  }
  assert.ok([...shown.values()].filter((s) => s === 'CANCELLED:User initiated stop').length === 598);
});

it(`writes a stop down ${SETTLE_CHUNK} results per transaction, and what is left before the group's next operation`, async () => {
  await h.api.createGroup('chunks');
  const op = await h.api.createInstances('chunks', ACCOUNTS, REGIONS, { operationPreferences: { MaxConcurrentCount: 1, RegionConcurrencyType: 'PARALLEL' } });
  await h.clock.waitSleeping(2);
  await h.api.stop(op);
  // The writing starts once the targets in flight have ended; its second chunk is refused.
  let refused = false;
  void h.refuseOnce(/^UPDATE stop_backlog SET next_seq/, 1).then(() => (refused = true));
  h.clock.advance(STEP);
  assert.equal((await h.api.waitStatus(op, ['STOPPED', 'SUCCEEDED', 'FAILED'])).status, 'STOPPED');
  const { db } = h.server.services;
  const backlog = () => db.all<{ next_seq: number }>(`SELECT next_seq FROM stop_backlog WHERE operation_id = @op`, { op });
  await waitFor(async () => refused || (await backlog()).length === 0, (done) => done);
  assert.ok(refused, 'the writing took more than one transaction');
  assert.deepEqual(await backlog(), [{ next_seq: SETTLE_CHUNK }], 'the first chunk was written, the refused one was not');
  const cancelled = async () => (await db.all<{ seq: number }>(`SELECT seq FROM operation_results WHERE operation_id = @op AND status = 'CANCELLED'`, { op })).map((r) => r.seq);
  const first = await cancelled();
  assert.ok(first.every((seq) => seq < SETTLE_CHUNK), 'nothing past the first chunk');
  assert.ok(first.length >= SETTLE_CHUNK - inFlightCount, `the first chunk whole: ${first.length}`);

  // Accepting the group's next operation writes the rest first.
  const next = await h.api.createInstances('chunks', ['4999'], ['cn-beijing']);
  assert.deepEqual(await backlog(), []);
  assert.equal((await cancelled()).length, ACCOUNTS.length * REGIONS.length - inFlightCount);
  await h.clock.waitSleeping(1);
  h.clock.advance(STEP);
  assert.equal((await h.api.waitStatus(next, ['STOPPED', 'SUCCEEDED', 'FAILED'])).status, 'SUCCEEDED');
});
