// Operations that really run (issue 3), driven through the official SDK against a server
// process. Timing is made deterministic with the control plane's holds, never with sleeps.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { $ROS, rosClient, OTHER_CREDENTIALS, TWO_ACCOUNTS } from '../helpers/clients.ts';
import { control, waitFor } from '../helpers/control.ts';
import { byTarget, REGION, ros, sdkError } from '../helpers/ros.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';

const CONFIG = {
  simulation: { stackOperationMs: 0 },
  accounts: TWO_ACCOUNTS,
};
const A = ['1001', '1002', '1003', '1004', '1005'];

let server: ServerProcess;
let api: ReturnType<typeof ros>;
let ctl: ReturnType<typeof control>;

before(async () => {
  server = await startServer({ config: CONFIG });
  api = ros(rosClient(server.endpoint));
  ctl = control(server.url);
});
after(() => server.stop());

describe('the timeline example of semantics.md §7.5', () => {
  it('fails the region at the first failure, cancels the rest, lets in-flight targets finish', async () => {
    const g = 'timeline';
    await api.createGroup(g);
    const fail = await ctl.addFault({ match: { stackGroupName: g, accountId: '1002', regionId: 'cn-beijing' }, effect: 'fail', message: 'Resource Vpc failed: quota exceeded' });
    const hold1 = await ctl.addFault({ match: { stackGroupName: g, accountId: '1001' }, effect: 'hold' });
    const hold3 = await ctl.addFault({ match: { stackGroupName: g, accountId: '1003' }, effect: 'hold' });
    const op = await api.createInstances(g, A, ['cn-beijing', 'cn-shanghai'], { operationPreferences: { MaxConcurrentCount: 3, FailureToleranceCount: 0 } });
    await ctl.waitHeld(hold1, 1);
    await ctl.waitHeld(hold3, 1);
    // 1002's failure is written in a later engine turn than the holds' start (a turn is several
    // round trips on PostgreSQL): waited for, not assumed.
    const failed = (rows: Awaited<ReturnType<typeof api.results>>) => rows.some((r) => r.accountId === '1002' && r.status === 'FAILED');
    const mid = byTarget(await waitFor(() => api.results(op), failed), (r) => r.status);
    assert.equal((await api.operation(op)).status, 'RUNNING');
    assert.deepEqual(mid, {
      '1001/cn-beijing': 'RUNNING',
      '1002/cn-beijing': 'FAILED',
      '1003/cn-beijing': 'RUNNING',
      '1004/cn-beijing': 'CANCELLED',
      '1005/cn-beijing': 'CANCELLED',
      ...Object.fromEntries(A.map((a) => [`${a}/cn-shanghai`, 'CANCELLED'])),
    });
    await ctl.removeFault(hold1);
    await ctl.removeFault(hold3);
    await ctl.removeFault(fail);
    const done = await api.waitStatus(op, ['FAILED']);
    assert.ok(done.endTime);
    const reasons = byTarget(await api.results(op), (r) => `${r.status}:${r.statusReason ?? ''}`);
    assert.equal(reasons['1002/cn-beijing'], 'FAILED:Resource Vpc failed: quota exceeded');
    assert.equal(reasons['1004/cn-shanghai'], 'CANCELLED:Cancelled since failure tolerance has exceeded');
    const inst = byTarget(await api.instances(g), (i) => `${i.status}:${i.statusReason ?? ''}:${i.stackId ? 'stack' : 'nostack'}`);
    assert.equal(inst['1001/cn-beijing'], 'CURRENT::stack');
    assert.equal(inst['1003/cn-beijing'], 'CURRENT::stack');
    assert.equal(inst['1002/cn-beijing'], 'OUTDATED:Resource Vpc failed: quota exceeded:stack');
    assert.equal(inst['1005/cn-shanghai'], 'OUTDATED:Cancelled since failure tolerance has exceeded:nostack');
  });
});

