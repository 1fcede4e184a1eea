// The engine on the real clock (src/engine/clock.ts `systemClock`), which every other engine
// test replaces with a fake one: a target action that takes time sleeps on a real timer and
// wakes up to finish.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createRosClient, startLocalRos, type LocalRos } from 'localros/testing';
import { ros } from '../helpers/ros.ts';

let server: LocalRos;
before(async () => (server = await startLocalRos({ config: { simulation: { stackOperationMs: 20 } } })));
after(() => server.stop());

it('finishes a target action that takes time on the real clock', async () => {
  const api = ros(createRosClient({ endpoint: server.endpoint, credentials: server.credentials, regionId: server.regionId, timeoutMs: 60_000 }));
  await api.createGroup('real-clock');
  const op = await api.createInstances('real-clock', ['1001'], ['cn-beijing']);
  assert.equal((await api.waitStatus(op, ['SUCCEEDED', 'FAILED'])).status, 'SUCCEEDED');
  assert.equal((await api.instance('real-clock', '1001', 'cn-beijing')).status, 'CURRENT');
});
