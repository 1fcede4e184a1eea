// Rollouts for the console to show, set up through the official SDK and the control plane, and
// held in place with holds so that what the browser sees is deterministic.
import { rosClient } from '../helpers/clients.ts';
import { control, waitFor } from '../helpers/control.ts';
import { ros } from '../helpers/ros.ts';
import type { ServerProcess } from '../helpers/server-process.ts';

export const CONFIG = { simulation: { stackOperationMs: 0 }, logLevel: 'warn' };
export const ACCOUNTS = ['1001', '1002', '1003'];
export const REGIONS = ['cn-hangzhou', 'cn-beijing'];

export interface HeldRollout {
  group: string;
  operationId: string;
  holdId: string;
}

// 3 accounts × 2 regions, SEQUENTIAL, window 2, tolerance 1; a hold catches the first two
// targets, so cn-hangzhou has 2 RUNNING and 1 PENDING, and cn-beijing waits with 3 PENDING.
export async function heldRollout(server: ServerProcess, group: string, controlToken?: string): Promise<HeldRollout> {
  const api = ros(rosClient(server.endpoint));
  const ctl = control(server.url, controlToken);
  await api.createGroup(group);
  const holdId = await ctl.addFault({ match: { stackGroupName: group }, effect: 'hold', times: 2 });
  const operationId = await api.createInstances(group, ACCOUNTS, REGIONS, {
    operationPreferences: { MaxConcurrentCount: 2, FailureToleranceCount: 1 },
  });
  await ctl.waitHeld(holdId, 2);
  return { group, operationId, holdId };
}

// A fuller picture for the screenshots: a finished rollout with a failure inside its tolerance,
// a failed delete (INOPERABLE), then an update in flight with one target held.
export async function showcase(server: ServerProcess): Promise<{ group: string; operationId: string }> {
  const api = ros(rosClient(server.endpoint));
  const ctl = control(server.url);
  const group = 'web-baseline';
  const accounts = ['1001', '1002', '1003', '1004'];
  const regions = ['cn-hangzhou', 'cn-shanghai', 'cn-beijing'];
  await api.createGroup(group, { description: 'VPC, security group and SLB for every business account' });
  const quota = await ctl.addFault({ match: { stackGroupName: group, accountId: '1003', regionId: 'cn-shanghai' }, effect: 'fail', message: 'Resource Vpc failed: quota exceeded', times: 1 });
  const created = await api.createInstances(group, accounts, regions, { operationPreferences: { MaxConcurrentCount: 4, FailureToleranceCount: 1 } });
  await api.waitStatus(created, ['SUCCEEDED', 'FAILED']);
  await ctl.removeFault(quota);
  const stuck = await ctl.addFault({ match: { stackGroupName: group, action: 'DELETE' }, effect: 'fail', message: 'Resource Slb failed: instance is protected', times: 1 });
  const removed = await api.deleteInstances(group, ['1004'], ['cn-beijing'], false);
  await api.waitStatus(removed, ['SUCCEEDED', 'FAILED']);
  await ctl.removeFault(stuck);

  const hold = await ctl.addFault({ match: { stackGroupName: group, accountId: '1001', regionId: 'cn-hangzhou' }, effect: 'hold' });
  await ctl.addFault({ match: { stackGroupName: group, accountId: '1002', regionId: 'cn-hangzhou', action: 'UPDATE' }, effect: 'fail', message: 'Resource SecurityGroup failed: rule limit reached' });
  const operationId = await api.updateInstances(group, accounts.slice(0, 3), regions, { operationPreferences: { MaxConcurrentCount: 2, FailureToleranceCount: 1 } });
  await ctl.waitHeld(hold, 1);
  // The rest of cn-hangzhou finishes around the held target; the later regions wait for it.
  await waitFor(
    () => api.results(operationId),
    (rows) => rows.filter((r) => r.regionId === 'cn-hangzhou').every((r) => r.status !== 'PENDING' && (r.status !== 'RUNNING' || r.accountId === '1001')),
  );
  await api.createGroup('api-gateway');
  return { group, operationId };
}


export const FLEET_REGIONS = ['cn-beijing', 'cn-hangzhou', 'cn-qingdao', 'cn-shanghai', 'cn-shenzhen', 'cn-zhangjiakou'];
export const fleetAccounts = (n: number): string[] => Array.from({ length: n }, (_, i) => String(2001 + i));