describe('region concurrency', () => {
  it('SEQUENTIAL runs one region at a time, in RegionIds order', async () => {
    const g = 'sequential';
    await api.createGroup(g);
    const hold = await ctl.addFault({ match: { stackGroupName: g }, effect: 'hold', times: 2 });
    const op = await api.createInstances(g, ['1001', '1002'], ['cn-shanghai', 'cn-beijing'], { operationPreferences: { MaxConcurrentCount: 2 } });
    await ctl.waitHeld(hold, 2);
    const statuses = byTarget(await api.results(op), (r) => r.status);
    assert.deepEqual(statuses, { '1001/cn-shanghai': 'RUNNING', '1002/cn-shanghai': 'RUNNING', '1001/cn-beijing': 'PENDING', '1002/cn-beijing': 'PENDING' });
    assert.deepEqual((await api.operation(op)).operationPreferences!.regionIdsOrder, ['cn-shanghai', 'cn-beijing']);
    await ctl.removeFault(hold);
    assert.equal((await api.waitStatus(op, ['SUCCEEDED', 'FAILED'])).status, 'SUCCEEDED');
  });

  it('PARALLEL starts every region at once, each with its own window', async () => {
    const g = 'parallel';
    await api.createGroup(g);
    const hold = await ctl.addFault({ match: { stackGroupName: g }, effect: 'hold', times: 4 });
    const op = await api.createInstances(g, ['1001', '1002', '1003'], ['cn-shanghai', 'cn-beijing'], {
      operationPreferences: { MaxConcurrentCount: 2, RegionConcurrencyType: 'PARALLEL' },
    });
    const held = await ctl.waitHeld(hold, 4);
    assert.deepEqual(held.map((h) => h.regionId).sort(), ['cn-beijing', 'cn-beijing', 'cn-shanghai', 'cn-shanghai']);
    const rows = await api.results(op);
    assert.equal(rows.filter((r) => r.status === 'RUNNING').length, 4);
    assert.equal(rows.filter((r) => r.status === 'PENDING').length, 2);
    await ctl.removeFault(hold);
    assert.equal((await api.waitStatus(op, ['SUCCEEDED', 'FAILED'])).status, 'SUCCEEDED');
  });

  it('never exceeds the window: MaxConcurrentPercentage 50 of 6 accounts runs 3', async () => {
    const g = 'window';
    await api.createGroup(g);
    const hold = await ctl.addFault({ match: { stackGroupName: g }, effect: 'hold', times: 6 });
    const accounts = ['1001', '1002', '1003', '1004', '1005', '1006'];
    const op = await api.createInstances(g, accounts, ['cn-beijing'], { operationPreferences: { MaxConcurrentPercentage: 50 } });
    await ctl.waitHeld(hold, 3);
    const rows = await api.results(op);
    assert.deepEqual(rows.map((r) => r.status), ['RUNNING', 'RUNNING', 'RUNNING', 'PENDING', 'PENDING', 'PENDING']);
    assert.equal((await api.operation(op)).operationPreferences!.maxConcurrentPercentage, 50);
    await ctl.removeFault(hold);
    await api.waitStatus(op, ['SUCCEEDED']);
  });
});

describe('failure tolerance', () => {
  it('by count: the second failure over FailureToleranceCount 1 fails the operation', async () => {
    const g = 'tolerance-count';
    await api.createGroup(g);
    await ctl.addFault({ match: { stackGroupName: g, accountId: '1001' }, effect: 'fail' });
    await ctl.addFault({ match: { stackGroupName: g, accountId: '1003' }, effect: 'fail' });
    const op = await api.createInstances(g, A, ['cn-beijing'], { operationPreferences: { FailureToleranceCount: 1, MaxConcurrentCount: 1 } });
    assert.equal((await api.waitStatus(op, ['SUCCEEDED', 'FAILED'])).status, 'FAILED');
    assert.deepEqual((await api.results(op)).map((r) => r.status), ['FAILED', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'CANCELLED']);
  });

  // 40% of 7 is 2.8: rounded down it tolerates 2 failures, rounded up or to nearest 3.
  it('by percentage, rounded down: 40% of 7 tolerates 2 failures, not 3', async () => {
    const g = 'tolerance-pct';
    const seven = [...A, '1006', '1007'];
    await api.createGroup(g);
    for (const accountId of ['1001', '1002', '1003']) await ctl.addFault({ match: { stackGroupName: g, accountId }, effect: 'fail' });
    const op = await api.createInstances(g, seven, ['cn-beijing'], { operationPreferences: { FailureTolerancePercentage: 40, MaxConcurrentCount: 1 } });
    assert.equal((await api.waitStatus(op, ['SUCCEEDED', 'FAILED'])).status, 'FAILED');
    // Two failures were tolerated (the third target still ran); the third one was not.
    assert.deepEqual((await api.results(op)).map((r) => r.status), ['FAILED', 'FAILED', 'FAILED', 'CANCELLED', 'CANCELLED', 'CANCELLED', 'CANCELLED']);
    const inst = byTarget(await api.instances(g), (i) => `${i.status}:${i.statusReason ?? ''}`);
    assert.match(String(inst['1001/cn-beijing']), /^OUTDATED:Injected failure/);
    assert.equal(inst['1007/cn-beijing'], 'OUTDATED:Cancelled since failure tolerance has exceeded');
  });
});

