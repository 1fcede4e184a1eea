// A large stack deploys without stalling the server (issue 18, item 5): with the resource limit
// raised to 3,000, a 3,000-resource chain deploys while /health keeps answering. The bound is
// generous (a loaded machine); the bench's "hostile input" scenario has the exact figures.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { $ROS, rosClient, type RosClient } from '../helpers/clients.ts';
import { waitFor } from '../helpers/control.ts';
import { REGION, ros } from '../helpers/ros.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';

const RESOURCES = 3000;
let server: ServerProcess;
let client: RosClient;

before(async () => {
  server = await startServer({ config: { limits: { resourcesPerStack: RESOURCES }, simulation: { stackOperationMs: 0 } } });
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
  const operationId = await api.createInstances('large', ['1000000000000001'], [REGION]);
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
    new $ROS.ListStackResourcesRequest({ regionId: REGION, stackId: (await api.instance('large', '1000000000000001', REGION)).stackId }),
  );
  assert.equal(resources.body!.resources!.length, RESOURCES);
  // A quadratic, blocking deploy held the event loop for ~5 s here.
  assert.ok(worstMs < 2000, `/health took ${worstMs} ms`);
});