export interface Fleet {
  group: string;
  failed: string[];
  inoperable: string;
  held: string[];
  holdId: string;
  operationId: string;
}

// A fleet (40 accounts × 6 regions by default): three targets fail their create, one delete
// fails (INOPERABLE), then an update of two accounts in cn-hangzhou is held on both, the other
// regions of that update waiting behind them.
export async function fleet(server: ServerProcess, group: string, accountCount = 40): Promise<Fleet> {
  const api = ros(rosClient(server.endpoint));
  const ctl = control(server.url);
  const accounts = fleetAccounts(accountCount);
  const at = (n: number, region: string) => ({ account: accounts[n % accounts.length], region });
  const failing = [at(6, 'cn-shanghai'), at(22, 'cn-beijing'), at(30, 'cn-shenzhen')];
  await api.createGroup(group, { description: 'Baseline network for every business account' });
  const faults = [];
  for (const f of failing) {
    faults.push(await ctl.addFault({ match: { stackGroupName: group, accountId: f.account, regionId: f.region }, effect: 'fail', message: 'Resource Vpc failed: quota exceeded', times: 1 }));
  }
  const created = await api.createInstances(group, accounts, FLEET_REGIONS, {
    operationPreferences: { MaxConcurrentPercentage: 100, FailureToleranceCount: failing.length, RegionConcurrencyType: 'PARALLEL' },
  });
  await api.waitStatus(created, ['SUCCEEDED', 'FAILED'], 60_000);
  for (const f of faults) await ctl.removeFault(f);

  const stuck = at(11, 'cn-qingdao');
  const protectedSlb = await ctl.addFault({ match: { stackGroupName: group, action: 'DELETE' }, effect: 'fail', message: 'Resource Slb failed: instance is protected', times: 1 });
  const removed = await api.deleteInstances(group, [stuck.account], [stuck.region], false);
  await api.waitStatus(removed, ['SUCCEEDED', 'FAILED']);
  await ctl.removeFault(protectedSlb);

  const holdId = await ctl.addFault({ match: { stackGroupName: group, action: 'UPDATE', regionId: 'cn-hangzhou' }, effect: 'hold', times: 2 });
  const operationId = await api.updateInstances(group, accounts.slice(0, 2), ['cn-hangzhou', 'cn-beijing'], {
    operationPreferences: { MaxConcurrentCount: 2, FailureToleranceCount: 0 },
  });
  await ctl.waitHeld(holdId, 2);
  return {
    group,
    failed: failing.map((f) => `${f.account} / ${f.region}`),
    inoperable: `${stuck.account} / ${stuck.region}`,
    held: accounts.slice(0, 2).map((a) => `${a} / cn-hangzhou`),
    holdId,
    operationId,
  };
}

// A network template with resources and outputs, for the Stacks page.
const NETWORK = JSON.stringify({
  ROSTemplateFormatVersion: '2015-09-01',
  Description: 'A VPC and its security group',
  Parameters: { Env: { Type: 'String', Default: 'dev' } },
  Resources: {
    Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '192.168.0.0/16' } },
    SecurityGroup: { Type: 'ALIYUN::ECS::SecurityGroup', Properties: { VpcId: { Ref: 'Vpc' } } },
  },
  Outputs: { VpcId: { Value: { 'Fn::GetAtt': ['Vpc', 'VpcId'] }, Description: 'The VPC' } },
});

// Deploys the network of a new group into one account in cn-hangzhou, as its only target.
export async function deployNetwork(server: ServerProcess, group: string, account: string): Promise<void> {
  const api = ros(rosClient(server.endpoint));
  await api.createGroup(group, { templateBody: NETWORK });
  await api.waitStatus(await api.createInstances(group, [account], ['cn-hangzhou']), ['SUCCEEDED', 'FAILED']);
}

// Stacks in the console's own (first configured) account: one group deploys its network in
// cn-hangzhou, another one fails to.
export async function ownStacks(server: ServerProcess, account: string): Promise<{ good: string; bad: string }> {
  const [good, bad] = ['network-ok', 'network-broken'];
  await deployNetwork(server, good, account);
  const fault = await control(server.url).addFault({ match: { stackGroupName: bad }, effect: 'fail', message: 'Resource SecurityGroup failed: quota exceeded' });
  await deployNetwork(server, bad, account);
  await control(server.url).removeFault(fault);
  return { good, bad };
}
