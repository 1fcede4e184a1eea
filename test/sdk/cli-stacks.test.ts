// `localros stacks list|show [--watch]` (issue 12) run as a user runs them, against a live server:
// tables by default, --json on request, exit code 3 from --watch when a stack does not complete.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { $ROS, startLocalRos, type LocalRos } from 'localros/testing';
import { cli, spawnCli, until } from '../helpers/cli.ts';

const TEMPLATE = JSON.stringify({
  ROSTemplateFormatVersion: '2015-09-01',
  Parameters: { Env: { Type: 'String', Default: 'dev' } },
  Resources: {
    Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' } },
    Sg: { Type: 'ALIYUN::ECS::SecurityGroup', Properties: { VpcId: { Ref: 'Vpc' } } },
  },
  Outputs: { VpcId: { Value: { Ref: 'Vpc' } } },
});

describe('localros stacks', () => {
  let ros: LocalRos;
  let env: Record<string, string>;
  before(async () => {
    ros = await startLocalRos({ config: { simulation: { stackOperationMs: 0 } } });
    env = { LOCALROS_ENDPOINT: ros.endpoint };
  });
  after(() => ros.stop());

  async function deploy(group: string): Promise<{ operationId: string }> {
    const client = ros.rosClient();
    await client.createStackGroup(new $ROS.CreateStackGroupRequest({ regionId: ros.regionId, stackGroupName: group, templateBody: TEMPLATE }));
    const res = await client.createStackInstances(
      new $ROS.CreateStackInstancesRequest({ regionId: ros.regionId, stackGroupName: group, accountIds: [ros.accountId], regionIds: [ros.regionId] }),
    );
    return { operationId: res.body!.operationId! };
  }

  async function stackOf(group: string): Promise<string> {
    const client = ros.rosClient();
    for (;;) {
      const [instance] = (await client.listStackInstances(new $ROS.ListStackInstancesRequest({ regionId: ros.regionId, stackGroupName: group }))).body!.stackInstances!;
      if (instance?.stackId) return instance.stackId;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it('show --watch follows a stack to CREATE_COMPLETE; list and show print it, with tags and drift', async () => {
    const hold = await ros.faults.hold({ stackGroupName: 'web' }, { times: 1 });
    await deploy('web');
    await hold.waitHeld(1);
    const stackId = await stackOf('web');

    const watch = spawnCli(['stacks', 'show', stackId, '--watch', '--interval', '20'], env);
    await until(() => watch.run.stdout.includes('\n') || watch.run.stderr !== '', 'the first progress line', 90_000);
    assert.equal(watch.run.stderr, '');
    assert.equal(watch.run.stdout, 'CREATE_IN_PROGRESS [....................] 0/0 resources\n');
    await hold.release();
    const watched = await watch.done;
    assert.equal(watched.code, 0, watched.stderr);
    assert.match(watched.stdout, /^CREATE_COMPLETE \[#{20}\] 2\/2 resources  2 create_complete$/m);
    assert.match(watched.stdout, /^Status\s+CREATE_COMPLETE$/m);
    assert.match(watched.stdout, /^Parameters\s+Env=dev$/m);
    assert.match(watched.stdout, /^RESOURCE\s+TYPE\s+STATUS\s+DRIFT\s+PHYSICAL ID$/m);
    assert.match(watched.stdout, /^Sg\s+ALIYUN::ECS::SecurityGroup\s+CREATE_COMPLETE\s+NOT_CHECKED\s+sg-\S+$/m);
    assert.match(watched.stdout, /^VpcId\s+vpc-\S+$/m);
    assert.match(watched.stdout, /^\S+\s+StackGroup-web-\S+\s+CREATE_COMPLETE\s+Stack CREATE completed successfully$/m);

    const client = ros.rosClient();
    await client.tagResources(new $ROS.TagResourcesRequest({ regionId: ros.regionId, resourceType: 'stack', resourceId: [stackId], tag: [new $ROS.TagResourcesRequestTag({ key: 'team', value: 'web' })] }));
    await client.detectStackDrift(new $ROS.DetectStackDriftRequest({ regionId: ros.regionId, stackId }));
    const [list, tagged, none, show] = await Promise.all([
      cli(['stacks', 'list'], env),
      cli(['stacks', 'list', '--tag', 'team=web', '--json'], env),
      cli(['stacks', 'list', '--tag', 'team=db'], env),
      cli(['stacks', 'show', stackId, '--json'], env),
    ]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^STACK ID\s+NAME\s+STATUS\s+DRIFT\s+CREATED\s+UPDATED\n/);
    assert.match(list.stdout, new RegExp(`\\n${stackId}\\s+StackGroup-web-\\S+\\s+CREATE_COMPLETE\\s+IN_SYNC\\s+\\S+`));
    assert.deepEqual(JSON.parse(tagged.stdout).map((s: { StackId: string }) => s.StackId), [stackId]);
    assert.equal(none.stdout, `no stacks in ${ros.regionId}\n`);
    const json = JSON.parse(show.stdout);
    assert.deepEqual(json.Stack.Tags, [{ Key: 'team', Value: 'web' }]);
    assert.deepEqual(json.Resources.map((r: { ResourceDriftStatus: string }) => r.ResourceDriftStatus), ['IN_SYNC', 'IN_SYNC']);
    assert.ok(json.Events.length > 0);
  });

  it('show --watch exits with 3 when the stack fails, and errors are one line with exit code 1', async () => {
    await ros.faults.fail({ stackGroupName: 'broken' }, 'quota exceeded', { times: 1 });
    const hold = await ros.faults.hold({ stackGroupName: 'broken' }, { times: 1 });
    await deploy('broken');
    await hold.waitHeld(1);
    const stackId = await stackOf('broken');
    const watch = spawnCli(['stacks', 'show', stackId, '--watch', '--interval', '20'], env);
    await until(() => watch.run.stdout.includes('\n') || watch.run.stderr !== '', 'the first progress line', 90_000);
    assert.equal(watch.run.stderr, '');
    await hold.release();
    const watched = await watch.done;
    assert.equal(watched.code, 3, watched.stdout);
    assert.match(watched.stdout, /^Status\s+CREATE_ROLLBACK_COMPLETE$/m);
    assert.match(watched.stdout, /^Reason\s+quota exceeded$/m);

    const missing = await cli(['stacks', 'show', 'no-such-stack'], env);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'localros: StackNotFound: The Stack (no-such-stack) could not be found.\n');
  });
});
