// Random valid and invalid parameter sets against every stack-group action: the server answers
// only documented 4xx codes (never a 5xx), and what is stored stays readable and consistent.
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { ACTION_PARAMS, type ParamDef } from '../../src/api/decode.ts';
import { ERROR_CATALOGUE } from '../../src/protocol/errors.ts';
import { $ROS, rosClient } from '../helpers/clients.ts';
import { v3Request } from '../helpers/raw-client.ts';
import { REGION, ros } from '../helpers/ros.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';

const ACTIONS = [
  'CreateStackGroup', 'UpdateStackGroup', 'DeleteStackGroup', 'GetStackGroup', 'ListStackGroups',
  'CreateStackInstances', 'UpdateStackInstances', 'DeleteStackInstances', 'GetStackInstance', 'ListStackInstances',
  'GetStackGroupOperation', 'ListStackGroupOperations', 'ListStackGroupOperationResults', 'StopStackGroupOperation', 'DescribeRegions',
  'DetectStackGroupDrift', 'ImportStacksToStackGroup',
];
const DOCUMENTED_CODES = new Set(Object.entries(ERROR_CATALOGUE).map(([name, def]) => ('wireCode' in def ? def.wireCode : name)));
const TEMPLATE = JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Parameters: { Env: { Type: 'String', Default: 'dev' } } });

const garbage = fc.oneof(fc.string({ maxLength: 12 }), fc.constant(''), fc.constant('[1,'), fc.constant('{"a":'), fc.constant('-1'), fc.constant('99999999999'));

function valueFor(def: ParamDef): fc.Arbitrary<string> {
  const name = def.name;
  const plausible: Record<string, fc.Arbitrary<string>> = {
    RegionId: fc.constantFrom(REGION, REGION, REGION, 'cn-nowhere'),
    StackGroupName: fc.constantFrom('fz-a', 'fz-b', 'fz-a', 'fz-b', 'fz c'),
    AccountIds: fc.constantFrom('["4001"]', '["4001","4002"]', '["4003"]', '[]', '["x"]', '"4001"'),
    RegionIds: fc.constantFrom('["cn-beijing"]', '["cn-beijing","cn-shanghai"]', '["cn-beijing"]', '[]', '["mars-1"]'),
    TemplateBody: fc.constantFrom(TEMPLATE, TEMPLATE, TEMPLATE, '{}', 'not: [a template', '{"ROSTemplateFormatVersion":"2015-09-01"}'),
    OperationPreferences: fc.constantFrom('{"MaxConcurrentCount":2}', '{"MaxConcurrentCount":0}', '{"FailureToleranceCount":1,"FailureTolerancePercentage":5}', '{"maxconcurrentcount":"3"}', '[]'),
    RetainStacks: fc.constantFrom('true', 'false', 'maybe'),
    PermissionModel: fc.constantFrom('SELF_MANAGED', 'SERVICE_MANAGED', 'OTHER'),
    PageSize: fc.constantFrom('1', '50', '0', '51', 'x'),
    PageNumber: fc.constantFrom('1', '2', '0', 'x'),
    OperationId: fc.constantFrom('00000000-0000-0000-0000-000000000000', ''),
    ClientToken: fc.constantFrom('tok-1', 'tok-2', 'bad token!'),
  };
  return fc.oneof({ weight: 5, arbitrary: plausible[name] ?? fc.string({ maxLength: 8 }) }, { weight: 1, arbitrary: garbage });
}

// A valid request per action; the fuzzer mutates up to three of its parameters at a time.
const group = fc.constantFrom('fz-a', 'fz-b');
const BASES: Record<string, fc.Arbitrary<Record<string, string>>> = {
  CreateStackGroup: group.map((n) => ({ RegionId: REGION, StackGroupName: n, TemplateBody: TEMPLATE })),
  UpdateStackGroup: group.map((n) => ({ RegionId: REGION, StackGroupName: n, TemplateBody: TEMPLATE })),
  DeleteStackGroup: group.map((n) => ({ RegionId: REGION, StackGroupName: n })),
  GetStackGroup: group.map((n) => ({ RegionId: REGION, StackGroupName: n })),
  ListStackGroups: fc.constant({ RegionId: REGION }),
  CreateStackInstances: group.map((n) => ({ RegionId: REGION, StackGroupName: n, AccountIds: '["4001"]', RegionIds: '["cn-beijing"]' })),
  UpdateStackInstances: group.map((n) => ({ RegionId: REGION, StackGroupName: n, AccountIds: '["4001"]', RegionIds: '["cn-beijing"]' })),
  DeleteStackInstances: group.map((n) => ({ RegionId: REGION, StackGroupName: n, AccountIds: '["4001"]', RegionIds: '["cn-beijing"]', RetainStacks: 'false' })),
  GetStackInstance: group.map((n) => ({ RegionId: REGION, StackGroupName: n, StackInstanceAccountId: '4001', StackInstanceRegionId: 'cn-beijing' })),
  ListStackInstances: group.map((n) => ({ RegionId: REGION, StackGroupName: n })),
  GetStackGroupOperation: fc.constant({ RegionId: REGION, OperationId: '00000000-0000-0000-0000-000000000000' }),
  ListStackGroupOperations: group.map((n) => ({ RegionId: REGION, StackGroupName: n })),
  ListStackGroupOperationResults: fc.constant({ RegionId: REGION, OperationId: '00000000-0000-0000-0000-000000000000' }),
  StopStackGroupOperation: fc.constant({ RegionId: REGION, OperationId: '00000000-0000-0000-0000-000000000000' }),
  DescribeRegions: fc.constant({}),
  DetectStackGroupDrift: group.map((n) => ({ RegionId: REGION, StackGroupName: n })),
  ImportStacksToStackGroup: group.map((n) => ({ RegionId: REGION, StackGroupName: n, StackArns: '["acs:ros:cn-beijing:4001:stack/00000000-0000-0000-0000-000000000000"]' })),
};

