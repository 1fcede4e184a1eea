// A standalone stack's operation is owned by a lease, like a stack group's (engine/leases.ts):
// the replica that runs it renews that lease as its clock moves, so another replica whose clock
// passes the first expiry takes nothing over. Two engine-tier servers on one fresh PostgreSQL
// database, each on its own fake clock (as test/engine/replicas-in-process.test.ts).
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { $ROS } from '../helpers/clients.ts';
import { waitFor } from '../helpers/control.ts';
import { REGION } from '../helpers/ros.ts';
import { createTestDatabase, dropTestDatabase } from '../helpers/pg-store.ts';
import { FakeClock, startEngine, type EngineHarness } from './harness.ts';

// The smallest lease the configuration takes: renewals run every 100 ms of real time.
const LEASE_MS = 300;
const STEP = 1_000;

let database: string;
const started: EngineHarness[] = [];
before(async () => {
  database = await createTestDatabase();
  const t0 = Date.now();
  for (let i = 0; i < 2; i++) started.push(await startEngine({ clock: new FakeClock(t0), config: { database, leaseTimeoutMs: LEASE_MS, simulation: { stackOperationMs: STEP } } }));
  await waitFor(() => started[0].ctl.replica(), (r) => r.replicas.length === 2);
});
after(async () => {
  await Promise.all(started.map((h) => h.stop()));
  await dropTestDatabase(database);
});

it("renews a standalone stack's operation lease as the runner's clock moves: the other replica takes nothing over", async () => {
  const [a, b] = started;
  const templateBody = JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' } } } });
  const stackId = (await a.api.client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: 'renewed', templateBody }))).body!.stackId!;
  await waitFor(async () => a.clock.sleeping + b.clock.sleeping, (n) => n === 1);
  const [runner, other] = a.clock.sleeping ? [a, b] : [b, a];
  const expiry = async () =>
    Number((await runner.server.services.db.all<{ expires_ms: number | string }>(`SELECT expires_ms FROM operation_leases WHERE operation_id = @id`, { id: `stack:${stackId}` }))[0]?.expires_ms);
  // Both clocks move well past the lease's first expiry, in steps shorter than the lease; the
  // runner renews it after each.
  for (let step = 0; step < 3; step++) {
    runner.clock.advance(LEASE_MS / 2);
    other.clock.advance(LEASE_MS / 2);
    await waitFor(expiry, (ms) => ms >= runner.clock.now() + LEASE_MS);
  }
  // The other replica's sweeps found no orphan: it runs nothing; the runner ends the operation.
  assert.equal(other.clock.sleeping, 0);
  runner.clock.advance(STEP);
  const getStack = async () => (await other.api.client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!;
  assert.equal((await waitFor(getStack, (s) => !s.status!.endsWith('_IN_PROGRESS'))).status, 'CREATE_COMPLETE');
});
