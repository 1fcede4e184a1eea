// Control-plane faults (src/engine/fault-registry.ts) as stack-group targets meet them: which targets a
// fault matches, counted faults used up one target at a time, and faults kept across a restart.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startEngine, type EngineHarness } from './harness.ts';

interface Listed {
  id: string;
  timesRemaining: number | null;
  held: { accountId: string; regionId: string }[];
}

let h: EngineHarness;
before(async () => (h = await startEngine({ persistent: true })));
after(() => h.stop());

let groups = 0;
async function group(): Promise<string> {
  const name = `faults-${++groups}`;
  await h.api.createGroup(name);
  return name;
}
const listed = async (id: string) => ((await (await fetch(`${h.url}/_localros/faults`)).json()) as { faults: Listed[] }).faults.find((f) => f.id === id);
const outcome = async (op: string) => {
  await h.api.waitStatus(op, ['SUCCEEDED', 'FAILED', 'STOPPED']);
  return Object.fromEntries((await h.api.results(op)).map((r) => [`${r.accountId}/${r.regionId}`, r.status === 'FAILED' ? r.statusReason : r.status]));
};
const create = (g: string, accounts: string[], regions: string[]) =>
  h.api.createInstances(g, accounts, regions, { operationPreferences: { FailureToleranceCount: 10, MaxConcurrentCount: 1 } });

it('applies a fault only to the target actions matching every field it names', async () => {
  const g = await group();
  const other = await group();
  const ids = [
    await h.ctl.addFault({ match: { stackGroupName: g, accountId: '1001', regionId: 'cn-beijing' }, effect: 'fail', message: 'one target' }),
    await h.ctl.addFault({ match: { stackGroupName: g, regionId: 'cn-shanghai', action: 'CREATE' }, effect: 'fail', message: 'shanghai creates' }),
    await h.ctl.addFault({ match: { stackGroupName: g, action: 'UPDATE' }, effect: 'fail', message: 'updates' }),
    await h.ctl.addFault({ match: { stackGroupName: g, stackName: 'not-a-group-stack' }, effect: 'fail', message: 'standalone stacks only' }),
    // A resource fault is for standalone stacks' resources, never a whole target.
    await h.ctl.addFault({ match: { stackGroupName: g, logicalResourceId: 'Vpc' }, effect: 'fail', message: 'a resource' }),
  ];
  assert.deepEqual(await outcome(await create(g, ['1001', '1002'], ['cn-beijing', 'cn-shanghai'])), {
    '1001/cn-beijing': 'one target',
    '1002/cn-beijing': 'SUCCEEDED',
    '1001/cn-shanghai': 'shanghai creates',
    '1002/cn-shanghai': 'shanghai creates',
  });
  assert.deepEqual(await outcome(await create(other, ['1001'], ['cn-beijing'])), { '1001/cn-beijing': 'SUCCEEDED' });
  const update = await h.api.updateInstances(g, ['1002'], ['cn-beijing'], { operationPreferences: { FailureToleranceCount: 1 } });
  assert.deepEqual(await outcome(update), { '1002/cn-beijing': 'updates' });
  for (const id of ids) await h.ctl.removeFault(id);
});

it('uses a counted fault up one target at a time, and keeps what is left across a restart', async () => {
  const g = await group();
  const id = await h.ctl.addFault({ match: { stackGroupName: g }, effect: 'fail', message: 'counted', times: 3 });
  assert.equal((await listed(id))!.timesRemaining, 3);
  assert.deepEqual(await outcome(await create(g, ['1001', '1002'], ['cn-beijing'])), { '1001/cn-beijing': 'counted', '1002/cn-beijing': 'counted' });
  assert.equal((await listed(id))!.timesRemaining, 1);
  h = await h.restart();
  assert.equal((await listed(id))!.timesRemaining, 1);
  assert.deepEqual(await outcome(await create(g, ['1003', '1004'], ['cn-beijing'])), { '1003/cn-beijing': 'counted', '1004/cn-beijing': 'SUCCEEDED' });
  assert.equal(await listed(id), undefined, 'a used-up fault is gone');
  h = await h.restart();
  assert.equal(await listed(id), undefined, 'and stays gone after a restart');
});

it('lists a used-up hold until the targets it holds are released by deleting it', async () => {
  const g = await group();
  const id = await h.ctl.addFault({ match: { stackGroupName: g }, effect: 'hold', times: 1 });
  const op = await create(g, ['1001', '1002'], ['cn-beijing']);
  await h.ctl.waitHeld(id, 1);
  const hold = (await listed(id))!;
  assert.equal(hold.timesRemaining, 0);
  assert.deepEqual(hold.held.map((t) => `${t.accountId}/${t.regionId}`), ['1001/cn-beijing']);
  assert.equal(await h.ctl.removeFault(id), 204);
  assert.deepEqual(await outcome(op), { '1001/cn-beijing': 'SUCCEEDED', '1002/cn-beijing': 'SUCCEEDED' });
  assert.equal(await h.ctl.removeFault(id), 404);
});

it('holds a target at each hold it meets in turn; a hold deleted before the target reaches it holds nothing', async () => {
  const g = await group();
  // Another group's fault stays listed throughout: only the deleted hold's absence may count.
  const unrelated = await h.ctl.addFault({ match: { stackGroupName: 'no-such-group' }, effect: 'hold' });
  const [first, second, third] = [await h.ctl.addFault({ match: { stackGroupName: g }, effect: 'hold' }), await h.ctl.addFault({ match: { stackGroupName: g }, effect: 'hold' }), await h.ctl.addFault({ match: { stackGroupName: g }, effect: 'hold' })];
  const op = await create(g, ['1001'], ['cn-beijing']);
  await h.ctl.waitHeld(first, 1);
  assert.deepEqual((await listed(second))!.held, []);
  // The third is deleted while the target waits at the first: it must not hold the target.
  assert.equal(await h.ctl.removeFault(third), 204);
  assert.equal(await h.ctl.removeFault(first), 204);
  assert.deepEqual((await h.ctl.waitHeld(second, 1)).map((t) => `${t.accountId}/${t.regionId}`), ['1001/cn-beijing']);
  assert.equal(await h.ctl.removeFault(second), 204);
  assert.deepEqual(await outcome(op), { '1001/cn-beijing': 'SUCCEEDED' });
  assert.equal(await h.ctl.removeFault(unrelated), 204);
});

it('empties the faults on a reset, releasing what they held', async () => {
  const g = await group();
  const id = await h.ctl.addFault({ match: { stackGroupName: g }, effect: 'hold' });
  await create(g, ['1001'], ['cn-beijing']);
  await h.ctl.waitHeld(id, 1);
  await h.ctl.reset();
  assert.deepEqual(await h.ctl.faults(), []);
  // The group is gone with the reset; a new one runs free.
  const g2 = await group();
  assert.deepEqual(await outcome(await create(g2, ['1001'], ['cn-beijing'])), { '1001/cn-beijing': 'SUCCEEDED' });
});