describe('StopStackGroupOperation', () => {
  it('goes STOPPING with targets in flight, cancels the unstarted ones, then STOPPED', async () => {
    const g = 'stop';
    await api.createGroup(g);
    const hold = await ctl.addFault({ match: { stackGroupName: g }, effect: 'hold', times: 2 });
    const op = await api.createInstances(g, A, ['cn-beijing'], { operationPreferences: { MaxConcurrentCount: 2 } });
    await ctl.waitHeld(hold, 2);
    await api.stop(op);
    const stopping = await api.operation(op);
    assert.equal(stopping.status, 'STOPPING');
    assert.equal(stopping.endTime, undefined);
    assert.deepEqual((await api.results(op)).map((r) => `${r.status}:${r.statusReason ?? ''}`), [
      'RUNNING:',
      'RUNNING:',
      'CANCELLED:User initiated stop',
      'CANCELLED:User initiated stop',
      'CANCELLED:User initiated stop',
    ]);
    // Stopping again while STOPPING is accepted and changes nothing.
    await api.stop(op);
    assert.equal((await api.instance(g, '1004', 'cn-beijing')).statusReason, 'User initiated stop');
    await ctl.removeFault(hold);
    const stopped = await api.waitStatus(op, ['STOPPED']);
    assert.ok(stopped.endTime);
    assert.deepEqual((await api.results(op)).map((r) => r.status), ['SUCCEEDED', 'SUCCEEDED', 'CANCELLED', 'CANCELLED', 'CANCELLED']);
    assert.equal((await api.instance(g, '1001', 'cn-beijing')).status, 'CURRENT');
  });

  it('starts no target after the Stop response, across regions', async () => {
    const g = 'stop-no-start';
    await api.createGroup(g);
    const hold = await ctl.addFault({ match: { stackGroupName: g, accountId: '1001', regionId: 'cn-beijing' }, effect: 'hold' });
    const op = await api.createInstances(g, ['1001', '1002'], ['cn-beijing', 'cn-shanghai'], { operationPreferences: { MaxConcurrentCount: 1 } });
    await ctl.waitHeld(hold, 1);
    await api.stop(op);
    await ctl.removeFault(hold);
    const stopped = await api.waitStatus(op, ['STOPPED']);
    assert.ok(stopped.endTime);
    assert.deepEqual(byTarget(await api.results(op), (r) => r.status), {
      '1001/cn-beijing': 'SUCCEEDED',
      '1002/cn-beijing': 'CANCELLED',
      '1001/cn-shanghai': 'CANCELLED',
      '1002/cn-shanghai': 'CANCELLED',
    });
  });

  it('rejects a finished operation with InvalidParameter and an unknown or foreign one with 404', async () => {
    const g = 'stop-errors';
    await api.createGroup(g);
    const op = await api.createInstances(g, ['1001'], ['cn-beijing']);
    await api.waitStatus(op, ['SUCCEEDED']);
    const finished = await sdkError(api.stop(op));
    assert.equal(finished.code, 'InvalidParameter');
    assert.equal(finished.statusCode, 400);
    assert.match(finished.data!.Message!, /^The specified parameter OperationId is invalid, the operation is not running \(its status is SUCCEEDED\)\.$/);
    const unknown = await sdkError(api.stop('00000000-0000-0000-0000-000000000000'));
    assert.equal(unknown.code, 'StackGroupOperationNotFound');
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.data!.Message, 'The StackGroupOperation (00000000-0000-0000-0000-000000000000) could not be found.');
    const foreign = await sdkError(ros(rosClient(server.endpoint, { credentials: OTHER_CREDENTIALS })).stop(op));
    assert.equal(foreign.code, 'StackGroupOperationNotFound');
    assert.equal(foreign.statusCode, 404);
  });

  it('is safe when many stops race on one operation', async () => {
    const g = 'stop-race';
    await api.createGroup(g);
    const hold = await ctl.addFault({ match: { stackGroupName: g }, effect: 'hold', times: 1 });
    const op = await api.createInstances(g, A, ['cn-beijing']);
    await ctl.waitHeld(hold, 1);
    const answers = await Promise.allSettled(Array.from({ length: 8 }, () => api.stop(op)));
    assert.ok(answers.every((a) => a.status === 'fulfilled'));
    await ctl.removeFault(hold);
    await api.waitStatus(op, ['STOPPED']);
    assert.deepEqual((await api.results(op)).map((r) => r.status), ['SUCCEEDED', 'CANCELLED', 'CANCELLED', 'CANCELLED', 'CANCELLED']);
  });
});

