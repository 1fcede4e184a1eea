// The rollout tool's command line, configured the way SDK code usually is: from the
// environment. Against the cloud it needs only credentials; `localros exec` also sets
// LOCALROS_ENDPOINT, which points it at the local server:
//
//   npx localros exec -- node --import tsx examples/rollout-tool/main.ts demo 1000000000000001 cn-beijing,cn-shanghai
//
// SIGINT / SIGTERM stop the rollout (StopStackGroupOperation) and wait for it to settle.
import * as $ROS from '@alicloud/ros20190910';
import * as $OpenApi from '@alicloud/openapi-core';
import { startRollout, type RosClient } from './rollout.ts';

const TEMPLATE = JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01' });
const [group, accounts, regions] = process.argv.slice(2);
if (!group || !accounts || !regions) {
  process.stderr.write('usage: main.ts <stack group> <account,…> <region,…>\n');
  process.exit(2);
}

const local = process.env.LOCALROS_ENDPOINT;
const regionId = process.env.ALIBABA_CLOUD_REGION_ID ?? 'cn-hangzhou';
// The SDK is CommonJS; loaded from ESM its client class can arrive one `default` deeper.
const Client = ($ROS.default.default ?? $ROS.default) as typeof $ROS.default.default;
const client: RosClient = new Client(
  new $OpenApi.$OpenApiUtil.Config({
    accessKeyId: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID,
    accessKeySecret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
    endpoint: local ?? 'ros.aliyuncs.com',
    protocol: local ? 'http' : 'https',
    regionId,
  }),
);

const rollout = await startRollout(
  client,
  { stackGroupName: group, templateBody: TEMPLATE, accountIds: accounts.split(','), regionIds: regions.split(','), maxConcurrentCount: 1 },
  { regionId, pollIntervalMs: 200, onProgress: (status) => process.stdout.write(`${status}\n`) },
);
process.stdout.write(`operation ${rollout.operationId}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stdout.write(`${signal}: stopping\n`);
    rollout.stop().catch((e: unknown) => process.stderr.write(`stop failed: ${String(e)}\n`));
  });
}
const result = await rollout.wait();
for (const t of result.targets) process.stdout.write(`${t.accountId} ${t.regionId} ${t.status}${t.reason ? ` (${t.reason})` : ''}\n`);
process.exit(result.status === 'SUCCEEDED' ? 0 : 1);