function paramsFor(action: string): fc.Arbitrary<Record<string, string>> {
  const defs = ACTION_PARAMS[action].filter((d) => d.style !== 'flat');
  const mutation = fc.tuple(fc.constantFrom(...defs), fc.boolean()).chain(([def, drop]): fc.Arbitrary<{ name: string; value?: string }> =>
    drop ? fc.constant({ name: def.name }) : valueFor(def).map((value) => ({ name: def.name, value })),
  );
  return fc.tuple(BASES[action], fc.array(mutation, { maxLength: 3 })).map(([base, mutations]) => {
    const params: Record<string, string> = { ...base };
    for (const m of mutations) {
      if (m.value === undefined) delete params[m.name];
      else params[m.name] = m.value;
    }
    return params;
  });
}

let server: ServerProcess;
before(async () => {
  server = await startServer({ config: { simulation: { stackOperationMs: 0 } } });
});
after(() => server.stop());

it('answers every random request with a documented 4xx code or success, never a 5xx', async () => {
  const successes = new Map<string, number>();
  const request = fc.constantFrom(...ACTIONS).chain((action) => paramsFor(action).map((params) => ({ action, params })));
  await fc.assert(
    fc.asyncProperty(request, async ({ action, params }) => {
      const { TemplateBody, ...query } = params;
      const res = await v3Request(server.url, { action, query, body: TemplateBody !== undefined ? { TemplateBody } : undefined });
      assert.ok(res.status < 500, `${action} ${JSON.stringify(params)} → ${res.status} ${res.text}`);
      assert.match(String(res.json.RequestId), /^[0-9A-F-]{36}$/);
      if (res.status === 200) successes.set(action, (successes.get(action) ?? 0) + 1);
      else {
        assert.ok(DOCUMENTED_CODES.has(String(res.json.Code)), `undocumented code ${res.json.Code}`);
        assert.ok(String(res.json.Message).length > 0);
      }
    }),
    { numRuns: 400, seed: 20261128 },
  );

  // The generator reaches the success paths too, so the state checks below have something to read.
  for (const action of ['CreateStackGroup', 'CreateStackInstances', 'ListStackGroups']) assert.ok(successes.get(action), `no successful ${action}`);

  // What was stored stays consistent: every group reads back, every operation ends, and every
  // result belongs to a target the operation named.
  const api = ros(rosClient(server.endpoint));
  // A group the random requests deleted has nothing to read; any other error is a failure, and
  // the check must have read something (a seed that leaves no group would make it vacuous).
  let groupsChecked = 0;
  let operationsChecked = 0;
  for (const name of ['fz-a', 'fz-b']) {
    let group;
    try {
      group = await api.client.getStackGroup(new $ROS.GetStackGroupRequest({ regionId: REGION, stackGroupName: name }));
    } catch (e) {
      if ((e as { code?: string }).code === 'StackGroupNotFound') continue;
      throw e;
    }
    groupsChecked++;
    assert.equal(group.body!.stackGroup!.stackGroupName, name);
    const ops = await api.client.listStackGroupOperations(
      new $ROS.ListStackGroupOperationsRequest({ regionId: REGION, stackGroupName: name, pageSize: 50 }),
    );
    for (const op of ops.body!.stackGroupOperations!) {
      const done = await api.waitStatus(op.operationId!, ['SUCCEEDED', 'FAILED', 'STOPPED']);
      assert.ok(done.endTime);
      for (const r of await api.results(op.operationId!)) assert.ok(['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(r.status!));
      operationsChecked++;
    }
    for (const i of await api.instances(name)) assert.ok(['CURRENT', 'OUTDATED', 'INOPERABLE'].includes(i.status!));
  }
  assert.ok(groupsChecked > 0, 'no fuzzed group survived to be checked');
  assert.ok(operationsChecked > 0, 'the surviving groups ran no operation to check');
});
