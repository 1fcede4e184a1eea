// A small "rollout tool", the kind of code localros exists to test: it deploys a template to
// accounts × regions through a stack group and follows the operation to its end. It knows
// nothing about localros; it only takes an SDK client.
import * as $ROS from '@alicloud/ros20190910';

export type RosClient = InstanceType<typeof $ROS.default.default>;

export interface RolloutPlan {
  stackGroupName: string;
  templateBody: string;
  accountIds: string[];
  regionIds: string[];
  /** Accounts deployed at once in each region. */
  maxConcurrentCount?: number;
  /** Failed accounts tolerated per region before the operation fails. */
  failureToleranceCount?: number;
}

export interface RolloutOptions {
  /** Region of the stack group. */
  regionId: string;
  /** How often wait() polls the operation; 1 s by default. */
  pollIntervalMs?: number;
  /** Called with the operation's status after each poll. */
  onProgress?: (status: string) => void;
}

export interface TargetResult {
  accountId: string;
  regionId: string;
  status: string;
  reason?: string;
}

export interface RolloutResult {
  operationId: string;
  status: string;
  targets: TargetResult[];
}

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'STOPPED']);

export class Rollout {
  constructor(
    private readonly client: RosClient,
    readonly operationId: string,
    private readonly opts: RolloutOptions,
  ) {}

  async status(): Promise<string> {
    const res = await this.client.getStackGroupOperation(new $ROS.GetStackGroupOperationRequest({ regionId: this.opts.regionId, operationId: this.operationId }));
    return res.body!.stackGroupOperation!.status!;
  }

  /** Asks ROS to stop; targets in flight finish, the others are cancelled. A finished rollout stays as it is. */
  async stop(): Promise<void> {
    try {
      await this.client.stopStackGroupOperation(new $ROS.StopStackGroupOperationRequest({ regionId: this.opts.regionId, operationId: this.operationId }));
    } catch (e) {
      // Racing the operation's own end is not an error for the caller.
      if (!FINAL.has(await this.status())) throw e;
    }
  }

  /** Polls until the operation ends, then answers each target's outcome. */
  async wait(): Promise<RolloutResult> {
    for (;;) {
      const status = await this.status();
      this.opts.onProgress?.(status);
      if (FINAL.has(status)) return { operationId: this.operationId, status, targets: await this.targets() };
      await new Promise((r) => setTimeout(r, this.opts.pollIntervalMs ?? 1000));
    }
  }

  private async targets(): Promise<TargetResult[]> {
    const out: TargetResult[] = [];
    for (let pageNumber = 1; ; pageNumber++) {
      const body = (
        await this.client.listStackGroupOperationResults(
          new $ROS.ListStackGroupOperationResultsRequest({ regionId: this.opts.regionId, operationId: this.operationId, pageNumber, pageSize: 50 }),
        )
      ).body!;
      const page = body.stackGroupOperationResults ?? [];
      out.push(...page.map((r) => ({ accountId: r.accountId!, regionId: r.regionId!, status: r.status!, ...(r.statusReason ? { reason: r.statusReason } : {}) })));
      if (page.length === 0 || out.length >= body.totalCount!) return out;
    }
  }
}

/** Creates the stack group (or reuses it) and starts deploying its instances. */
export async function startRollout(client: RosClient, plan: RolloutPlan, opts: RolloutOptions): Promise<Rollout> {
  try {
    await client.createStackGroup(
      new $ROS.CreateStackGroupRequest({ regionId: opts.regionId, stackGroupName: plan.stackGroupName, templateBody: plan.templateBody }),
    );
  } catch (e) {
    if ((e as { code?: string }).code !== 'StackGroupExists') throw e;
  }
  const preferences: Record<string, number> = {};
  if (plan.maxConcurrentCount !== undefined) preferences.MaxConcurrentCount = plan.maxConcurrentCount;
  if (plan.failureToleranceCount !== undefined) preferences.FailureToleranceCount = plan.failureToleranceCount;
  const res = await client.createStackInstances(
    new $ROS.CreateStackInstancesRequest({
      regionId: opts.regionId,
      stackGroupName: plan.stackGroupName,
      accountIds: plan.accountIds,
      regionIds: plan.regionIds,
      operationPreferences: preferences,
    }),
  );
  return new Rollout(client, res.body!.operationId!, opts);
}
