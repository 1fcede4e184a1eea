// `npm run corpus`: for every type of the resource-type catalogue, two templates synthesised with
// the ROS CDK (core RosResource, ROS property names): one with the required properties, one
// with every property; each is validated (ValidateTemplate), deployed as a stack through a stack
// group, read back through the stack API (GetStack), and each attribute output is checked against
// the catalogue's kind. Prints a summary table of outcomes; docs/fidelity.md records the result.
// Values are made from each property's schema (first allowed value, minimum of a range, a string
// meeting the length and pattern); a property no candidate value can satisfy is an outcome of
// its own ("no value"), not a failure of localros.
import * as ros from '@alicloud/ros-cdk-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogueTypeNames, catalogueType } from '../src/stacks/resource-types/catalogue.ts';
import type { AttributeKind, PropertySchema } from '../src/stacks/resource-types/schema.ts';
import { $ROS, startLocalRos } from '../src/testing/index.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const STRING_CANDIDATES = ['test-value', 'a', 'abc', 'Test1234', 'test_value', '10.0.0.0/24', 'Test-Pass-1234!', 'cn-hangzhou', 'http://example.com', '2026-01-01T00:00:00Z', '1'];

class NoValue extends Error {}

function stringFor(schema: PropertySchema, name: string): string {
  const ok = (s: string) =>
    (schema.minLength === undefined || s.length >= schema.minLength) &&
    (schema.maxLength === undefined || s.length <= schema.maxLength) &&
    (schema.pattern === undefined || new RegExp(schema.pattern).test(s));
  const padded = schema.minLength ? ['a'.repeat(schema.minLength)] : [];
  const found = [...STRING_CANDIDATES, ...padded].find(ok);
  if (found === undefined) throw new NoValue(name);
  return found;
}

function valueFor(schema: PropertySchema, name: string, every: boolean): Json {
  if (schema.allowed) return schema.allowed[0]!;
  switch (schema.type) {
    case 'string':
      return stringFor(schema, name);
    case 'number':
      return schema.min ?? (schema.max !== undefined ? Math.min(1, schema.max) : 1);
    case 'boolean':
      return true;
    case 'any':
      return 'value';
    case 'list': {
      const count = Math.max(1, schema.minLength ?? 1);
      return Array.from({ length: count }, () => (schema.items ? valueFor(schema.items, `${name}[]`, every) : 'item'));
    }
    case 'map':
      return { key: schema.items ? valueFor(schema.items, `${name}.key`, every) : 'value' };
    case 'object':
      return membersFor(schema.properties ?? {}, every, name);
  }
}

function membersFor(properties: Record<string, PropertySchema>, every: boolean, where = ''): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [name, schema] of Object.entries(properties)) {
    if (schema.required || every) out[name] = valueFor(schema, where ? `${where}.${name}` : name, every);
  }
  return out;
}

function shapeOf(value: unknown): AttributeKind | 'other' {
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object' && value !== null) return 'map';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  return 'other';
}

interface Case {
  type: string;
  variant: 'required' | 'every';
  template?: object;
  outcome?: string;
}

// Synthesises every case's template with the ROS CDK: one Stack per case, one app.synth().
function synthesise(cases: Case[]): void {
  const outdir = mkdtempSync(join(tmpdir(), 'localros-corpus-'));
  try {
    const app = new ros.App({ outdir });
    const stacks = new Map<Case, ros.Stack>();
    cases.forEach((c, i) => {
      const schema = catalogueType(c.type)!;
      let properties: { [key: string]: Json };
      try {
        properties = membersFor(schema.properties, c.variant === 'every');
      } catch (e) {
        if (!(e instanceof NoValue)) throw e;
        c.outcome = 'no value';
        return;
      }
      const stack = new ros.Stack(app, `Corpus${i}`);
      const resource = new ros.RosResource(stack, 'R', { type: c.type, properties });
      for (const attribute of Object.keys(schema.attributes)) new ros.RosOutput(stack, `A${attribute}`, { value: resource.getAtt(attribute) });
      stacks.set(c, stack);
    });
    const assembly = app.synth();
    for (const [c, stack] of stacks) c.template = assembly.getStackByName(stack.stackName).template as object;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const types = catalogueTypeNames();
  const cases: Case[] = types.flatMap((type) => [{ type, variant: 'required' as const }, { type, variant: 'every' as const }]);
  synthesise(cases);
  const local = await startLocalRos({ config: { simulation: { stackOperationMs: 0 } } });
  const client = local.rosClient();
  const region = local.regionId;
  try {
    let n = 0;
    for (const c of cases) {
      if (c.outcome) continue;
      const body = JSON.stringify(c.template);
      try {
        await client.validateTemplate(new $ROS.ValidateTemplateRequest({ regionId: region, templateBody: body }));
      } catch (e) {
        c.outcome = `refused: ${(e as { code?: string }).code}`;
        continue;
      }
      // An account holds at most 100 stack groups: start afresh before the limit.
      if (n > 0 && n % 90 === 0) await local.reset();
      const group = `corpus-${n++}`;
      await client.createStackGroup(new $ROS.CreateStackGroupRequest({ regionId: region, stackGroupName: group, templateBody: body }));
      const operationId = (
        await client.createStackInstances(new $ROS.CreateStackInstancesRequest({ regionId: region, stackGroupName: group, accountIds: [local.accountId], regionIds: [region] }))
      ).body!.operationId!;
      let status = 'RUNNING';
      while (status === 'RUNNING' || status === 'QUEUED' || status === 'STOPPING') {
        status = (await client.getStackGroupOperation(new $ROS.GetStackGroupOperationRequest({ regionId: region, operationId }))).body!.stackGroupOperation!.status!;
      }
      if (status !== 'SUCCEEDED') {
        c.outcome = `deploy ${status}`;
        continue;
      }
      const instance = (
        await client.getStackInstance(
          new $ROS.GetStackInstanceRequest({ regionId: region, stackGroupName: group, stackInstanceAccountId: local.accountId, stackInstanceRegionId: region }),
        )
      ).body!.stackInstance!;
      const stack = (await client.getStack(new $ROS.GetStackRequest({ regionId: region, stackId: instance.stackId! }))).body!;
      const attributes = catalogueType(c.type)!.attributes;
      const wrong = (stack.outputs ?? []).filter((o) => {
        const name = String(o.OutputKey).slice(1);
        return shapeOf(o.OutputValue) !== attributes[name]?.type;
      });
      c.outcome = stack.status !== 'CREATE_COMPLETE' ? `stack ${stack.status}` : wrong.length > 0 ? 'attribute shape' : 'ok';
    }
  } finally {
    await local.stop();
  }
  const counts = new Map<string, number>();
  for (const c of cases) counts.set(`${c.variant}\t${c.outcome}`, (counts.get(`${c.variant}\t${c.outcome}`) ?? 0) + 1);
  console.log(`${types.length} types, ${cases.length} templates\n\nvariant\toutcome\tcount`);
  for (const [key, count] of [...counts].sort()) console.log(`${key}\t${count}`);
  for (const c of cases.filter((x) => x.outcome !== 'ok')) console.log(`  ${c.variant} ${c.type}: ${c.outcome}`);
}

await main();