describe('one operation at a time, and ClientToken', () => {
  it('answers 409 StackGroupOperationInProgress while an operation runs; the token of a rejected call stays free', async () => {
    const g = 'busy';
    await api.createGroup(g);
    const hold = await ctl.addFault({ match: { stackGroupName: g }, effect: 'hold', times: 1 });
    const op = await api.createInstances(g, ['1001'], ['cn-beijing'], { clientToken: 'tok-first' });
    await ctl.waitHeld(hold, 1);
    // A retry of the running call with its token gets the same operation, not a 409.
    assert.equal(await api.createInstances(g, ['1001'], ['cn-beijing'], { clientToken: 'tok-first' }), op);
    const busy = await sdkError(api.createInstances(g, ['1002'], ['cn-beijing'], { clientToken: 'tok-second' }));
    assert.equal(busy.code, 'StackGroupOperationInProgress');
    assert.equal(busy.statusCode, 409);
    assert.equal(busy.data!.Message, `Another Operation on StackGroup (${g}) is in progress.`);
    const changed = await sdkError(api.createInstances(g, ['1003'], ['cn-beijing'], { clientToken: 'tok-first' }));
    assert.equal(changed.code, 'InvalidIdempotenceParameter');
    assert.equal(changed.statusCode, 400);
    await ctl.removeFault(hold);
    await api.waitStatus(op, ['SUCCEEDED']);
    const second = await api.createInstances(g, ['1002'], ['cn-beijing'], { clientToken: 'tok-second' });
    assert.notEqual(second, op);
    await api.waitStatus(second, ['SUCCEEDED']);
    assert.equal(await api.createInstances(g, ['1002'], ['cn-beijing'], { clientToken: 'tok-second' }), second);
  });
});

