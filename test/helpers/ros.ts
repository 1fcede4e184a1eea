// Short forms of the SDK calls the stack-group tests repeat. Everything goes through the
// official client; nothing reads the server's state another way.
import { $ROS, type RosClient } from './clients.ts';
import { waitFor } from './control.ts';
import { onPostgres } from './pg-store.ts';

export const REGION = 'cn-hangzhou';
export const SIMPLE_TEMPLATE = JSON.stringify({
  ROSTemplateFormatVersion: '2015-09-01',
  Parameters: { Env: { Type: 'String', Default: 'dev' } },
});

export interface SdkError {
  code: string;
  statusCode: number;
  message: string;
  data?: { Message?: string };
}

export async function sdkError(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (e) {
    return e as SdkError;
  }
  throw new Error('expected the call to fail');
}

export function ros(client: RosClient) {
  return {
    client,
    createGroup(name: string, extra: Partial<$ROS.CreateStackGroupRequest> = {}) {
      return client.createStackGroup(new $ROS.CreateStackGroupRequest({ regionId: REGION, stackGroupName: name, templateBody: SIMPLE_TEMPLATE, ...extra }));
    },
    async createInstances(group: string, accountIds: string[], regionIds: string[], extra: Partial<$ROS.CreateStackInstancesRequest> = {}): Promise<string> {
      const res = await client.createStackInstances(
        new $ROS.CreateStackInstancesRequest({ regionId: REGION, stackGroupName: group, accountIds, regionIds, ...extra }),
      );
      return res.body!.operationId!;
    },
    async updateInstances(group: string, accountIds: string[], regionIds: string[], extra: Partial<$ROS.UpdateStackInstancesRequest> = {}): Promise<string> {
      const res = await client.updateStackInstances(
        new $ROS.UpdateStackInstancesRequest({ regionId: REGION, stackGroupName: group, accountIds, regionIds, ...extra }),
      );
      return res.body!.operationId!;
    },
    async deleteInstances(group: string, accountIds: string[], regionIds: string[], retainStacks: boolean, extra: Partial<$ROS.DeleteStackInstancesRequest> = {}): Promise<string> {
      const res = await client.deleteStackInstances(
        new $ROS.DeleteStackInstancesRequest({ regionId: REGION, stackGroupName: group, accountIds, regionIds, retainStacks, ...extra }),
      );
      return res.body!.operationId!;
    },
    async operation(operationId: string) {
      return (await client.getStackGroupOperation(new $ROS.GetStackGroupOperationRequest({ regionId: REGION, operationId }))).body!.stackGroupOperation!;
    },
    async results(operationId: string) {
      const out: $ROS.ListStackGroupOperationResultsResponseBodyStackGroupOperationResults[] = [];
      for (let page = 1; ; page++) {
        const body = (
          await client.listStackGroupOperationResults(new $ROS.ListStackGroupOperationResultsRequest({ regionId: REGION, operationId, pageNumber: page, pageSize: 50 }))
        ).body!;
        out.push(...body.stackGroupOperationResults!);
        if (out.length >= body.totalCount!) return out;
      }
    },
    async instances(group: string) {
      const out: $ROS.ListStackInstancesResponseBodyStackInstances[] = [];
      for (let page = 1; ; page++) {
        const body = (await client.listStackInstances(new $ROS.ListStackInstancesRequest({ regionId: REGION, stackGroupName: group, pageNumber: page, pageSize: 50 }))).body!;
        out.push(...body.stackInstances!);
        if (out.length >= body.totalCount!) return out;
      }
    },
    async instance(group: string, accountId: string, regionId: string) {
      return (
        await client.getStackInstance(
          new $ROS.GetStackInstanceRequest({ regionId: REGION, stackGroupName: group, stackInstanceAccountId: accountId, stackInstanceRegionId: regionId }),
        )
      ).body!.stackInstance!;
    },
    stop(operationId: string) {
      return client.stopStackGroupOperation(new $ROS.StopStackGroupOperationRequest({ regionId: REGION, operationId }));
    },
    // On PostgreSQL each engine turn is several network round trips: a 1,500-target rollout with
    // a window of 1 takes several times longer than in-process SQLite on a loaded machine.
    async waitStatus(operationId: string, statuses: string[], timeoutMs = onPostgres ? 60_000 : 15_000) {
      return waitFor(() => this.operation(operationId), (op) => statuses.includes(op.status!), timeoutMs);
    },
  };
}

// "account/region → status" for compact assertions.
export function byTarget<T extends { accountId?: string; regionId?: string }>(rows: T[], pick: (r: T) => unknown): Record<string, unknown> {
  return Object.fromEntries(rows.map((r) => [`${r.accountId}/${r.regionId}`, pick(r)]));
}
