// kill -9 in the middle of an operation, then a restart on the same data directory: the
// operation resumes and completes, no target is lost and none is applied twice (issue 3).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { rosClient } from '../helpers/clients.ts';
import { control, waitFor } from '../helpers/control.ts';
import { ros } from '../helpers/ros.ts';
import { startServer } from '../helpers/server-process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'localros-durability-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

it('resumes an operation killed with SIGKILL mid-way and runs every target exactly once', async () => {
  const config = { simulation: { stackOperationMs: 5 } };
  const accounts = Array.from({ length: 10 }, (_, i) => String(3000 + i));
  let server = await startServer({ dataDir, config });
  let api = ros(rosClient(server.endpoint));
  await api.createGroup('durable');
  // One target per region is held in flight at the moment of the kill; with a window of 1 the
  // accounts before it are done and those after it still pending.
  const hold = await control(server.url).addFault({ match: { stackGroupName: 'durable', accountId: '3005' }, effect: 'hold' });
  const op = await api.createInstances('durable', accounts, ['cn-beijing', 'cn-shanghai'], {
    operationPreferences: { MaxConcurrentCount: 1, RegionConcurrencyType: 'PARALLEL' },
  });
  await control(server.url).waitHeld(hold, 2);
  const before = await api.results(op);
  assert.ok(before.some((r) => r.status === 'SUCCEEDED'));
  assert.ok(before.some((r) => r.status === 'PENDING'));
  await server.kill9();

  server = await startServer({ dataDir, config });
  try {
    api = ros(rosClient(server.endpoint));
    const ctl = control(server.url);
    // The hold is durable too: the two in-flight targets run again and are held again.
    await ctl.waitHeld(hold, 2);
    assert.equal((await api.operation(op)).status, 'RUNNING');
    await ctl.removeFault(hold);
    const done = await api.waitStatus(op, ['SUCCEEDED', 'FAILED', 'STOPPED']);
    assert.equal(done.status, 'SUCCEEDED');
    const results = await api.results(op);
    assert.equal(results.length, 20);
    assert.ok(results.every((r) => r.status === 'SUCCEEDED'));
    const instances = await waitFor(() => api.instances('durable'), (list) => list.length === 20);
    assert.ok(instances.every((i) => i.status === 'CURRENT'));
    const stackIds = new Set(instances.map((i) => i.stackId));
    assert.equal(stackIds.size, 20);
  } finally {
    await server.stop();
  }
});
