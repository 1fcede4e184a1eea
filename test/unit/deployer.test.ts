// The stack simulation (src/stacks/run/simulate.ts, deploy-work.ts): what one stack action does to
// resources, events, outputs and time, without a server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StackResource } from '../../src/store/repos/stack-resources.ts';
import { createPhases, deletePhases, updatePhases } from '../../src/stacks/run/deploy-work.ts';
import type { Deployment, SimulationInput, Timing } from '../../src/stacks/run/deployment.ts';
import { simulate } from '../../src/stacks/run/simulate.ts';
import { diffTemplates, loadTemplate, planCreate, resolveParameters, type JsonObject, type PseudoParameters } from '../../src/stacks/template/index.ts';

const PSEUDO: PseudoParameters = { StackName: 'StackGroup-g-0123abcd', StackId: '4a6c9851-3b0f-4f5f-b4ca-a14bf6910000', Region: 'cn-beijing', AccountId: '2000000000000002' };
const START = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;

const NETWORK: JsonObject = {
  Parameters: { Size: { Type: 'String', Default: 'small' } },
  Resources: {
    Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8' } },
    VSwitch: { Type: 'ALIYUN::ECS::VSwitch', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.1.0.0/16', ZoneId: 'cn-hangzhou-h' } },
    Sg: { Type: 'ALIYUN::ECS::SecurityGroup', Properties: { VpcId: { Ref: 'Vpc' } } },
    Server: { Type: 'ALIYUN::ECS::Instance', Properties: { VSwitchId: { Ref: 'VSwitch' }, SecurityGroupId: { Ref: 'Sg' }, InstanceType: { Ref: 'Size' } } },
  },
  Outputs: { Ip: { Value: { 'Fn::GetAtt': ['Server', 'PrivateIp'] } }, Vpc: { Value: { Ref: 'Vpc' } } },
};

function withResources(resources: JsonObject, extra: JsonObject = {}): JsonObject {
  return { ...NETWORK, ...extra, Resources: { ...(NETWORK.Resources as JsonObject), ...resources } };
}

function deployed(sections: JsonObject, given: Record<string, string> = {}) {
  const template = loadTemplate(JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', ...sections }));
  const { values } = resolveParameters(template, given, PSEUDO);
  const plan = planCreate(template, values, PSEUDO);
  return { template, values, plan, target: { template: plan.template, conditions: plan.conditions, parameters: values, planned: plan.resources } };
}

const timing = (t: Partial<Timing> = {}): Timing => ({ startMs: START, stackOperationMs: 0, faultDelayMs: 0, timeoutMs: 60 * MINUTE, ...t });

function create(sections: JsonObject, t: Partial<Timing> = {}, disableRollback = false): Deployment {
  const { plan, target } = deployed(sections);
  const input: SimulationInput = { action: 'CREATE', stackId: PSEUDO.StackId, stackName: PSEUDO.StackName, pseudo: PSEUDO, target, existing: [], phases: createPhases(plan), disableRollback };
  return simulate(input, timing(t));
}

function update(before: { sections: JsonObject; given?: Record<string, string>; resources: StackResource[] }, sections: JsonObject, given: Record<string, string> = {}, disableRollback = false): Deployment {
  const previous = deployed(before.sections, before.given);
  const next = deployed(sections, given);
  const modified = new Set(diffTemplates(previous.template, previous.values, next.template, next.values, PSEUDO).modify);
  const input: SimulationInput = {
    action: 'UPDATE',
    stackId: PSEUDO.StackId,
    stackName: PSEUDO.StackName,
    pseudo: PSEUDO,
    target: next.target,
    previous: { template: previous.template, parameters: previous.values },
    existing: before.resources,
    phases: updatePhases(next.plan, modified, before.resources),
    disableRollback,
  };
  return simulate(input, timing());
}

const trail = (d: Deployment) => d.events.map((e) => `${e.logical_resource_id === PSEUDO.StackName ? 'Stack' : e.logical_resource_id} ${e.status}`);
const statuses = (d: Deployment) => Object.fromEntries(d.resources.map((r) => [r.logical_resource_id, r.status]));

describe('creating a stack', () => {
  it('creates resources in dependency order, independent ones together, and resolves outputs', () => {
    const d = create(NETWORK, { stackOperationMs: 3000 });
    assert.equal(d.status, 'CREATE_COMPLETE');
    assert.equal(d.statusReason, 'Stack successfully created');
    assert.deepEqual(trail(d), [
      'Stack CREATE_IN_PROGRESS',
      'Vpc CREATE_IN_PROGRESS',
      'Vpc CREATE_COMPLETE',
      'VSwitch CREATE_IN_PROGRESS',
      'Sg CREATE_IN_PROGRESS',
      'VSwitch CREATE_COMPLETE',
      'Sg CREATE_COMPLETE',
      'Server CREATE_IN_PROGRESS',
      'Server CREATE_COMPLETE',
      'Stack CREATE_COMPLETE',
    ]);
    // stackOperationMs is shared evenly by the three levels.
    assert.equal(d.durationMs, 3000);
    assert.deepEqual(
      d.events.filter((e) => e.status === 'CREATE_COMPLETE').map((e) => e.create_time),
      ['2026-01-01T00:00:01', '2026-01-01T00:00:02', '2026-01-01T00:00:02', '2026-01-01T00:00:03', '2026-01-01T00:00:03'],
    );
    const vpc = d.resources.find((r) => r.logical_resource_id === 'Vpc')!;
    assert.match(vpc.physical_resource_id!, /^vpc-[a-z0-9]{22}$/);
    assert.deepEqual(d.outputs.map((o) => o.OutputKey), ['Ip', 'Vpc']);
    assert.equal(d.outputs[1]!.OutputValue, vpc.physical_resource_id);
    assert.match(String(d.outputs[0]!.OutputValue), /^172\.16\.\d+\.\d+$/);
  });

  it('gives the same stack the same physical ids and attributes every time', () => {
    assert.deepEqual(create(NETWORK).resources, create(NETWORK).resources);
  });

  it('takes stackOperationMs without resources, and delays add on top', () => {
    assert.equal(create({}, { stackOperationMs: 300 }).durationMs, 300);
    const slow = withResources({ Vpc: { Type: 'ALIYUN::ECS::VPC', Metadata: { 'LocalRos::DelayMs': 250 } } });
    assert.equal(create(slow, { stackOperationMs: 300, faultDelayMs: 50 }).durationMs, 600);
    assert.equal(create({}, { stackOperationMs: 0 }).durationMs, 0);
  });
});

describe('a failing create', () => {
  const failing = withResources({
    Sg: { Type: 'ALIYUN::ECS::SecurityGroup', Properties: { VpcId: { Ref: 'Vpc' } }, Metadata: { 'LocalRos::Fail': 'quota exceeded' } },
  });

  it('rolls back: what was created is deleted, dependents first', () => {
    const d = create(failing);
    assert.equal(d.ok, false);
    assert.equal(d.status, 'CREATE_ROLLBACK_COMPLETE');
    assert.equal(d.statusReason, 'Resource CREATE failed: resources.Sg: quota exceeded');
    assert.deepEqual(d.resources, []);
    assert.deepEqual(d.outputs, []);
    assert.deepEqual(trail(d).slice(-10), [
      'Sg CREATE_FAILED',
      'Stack CREATE_FAILED',
      'Stack CREATE_ROLLBACK_IN_PROGRESS',
      'Sg DELETE_IN_PROGRESS',
      'Sg DELETE_COMPLETE',
      'VSwitch DELETE_IN_PROGRESS',
      'VSwitch DELETE_COMPLETE',
      'Vpc DELETE_IN_PROGRESS',
      'Vpc DELETE_COMPLETE',
      'Stack CREATE_ROLLBACK_COMPLETE',
    ]);
  });

  it('without rollback keeps what was created, the failure, and the never-started resources', () => {
    const d = create(failing, {}, true);
    assert.equal(d.status, 'CREATE_FAILED');
    // The sibling of the failed resource finished; the next level never started.
    assert.deepEqual(statuses(d), { Vpc: 'CREATE_COMPLETE', VSwitch: 'CREATE_COMPLETE', Sg: 'CREATE_FAILED', Server: 'INIT_COMPLETE' });
    const sg = d.resources.find((r) => r.logical_resource_id === 'Sg')!;
    assert.equal(sg.physical_resource_id, null);
    assert.equal(sg.status_reason, 'quota exceeded');
    // Outputs that can be resolved still are.
    assert.deepEqual(d.outputs.map((o) => o.OutputKey), ['Vpc']);
  });

  it('times out, failing what is still running', () => {
    const d = create(NETWORK, { stackOperationMs: 150_000, timeoutMs: MINUTE }, true);
    assert.equal(d.status, 'CREATE_FAILED');
    assert.equal(d.statusReason, 'Stack CREATE timed out after 1 minute(s)');
    assert.equal(d.durationMs, MINUTE);
    assert.deepEqual(statuses(d), { Vpc: 'CREATE_COMPLETE', VSwitch: 'CREATE_FAILED', Sg: 'CREATE_FAILED', Server: 'INIT_COMPLETE' });
  });

  it('fails as a whole on a control-plane fault, touching no resource', () => {
    const d = create(NETWORK, { stackOperationMs: 300, faultDelayMs: 20, failMessage: 'role cannot be assumed' });
    assert.equal(d.status, 'CREATE_ROLLBACK_COMPLETE');
    assert.equal(d.statusReason, 'role cannot be assumed');
    assert.equal(d.durationMs, 320);
    assert.deepEqual(trail(d), ['Stack CREATE_IN_PROGRESS', 'Stack CREATE_FAILED', 'Stack CREATE_ROLLBACK_IN_PROGRESS', 'Stack CREATE_ROLLBACK_COMPLETE']);
  });
});

describe('updating a stack', () => {
  const before = { sections: withResources({ Log: { Type: 'ALIYUN::OSS::Bucket', DeletionPolicy: 'Retain', Properties: { BucketName: 'logs' } } }), resources: create(withResources({ Log: { Type: 'ALIYUN::OSS::Bucket', DeletionPolicy: 'Retain', Properties: { BucketName: 'logs' } } })).resources };

  it('changes only what changed: adds, modifies, deletes (keeping Retain resources)', () => {
    const next = withResources({ Role: { Type: 'ALIYUN::RAM::Role', Properties: { RoleName: 'app', AssumeRolePolicyDocument: { Version: '1', Statement: [] } } } });
    const d = update(before, next, { Size: 'large' });
    assert.equal(d.status, 'UPDATE_COMPLETE');
    // Role depends on nothing: it is created in the first phase, Server updated in its own.
    assert.deepEqual(trail(d), [
      'Stack UPDATE_IN_PROGRESS',
      'Role CREATE_IN_PROGRESS',
      'Role CREATE_COMPLETE',
      'Server UPDATE_IN_PROGRESS',
      'Server UPDATE_COMPLETE',
      'Log DELETE_IN_PROGRESS',
      'Log DELETE_COMPLETE',
      'Stack UPDATE_COMPLETE',
    ]);
    assert.match(d.events.find((e) => e.logical_resource_id === 'Log' && e.status === 'DELETE_COMPLETE')!.status_reason!, /Retain/);
    const byId = (list: StackResource[], id: string) => list.find((r) => r.logical_resource_id === id)!;
    assert.deepEqual(byId(d.resources, 'Vpc'), byId(before.resources, 'Vpc'));
    assert.deepEqual(d.resources.map((r) => r.logical_resource_id), ['Vpc', 'VSwitch', 'Sg', 'Server', 'Role']);
  });

  it('rolls a failed update back to what the stack had', () => {
    const next = withResources({
      Role: {
        Type: 'ALIYUN::RAM::Role',
        DependsOn: 'Server',
        Metadata: { 'LocalRos::Fail': 'no permission' },
        Properties: { RoleName: 'app', AssumeRolePolicyDocument: { Version: '1', Statement: [] } },
      },
      Log: { Type: 'ALIYUN::OSS::Bucket', DeletionPolicy: 'Retain', Properties: { BucketName: 'logs' } },
    });
    const d = update(before, next, { Size: 'large' });
    assert.equal(d.status, 'ROLLBACK_COMPLETE');
    assert.equal(d.keepsPrevious, true);
    assert.equal(d.statusReason, 'Resource CREATE failed: resources.Role: no permission');
    assert.deepEqual(
      d.resources.map((r) => [r.logical_resource_id, r.physical_resource_id]),
      before.resources.map((r) => [r.logical_resource_id, r.physical_resource_id]),
    );
    // Server was updated before Role failed: the rollback updates it back.
    assert.deepEqual(trail(d).slice(-8), [
      'Role CREATE_FAILED',
      'Stack UPDATE_FAILED',
      'Stack ROLLBACK_IN_PROGRESS',
      'Role DELETE_IN_PROGRESS',
      'Role DELETE_COMPLETE',
      'Server UPDATE_IN_PROGRESS',
      'Server UPDATE_COMPLETE',
      'Stack ROLLBACK_COMPLETE',
    ]);
    assert.deepEqual(
      d.resources.find((r) => r.logical_resource_id === 'Server')!.attributes,
      before.resources.find((r) => r.logical_resource_id === 'Server')!.attributes,
    );
  });
});

describe('deleting a stack', () => {
  it('deletes dependents first and leaves no resource', () => {
    const resources = create(NETWORK).resources;
    const d = simulate(
      { action: 'DELETE', stackId: PSEUDO.StackId, stackName: PSEUDO.StackName, pseudo: PSEUDO, existing: resources, phases: deletePhases(resources), disableRollback: true },
      timing(),
    );
    assert.equal(d.status, 'DELETE_COMPLETE');
    assert.deepEqual(d.resources, []);
    assert.deepEqual(
      d.events.filter((e) => e.status === 'DELETE_COMPLETE').map((e) => e.logical_resource_id),
      ['Server', 'VSwitch', 'Sg', 'Vpc', PSEUDO.StackName],
    );
  });
});
