// Wait conditions' real waiting in the test's process (src/engine/stack-operations.ts): the
// deadline on the engine's clock, several signals, what the stack shows while it waits (written
// again at each signal, never twice), cancel and restart in the middle of a wait.
// test/sdk/wait-conditions.test.ts covers the same against a spawned server, too slowly to run
// for every mutant.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { $ROS } from '../helpers/clients.ts';
import { waitFor } from '../helpers/control.ts';
import { REGION } from '../helpers/ros.ts';
import { startEngine, type EngineHarness } from './harness.ts';

const template = (wait: Record<string, unknown>) =>
  JSON.stringify({
    ROSTemplateFormatVersion: '2015-09-01',
    Resources: {
      Handle: { Type: 'ALIYUN::ROS::WaitConditionHandle' },
      Wait: { Type: 'ALIYUN::ROS::WaitCondition', Properties: { Handle: { Ref: 'Handle' }, Timeout: 600, ...wait } },
      Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' }, DependsOn: 'Wait' },
    },
    Outputs: { Data: { Value: { 'Fn::GetAtt': ['Wait', 'Data'] } } },
  });

let h: EngineHarness;
before(async () => (h = await startEngine({ persistent: true })));
after(() => h.stop());

const getStack = async (stackId: string) => (await h.api.client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!;
const settled = (stackId: string) => waitFor(() => getStack(stackId), (s) => !s.status!.endsWith('_IN_PROGRESS'));
const resource = (stackId: string, logicalResourceId: string) =>
  h.api.client.getStackResource(new $ROS.GetStackResourceRequest({ regionId: REGION, stackId, logicalResourceId, showResourceAttributes: true })).then((r) => r.body!);
const events = async (stackId: string) =>
  (await h.api.client.listStackEvents(new $ROS.ListStackEventsRequest({ regionId: REGION, stackId, pageSize: 50 }))).body!.events!.map((e) => `${e.logicalResourceId} ${e.status}`).sort();

async function create(name: string, wait: Record<string, unknown> = {}): Promise<string> {
  return (await h.api.client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: name, templateBody: template(wait) }))).body!.stackId!;
}

// Once the stack waits (its handle created, the wait condition in progress): the handle's signal
// query, to post to whichever server runs now.
async function waiting(stackId: string): Promise<string> {
  const handle = await waitFor(() => resource(stackId, 'Handle').catch(() => undefined), (r) => r?.status === 'CREATE_COMPLETE');
  const url = (handle!.resourceAttributes as { Key: string; Value: unknown }[]).find((a) => a.Key === 'URL')!.Value as string;
  assert.equal((await resource(stackId, 'Wait')).status, 'CREATE_IN_PROGRESS');
  return new URL(url).search;
}

async function signal(query: string, body: Record<string, string>): Promise<void> {
  const res = await fetch(`${h.url}/waitcondition${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 200);
}

// The wait looks at its deadline on the engine's clock at least every second of real time, so
// a deadline passed on the fake clock ends it within a second, not after the 30 s it was set for
// (which would outlast `settled`).
it('fails the wait condition once its Timeout has passed on the clock', async () => {
  const stackId = await create('wait-timeout', { Timeout: 30 });
  await waiting(stackId);
  h.clock.advance(30_000);
  const done = await settled(stackId);
  assert.equal(done.status, 'CREATE_ROLLBACK_COMPLETE');
  assert.match(done.statusReason ?? '', /WaitConditionTimeout: 0 of 1 received/);
});

it('waits for Count signals; what it shows while waiting is replaced, not repeated, at each signal and at the end', async () => {
  const stackId = await create('wait-count', { Count: 2 });
  const query = await waiting(stackId);
  const shown = await events(stackId);
  assert.deepEqual(shown, ['Handle CREATE_COMPLETE', 'Handle CREATE_IN_PROGRESS', 'Wait CREATE_IN_PROGRESS', 'wait-count CREATE_IN_PROGRESS']);
  await signal(query, { status: 'SUCCESS', id: 'a', data: 'one' });
  // The first signal is not enough: the stack is simulated again and waits on.
  assert.equal((await getStack(stackId)).status, 'CREATE_IN_PROGRESS');
  assert.deepEqual(await events(stackId), shown);
  await signal(query, { status: 'SUCCESS', id: 'b', data: 'two' });
  const done = await settled(stackId);
  assert.equal(done.status, 'CREATE_COMPLETE', done.statusReason);
  assert.deepEqual(Object.fromEntries(done.outputs!.map((o) => [o.OutputKey, o.OutputValue])), { Data: { a: 'one', b: 'two' } });
  assert.deepEqual(await events(stackId), [
    'Handle CREATE_COMPLETE',
    'Handle CREATE_IN_PROGRESS',
    'Vpc CREATE_COMPLETE',
    'Vpc CREATE_IN_PROGRESS',
    'Wait CREATE_COMPLETE',
    'Wait CREATE_IN_PROGRESS',
    'wait-count CREATE_COMPLETE',
    'wait-count CREATE_IN_PROGRESS',
  ]);
  // A signal when the stack no longer waits is taken, and wakes nothing.
  await signal(query, { status: 'SUCCESS', id: 'c', data: 'late' });
  assert.equal((await getStack(stackId)).status, 'CREATE_COMPLETE');
});

it('cancels a stack that waits: the create fails as cancelled and is rolled back', async () => {
  const stackId = await create('wait-cancelled');
  await waiting(stackId);
  await h.api.client.cancelStackOperation(new $ROS.CancelStackOperationRequest({ regionId: REGION, stackId }));
  const done = await settled(stackId);
  assert.equal(done.status, 'CREATE_ROLLBACK_COMPLETE');
  assert.match(done.statusReason ?? '', /Stack CREATE cancelled/);
});

it('keeps waiting across a restart, from where the wait began, and goes on at a signal to the new server', async () => {
  const stackId = await create('wait-restart', { Timeout: 10 });
  const query = await waiting(stackId);
  h.clock.advance(6_000);
  h = await h.restart();
  assert.equal((await getStack(stackId)).status, 'CREATE_IN_PROGRESS');
  await waitFor(() => resource(stackId, 'Wait'), (r) => r.status === 'CREATE_IN_PROGRESS');
  await signal(query, { status: 'SUCCESS', id: 'a', data: 'after' });
  const done = await settled(stackId);
  assert.equal(done.status, 'CREATE_COMPLETE', done.statusReason);
  assert.deepEqual(Object.fromEntries(done.outputs!.map((o) => [o.OutputKey, o.OutputValue])), { Data: { a: 'after' } });
  assert.equal((await events(stackId)).filter((e) => e === 'Handle CREATE_COMPLETE').length, 1);
});

it('times out after a restart at the deadline counted from the wait of the first server', async () => {
  const stackId = await create('wait-restart-timeout', { Timeout: 10 });
  await waiting(stackId);
  h.clock.advance(6_000);
  h = await h.restart();
  await waitFor(() => resource(stackId, 'Wait'), (r) => r.status === 'CREATE_IN_PROGRESS');
  h.clock.advance(4_000);
  const done = await settled(stackId);
  assert.equal(done.status, 'CREATE_ROLLBACK_COMPLETE');
  assert.match(done.statusReason ?? '', /WaitConditionTimeout/);
});
