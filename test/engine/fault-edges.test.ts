// Control-plane faults (src/engine/fault-registry.ts) at their edges, with the server in the
// test's process: a used-up hold met again by a target running at the same time.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { waitFor } from '../helpers/control.ts';
import { startEngine, type EngineHarness } from './harness.ts';

let h: EngineHarness;
before(async () => (h = await startEngine()));
after(() => h.stop());

it('keeps listing a used-up hold while it holds a target, when another target meets it at the same time', async () => {
  await h.api.createGroup('used-up');
  const hold = await h.ctl.addFault({ match: { stackGroupName: 'used-up' }, effect: 'hold', times: 1 });
  const op = await h.api.createInstances('used-up', ['1001', '1002'], ['cn-beijing'], { operationPreferences: { MaxConcurrentCount: 2 } });
  await h.ctl.waitHeld(hold, 1);
  // The other target ran free: the hold was used up by the first.
  const other = await waitFor(() => h.api.results(op), (rows) => rows.some((r) => r.status === 'SUCCEEDED'));
  assert.deepEqual(other.map((r) => r.status).sort(), ['RUNNING', 'SUCCEEDED']);
  const [listed] = (await h.ctl.faults()).filter((f) => f.id === hold);
  assert.equal(listed?.timesRemaining, 0);
  assert.deepEqual(listed.held.map((t) => `${t.accountId}/${t.regionId}`), [`${other.find((r) => r.status === 'RUNNING')!.accountId}/cn-beijing`]);
  assert.equal(await h.ctl.removeFault(hold), 204);
  assert.equal((await h.api.waitStatus(op, ['SUCCEEDED', 'FAILED'])).status, 'SUCCEEDED');
});
