// StackPolicyURL / StackPolicyDuringUpdateURL (issue 12): fetched as a TemplateURL is, then
// enforced like the matching *Body parameter.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { $ROS, rosClient, type RosClient } from '../helpers/clients.ts';
import { waitFor } from '../helpers/control.ts';
import { REGION, sdkError } from '../helpers/ros.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';
import { serveHttp, type HttpFixture } from '../helpers/http-fixture.ts';

const template = (cidr: string) =>
  JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: cidr } } } });
const DENY_ALL = JSON.stringify({ Statement: [{ Effect: 'Deny', Action: 'Update:*', Resource: '*' }] });
const ALLOW_ALL = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'Update:*', Resource: '*' }] });

let server: ServerProcess;
let client: RosClient;
let policies: HttpFixture;
let base = '';

before(async () => {
  server = await startServer({ config: { simulation: { stackOperationMs: 0 } } });
  client = rosClient(server.endpoint);
  policies = await serveHttp((req, res) => {
    if (req.url === '/deny.json') res.end(DENY_ALL);
    else if (req.url === '/allow.json') res.end(ALLOW_ALL);
    else res.writeHead(404).end();
  });
  base = policies.url;
});
after(async () => {
  await server.stop();
  await policies.close();
});

const getStack = async (stackId: string) => (await client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!;
const settled = (stackId: string) => waitFor(() => getStack(stackId), (s) => !s.status!.endsWith('_IN_PROGRESS'));
const policyOf = async (stackId: string) => (await client.getStackPolicy(new $ROS.GetStackPolicyRequest({ regionId: REGION, stackId }))).body!.stackPolicyBody;

describe('policy URLs', () => {
  it('CreateStack StackPolicyURL sets the fetched policy, which denies the update; StackPolicyDuringUpdateURL lifts it once', async () => {
    const stackId = (await client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: 'policy-url', templateBody: template('10.0.0.0/8'), stackPolicyURL: `${base}/deny.json` }))).body!.stackId!;
    await settled(stackId);
    assert.deepEqual(await policyOf(stackId), JSON.parse(DENY_ALL));
    await client.updateStack(new $ROS.UpdateStackRequest({ regionId: REGION, stackId, templateBody: template('172.16.0.0/12') }));
    const denied = await settled(stackId);
    assert.equal(denied.status, 'ROLLBACK_COMPLETE');
    assert.match(denied.statusReason!, /Action denied by stack policy: Update:Modify on resources\.Vpc/);
    await client.updateStack(new $ROS.UpdateStackRequest({ regionId: REGION, stackId, templateBody: template('172.16.0.0/12'), stackPolicyDuringUpdateURL: `${base}/allow.json` }));
    assert.equal((await settled(stackId)).status, 'UPDATE_COMPLETE');
    await client.setStackPolicy(new $ROS.SetStackPolicyRequest({ regionId: REGION, stackId, stackPolicyURL: `${base}/allow.json` }));
    assert.deepEqual(await policyOf(stackId), JSON.parse(ALLOW_ALL));
  });

  it('answers InvalidParameter naming the parameter when the policy cannot be fetched', async () => {
    const err = await sdkError(client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: 'policy-404', templateBody: template('10.0.0.0/8'), stackPolicyURL: `${base}/missing.json` })));
    assert.equal(err.code, 'InvalidParameter');
    assert.match(err.data!.Message!, /StackPolicyURL.*the policy could not be fetched/);
    const own = await sdkError(client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: 'policy-own', templateBody: template('10.0.0.0/8'), stackPolicyURL: `${server.url}/health` })));
    assert.equal(own.code, 'InvalidParameter');
    assert.match(own.data!.Message!, /StackPolicyURL.*points at localros itself/);
  });
});