describe('instances through their life', () => {
  it('UpdateStackGroup with targets updates those and marks the others OUTDATED', async () => {
    const g = 'update-group';
    await api.createGroup(g);
    await api.waitStatus(await api.createInstances(g, ['1001', '1002'], ['cn-beijing']), ['SUCCEEDED']);
    const res = await api.client.updateStackGroup(
      new $ROS.UpdateStackGroupRequest({
        regionId: REGION,
        stackGroupName: g,
        parameters: [new $ROS.UpdateStackGroupRequestParameters({ parameterKey: 'Env', parameterValue: 'prod' })],
        accountIds: ['1001'],
        regionIds: ['cn-beijing'],
      }),
    );
    const op = res.body!.operationId!;
    assert.equal((await api.waitStatus(op, ['SUCCEEDED'])).action, 'UPDATE');
    const inst = byTarget(await api.instances(g), (i) => `${i.status}:${i.statusReason ?? ''}`);
    assert.deepEqual(inst, { '1001/cn-beijing': 'CURRENT:', '1002/cn-beijing': 'OUTDATED:Stack group updated, instance not updated' });
    const group = (await api.client.getStackGroup(new $ROS.GetStackGroupRequest({ regionId: REGION, stackGroupName: g }))).body!.stackGroup!;
    assert.deepEqual(group.parameters!.map((p) => [p.parameterKey, p.parameterValue]), [['Env', 'prod']]);
  });

  it('UpdateStackInstances replaces overrides and redeploys', async () => {
    const g = 'update-instances';
    await api.createGroup(g);
    await api.waitStatus(await api.createInstances(g, ['1001'], ['cn-beijing']), ['SUCCEEDED']);
    const op = await api.updateInstances(g, ['1001'], ['cn-beijing'], {
      parameterOverrides: [new $ROS.UpdateStackInstancesRequestParameterOverrides({ parameterKey: 'Env', parameterValue: 'staging' })],
    });
    await api.waitStatus(op, ['SUCCEEDED']);
    const inst = await api.instance(g, '1001', 'cn-beijing');
    assert.equal(inst.status, 'CURRENT');
    assert.deepEqual(inst.parameterOverrides!.map((p) => [p.parameterKey, p.parameterValue]), [['Env', 'staging']]);
    const missing = await sdkError(api.updateInstances(g, ['1009'], ['cn-beijing']));
    assert.equal(missing.code, 'StackInstanceNotFound');
    assert.equal(missing.statusCode, 404);
  });

  it('DeleteStackInstances removes instances, with RetainStacks echoed on the operation', async () => {
    const g = 'delete-instances';
    await api.createGroup(g);
    await api.waitStatus(await api.createInstances(g, ['1001', '1002'], ['cn-beijing']), ['SUCCEEDED']);
    const retain = await api.deleteInstances(g, ['1001'], ['cn-beijing'], true);
    assert.equal((await api.waitStatus(retain, ['SUCCEEDED'])).retainStacks, true);
    const remove = await api.deleteInstances(g, ['1002'], ['cn-beijing'], false);
    const removed = await api.waitStatus(remove, ['SUCCEEDED']);
    assert.equal(removed.retainStacks, false);
    assert.equal(removed.action, 'DELETE');
    assert.deepEqual(await api.instances(g), []);
    await api.client.deleteStackGroup(new $ROS.DeleteStackGroupRequest({ regionId: REGION, stackGroupName: g }));
    const gone = await sdkError(api.client.getStackGroup(new $ROS.GetStackGroupRequest({ regionId: REGION, stackGroupName: g })));
    assert.equal(gone.code, 'StackGroupNotFound');
  });

  it('a failed delete leaves the instance INOPERABLE, and RetainStacks=true clears it', async () => {
    const g = 'inoperable';
    await api.createGroup(g);
    await api.waitStatus(await api.createInstances(g, ['1001'], ['cn-beijing']), ['SUCCEEDED']);
    const fault = await ctl.addFault({ match: { stackGroupName: g, action: 'DELETE' }, effect: 'fail', message: 'Stack delete failed: resource in use', times: 1 });
    const op = await api.deleteInstances(g, ['1001'], ['cn-beijing'], false);
    assert.equal((await api.waitStatus(op, ['SUCCEEDED', 'FAILED'])).status, 'FAILED');
    const inst = await api.instance(g, '1001', 'cn-beijing');
    assert.equal(inst.status, 'INOPERABLE');
    assert.equal(inst.statusReason, 'Stack delete failed: resource in use');
    assert.equal((await ctl.faults()).some((f) => f.id === fault), false);
    await api.waitStatus(await api.deleteInstances(g, ['1001'], ['cn-beijing'], true), ['SUCCEEDED']);
    assert.deepEqual(await api.instances(g), []);
  });

  it('DeleteStackGroup refuses a group that still has instances', async () => {
    const g = 'not-empty';
    await api.createGroup(g);
    await api.waitStatus(await api.createInstances(g, ['1001'], ['cn-beijing']), ['SUCCEEDED']);
    const err = await sdkError(api.client.deleteStackGroup(new $ROS.DeleteStackGroupRequest({ regionId: REGION, stackGroupName: g })));
    assert.equal(err.code, 'StackGroupNotEmpty');
    assert.equal(err.statusCode, 400);
    assert.equal(err.data!.Message, `The StackGroup (${g}) is not empty.`);
  });

  it('CreateStackInstances on an existing instance is StackInstanceExists, and creates none of the others', async () => {
    const g = 'exists';
    await api.createGroup(g);
    await api.waitStatus(await api.createInstances(g, ['1001'], ['cn-beijing']), ['SUCCEEDED']);
    const err = await sdkError(api.createInstances(g, ['1002', '1001'], ['cn-beijing']));
    assert.equal(err.code, 'StackInstanceExists');
    assert.equal(err.statusCode, 409);
    assert.equal(err.data!.Message, 'The StackInstance (1001/cn-beijing) already exists.');
    assert.deepEqual((await api.instances(g)).map((i) => i.accountId), ['1001']);
  });
});

describe('account isolation', () => {
  it('hides one account’s groups and operations from another', async () => {
    const g = 'isolated';
    await api.createGroup(g);
    const op = await api.createInstances(g, ['1001'], ['cn-beijing']);
    await api.waitStatus(op, ['SUCCEEDED']);
    const other = ros(rosClient(server.endpoint, { credentials: OTHER_CREDENTIALS }));
    const notFound = await sdkError(other.client.getStackGroup(new $ROS.GetStackGroupRequest({ regionId: REGION, stackGroupName: g })));
    assert.equal(notFound.code, 'StackGroupNotFound');
    assert.equal((await sdkError(other.operation(op))).code, 'StackGroupOperationNotFound');
    // The same name is free in the other account.
    await other.createGroup(g);
    const list = (await other.client.listStackGroups(new $ROS.ListStackGroupsRequest({ regionId: REGION }))).body!;
    assert.deepEqual(list.stackGroups!.map((s) => s.stackGroupName), [g]);
  });
});
