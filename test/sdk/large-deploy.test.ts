// A large stack deploys without stalling the server (issue 18, item 5): with the resource limit
// raised to 3,000, a 3,000-resource chain deploys while /health keeps answering. The bound is
// generous (a loaded machine); the bench's "hostile input" scenario has the exact figures.
// Its resources are written ahead of its result, in several transactions: a kill -9 while they
// are written leaves some, and the target run again after the restart finishes the stack.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { $ROS, rosClient, type RosClient } from '../helpers/clients.ts';
import { waitFor } from '../helpers/control.ts';
import { REGION, ros, sdkError } from '../helpers/ros.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';

const RESOURCES = 3000;
const ACCOUNT = '1000000000000001';
const CONFIG = { limits: { resourcesPerStack: RESOURCES }, simulation: { stackOperationMs: 0 } };
let server: ServerProcess;
let client: RosClient;

before(async () => {
  server = await startServer({ config: CONFIG });
  client = rosClient(server.endpoint);
});
after(() => server.stop());

function chain(): string {
  const resources: Record<string, object> = {};
  for (let i = 0; i < RESOURCES; i++) resources[`Handle${i}`] = { Type: 'ALIYUN::ROS::WaitConditionHandle', ...(i > 0 ? { DependsOn: `Handle${i - 1}` } : {}) };
  return JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Resources: resources });
}

it(`deploys ${RESOURCES} resources while /health keeps answering`, async () => {
  const api = ros(client);
  await api.createGroup('large', { templateBody: chain() });
  const operationId = await api.createInstances('large', [ACCOUNT], [REGION]);
  let done = false;
  const finished = waitFor(() => api.operation(operationId), (op) => op.status !== 'RUNNING', 120_000).finally(() => (done = true));
  let worstMs = 0;
  while (!done) {
    const started = performance.now();
    assert.equal((await fetch(`${server.url}/health`)).status, 200);
    worstMs = Math.max(worstMs, performance.now() - started);
  }
  assert.equal((await finished).status, 'SUCCEEDED');
  const resources = await client.listStackResources(
    new $ROS.ListStackResourcesRequest({ regionId: REGION, stackId: (await api.instance('large', ACCOUNT, REGION)).stackId }),
  );
  assert.equal(resources.body!.resources!.length, RESOURCES);
  // A quadratic, blocking deploy held the event loop for ~5 s here.
  assert.ok(worstMs < 2000, `/health took ${worstMs} ms`);
});

it(`deletes the ${RESOURCES}-resource stack, its resources removed a chunk at a time`, async () => {
  const api = ros(client);
  const stackId = (await api.instance('large', ACCOUNT, REGION)).stackId!;
  const operationId = await api.deleteInstances('large', [ACCOUNT], [REGION], false);
  assert.equal((await api.waitStatus(operationId, ['SUCCEEDED', 'FAILED'], 120_000)).status, 'SUCCEEDED');
  const gone = await sdkError(client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId })));
  assert.equal(gone.code, 'StackNotFound');
  assert.equal((await api.instances('large')).length, 0);
});

// The standalone path: CreateStack validates and plans in slices, the operation makes the
// handles' tokens a chunk at a time and writes the resources ahead of its outcome.
it(`creates a ${RESOURCES}-resource standalone stack while /health keeps answering`, async () => {
  const created = client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: 'large-standalone', templateBody: chain() }));
  let answered = false;
  let worstMs = 0;
  const probes = (async () => {
    while (!answered) {
      const started = performance.now();
      assert.equal((await fetch(`${server.url}/health`)).status, 200);
      worstMs = Math.max(worstMs, performance.now() - started);
    }
  })();
  const stackId = (await created.finally(() => (answered = true))).body!.stackId!;
  await probes;
  const stack = await waitFor(
    () => client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId })).then((r) => r.body!),
    (s) => !s.status!.endsWith('_IN_PROGRESS'),
    120_000,
  );
  assert.equal(stack.status, 'CREATE_COMPLETE');
  const resources = await client.listStackResources(new $ROS.ListStackResourcesRequest({ regionId: REGION, stackId }));
  assert.equal(resources.body!.resources!.length, RESOURCES);
  assert.ok(resources.body!.resources!.every((r) => r.status === 'CREATE_COMPLETE'));
  const events = await client.listStackEvents(new $ROS.ListStackEventsRequest({ regionId: REGION, stackId, pageSize: 1 }));
  // The stack's start and end, and two events per resource.
  assert.equal(events.body!.totalCount, 2 * RESOURCES + 2);
  assert.ok(worstMs < 2000, `/health took ${worstMs} ms`);
});

it('finishes a large stack after a kill -9 while its resources were being written', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'localros-large-kill-'));
  let killed: ServerProcess | undefined = await startServer({ dataDir, config: CONFIG });
  let restarted: ServerProcess | undefined;
  try {
    const first = rosClient(killed.endpoint);
    const api = ros(first);
    await api.createGroup('large', { templateBody: chain() });
    const operationId = await api.createInstances('large', [ACCOUNT], [REGION]);
    // The stack exists once its resources begin to be written; its first resource is in the
    // first chunk. Seen while the operation still runs, the kill finds the stack part-written.
    const stackId = (await waitFor(() => api.instance('large', ACCOUNT, REGION), (i) => Boolean(i.stackId), 120_000)).stackId!;
    await waitFor(
      () => first.getStackResource(new $ROS.GetStackResourceRequest({ regionId: REGION, stackId, logicalResourceId: 'Handle0' })).then(() => true, () => false),
      (found) => found,
      120_000,
    );
    const seen = await first.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }));
    await killed.kill9();
    killed = undefined;
    assert.equal(seen.body!.status, 'CREATE_IN_PROGRESS');

    restarted = await startServer({ dataDir, config: CONFIG });
    const client2 = rosClient(restarted.endpoint);
    const after = ros(client2);
    assert.equal((await after.waitStatus(operationId, ['SUCCEEDED', 'FAILED'], 120_000)).status, 'SUCCEEDED');
    const stack = (await client2.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!;
    assert.equal(stack.status, 'CREATE_COMPLETE');
    const resources = (await client2.listStackResources(new $ROS.ListStackResourcesRequest({ regionId: REGION, stackId }))).body!.resources!;
    assert.equal(resources.length, RESOURCES);
    assert.equal(new Set(resources.map((r) => r.logicalResourceId)).size, RESOURCES);
    assert.ok(resources.every((r) => r.status === 'CREATE_COMPLETE'));
    // The events are the re-run's only: one start and one completion per resource.
    const events = async (status: string) =>
      (await client2.listStackEvents(new $ROS.ListStackEventsRequest({ regionId: REGION, stackId, status: [status], pageSize: 1 }))).body!.totalCount;
    assert.equal(await events('CREATE_COMPLETE'), RESOURCES + 1);
    assert.equal(await events('CREATE_IN_PROGRESS'), RESOURCES + 1);
  } finally {
    await killed?.kill9();
    await restarted?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
