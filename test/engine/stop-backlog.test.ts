// A stop is written down after its answer (issue 17): the engine writes the unstarted targets'
// results and instances in the background, exactly as every read showed them from the answer
// on, and leaves no backlog behind.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { waitFor } from '../helpers/control.ts';
import { startEngine, type EngineHarness } from './harness.ts';

const STEP = 1_000;
const ACCOUNTS = Array.from({ length: 300 }, (_, i) => String(5000 + i));
const REGIONS = ['cn-beijing', 'cn-shanghai'];
let h: EngineHarness;
before(async () => (h = await startEngine({ config: { simulation: { stackOperationMs: STEP }, limits: { accountsPerCall: ACCOUNTS.length } } })));
after(() => h.stop());

const key = (r: { accountId?: string; regionId?: string }) => `${r.accountId}/${r.regionId}`;

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
