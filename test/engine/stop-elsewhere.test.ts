// A Stop answered by another replica than the one running the operation (src/engine/runner.ts
// `stoppedElsewhere`), both replicas in the test's process on one PostgreSQL database, so that
// `npm run mutate` can run it for every mutant of the runner; test/sdk/replicas.test.ts covers
// the same with server processes. Skipped (one line) only where no PostgreSQL is reachable,
// which CI rules out (.ci/run).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, dropTestDatabase, postgresReachable } from '../helpers/pg-store.ts';
import { startEngine, type EngineHarness } from './harness.ts';

const reachable = await postgresReachable();
if (!reachable && process.env.LOCALROS_REQUIRE_POSTGRES) throw new Error('LOCALROS_REQUIRE_POSTGRES is set but no PostgreSQL is reachable (LOCALROS_TEST_PG_URL)');
if (!reachable) console.log('# stop elsewhere: skipped, no PostgreSQL reachable (LOCALROS_TEST_PG_URL)');

const key = (t: { accountId?: string; regionId?: string }) => `${t.accountId}/${t.regionId}`;

describe('a Stop answered by another in-process replica on PostgreSQL', { skip: !reachable }, () => {
  let database: string;
  let a: EngineHarness;
  let b: EngineHarness;
  before(async () => {
    database = await createTestDatabase();
    a = await startEngine({ config: { database } });
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await dropTestDatabase(database);
  });

  it('starts no target after the answer: the held ones finish, every other is cancelled', async () => {
    await a.api.createGroup('stop-far');
    // Faults are global: whichever replica runs a target holds it.
    const hold = await a.ctl.addFault({ match: { stackGroupName: 'stop-far' }, effect: 'hold' });
    b = await startEngine({ config: { database } });
    const accounts = Array.from({ length: 5 }, (_, i) => String(5500 + i));
    const op = await a.api.createInstances('stop-far', accounts, ['cn-beijing', 'cn-shanghai'], { operationPreferences: { MaxConcurrentCount: 2, RegionConcurrencyType: 'PARALLEL' } });
    const held = await a.ctl.waitHeld(hold, 4);
    assert.equal((await b.api.stop(op)).statusCode, 200);
    assert.equal((await b.api.operation(op)).status, 'STOPPING');
    await b.ctl.removeFault(hold);
    assert.equal((await b.api.waitStatus(op, ['STOPPED', 'SUCCEEDED', 'FAILED'], 30_000)).status, 'STOPPED');
    const results = await a.api.results(op);
    const ran = results.filter((r) => r.status !== 'CANCELLED');
    assert.deepEqual(ran.map(key).sort(), held.map(key).sort());
    assert.ok(ran.every((r) => r.status === 'SUCCEEDED'), JSON.stringify(ran));
    assert.equal(results.length, 10);
  });
});
