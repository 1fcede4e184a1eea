// Deep ListStackInstances pages (past the first 1,000 instances, where pages start from page
// anchors) hold exactly the instances of their place in the order, before and after the group's
// membership changes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { $ROS, rosClient } from '../helpers/clients.ts';
import { REGION, ros } from '../helpers/ros.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';

let server: ServerProcess;
let api: ReturnType<typeof ros>;

before(async () => {
  server = await startServer({ config: { simulation: { stackOperationMs: 0 }, limits: { accountsPerCall: 60, stackInstancesPerGroup: 5000 } } });
  api = ros(rosClient(server.endpoint));
});
after(() => server.stop());

const accountIds = (count: number, from: number) => Array.from({ length: count }, (_, i) => String(1_300_000_000_000_000 - (from + i) * 7919));
const REGIONS = ['cn-beijing', 'cn-hangzhou', 'cn-shanghai', 'cn-shenzhen', 'cn-qingdao', 'cn-zhangjiakou', 'ap-southeast-1', 'us-west-1', 'eu-central-1', 'cn-huhehaote', 'cn-chengdu', 'cn-hongkong', 'ap-northeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-5', 'ap-south-1', 'us-east-1', 'eu-west-1', 'me-east-1'];

async function page(group: string, pageNumber: number) {
  const body = (await api.client.listStackInstances(new $ROS.ListStackInstancesRequest({ regionId: REGION, stackGroupName: group, pageNumber, pageSize: 50 }))).body!;
  return { total: body.totalCount!, keys: body.stackInstances!.map((i) => `${i.accountId}/${i.regionId}`) };
}

async function allPages(group: string): Promise<string[]> {
  const first = await page(group, 1);
  const keys = [...first.keys];
  for (let n = 2; (n - 1) * 50 < first.total; n++) keys.push(...(await page(group, n)).keys);
  assert.equal(keys.length, first.total);
  return keys;
}

const sorted = (keys: string[]) => [...keys].sort((x, y) => {
  const [xa, xr] = x.split('/');
  const [ya, yr] = y.split('/');
  return xa < ya ? -1 : xa > ya ? 1 : xr < yr ? -1 : xr > yr ? 1 : 0;
});

describe('ListStackInstances past 1,000 instances', () => {
  it('pages every instance once, in account then region order, before and after deletes and creates', async () => {
    const g = 'deep';
    await api.createGroup(g);
    await api.waitStatus(await api.createInstances(g, accountIds(60, 0), REGIONS), ['SUCCEEDED']);
    await api.waitStatus(await api.createInstances(g, accountIds(15, 60), REGIONS), ['SUCCEEDED']);
    const before = await allPages(g);
    assert.equal(before.length, 1500);
    assert.deepEqual(before, sorted(before));
    assert.equal(new Set(before).size, 1500);

    // Removing instances that sort first moves every later page.
    const first = before[0].split('/')[0];
    await api.waitStatus(await api.deleteInstances(g, [first], REGIONS, false), ['SUCCEEDED']);
    await api.waitStatus(await api.createInstances(g, ['1000000000000002'], REGIONS.slice(0, 5)), ['SUCCEEDED']);
    const afterChanges = await allPages(g);
    const expected = sorted([...before.filter((k) => !k.startsWith(`${first}/`)), ...REGIONS.slice(0, 5).map((r) => `1000000000000002/${r}`)]);
    assert.deepEqual(afterChanges, expected);
  });
});
