// Change sets computed with no simulated time (src/engine/change-set-creation.ts): with
// `simulation.stackOperationMs` 0 a change set is computed without any clock time passing, still
// answered CREATE_PENDING first (test/engine/change-sets.test.ts covers the timed phases).
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { $ROS } from '../helpers/clients.ts';
import { waitFor } from '../helpers/control.ts';
import { REGION } from '../helpers/ros.ts';
import { startEngine, type EngineHarness } from './harness.ts';

const VPC = JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' } } } });

let h: EngineHarness;
before(async () => (h = await startEngine()));
after(() => h.stop());

it('computes a change set without clock time when stack operations take none', async () => {
  const started = h.clock.now();
  const request = new $ROS.CreateChangeSetRequest({ regionId: REGION, changeSetName: 'cs', changeSetType: 'CREATE', stackName: 'instant', templateBody: VPC });
  const changeSetId = (await h.api.client.createChangeSet(request)).body!.changeSetId!;
  const done = await waitFor(async () => (await h.api.client.getChangeSet(new $ROS.GetChangeSetRequest({ regionId: REGION, changeSetId }))).body!, (c) => c.status !== 'CREATE_PENDING' && c.status !== 'CREATE_IN_PROGRESS');
  assert.equal(done.status, 'CREATE_COMPLETE', done.statusReason);
  assert.equal(done.executionStatus, 'AVAILABLE');
  assert.equal(h.clock.now(), started);
  assert.equal(h.clock.sleeping, 0);
});
