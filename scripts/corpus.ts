// `npm run corpus`: for every type of the resource-type catalogue, two templates synthesised with
// the ROS CDK (core RosResource, ROS property names): one with the required properties, one
// with every property; and the template constructs of corpus-constructs.ts. Each is validated
// (ValidateTemplate), deployed through a stack group and as a standalone stack (CreateStack),
// read back through GetStack, and its outputs checked: attribute outputs against the
// catalogue's kind, construct outputs against their expected values. Prints a summary table of
// outcomes (markdown); docs/fidelity.md records the result.
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
import { type Construct, constructs, wrongOutput } from './corpus-constructs.ts';

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
  variant: 'required' | 'every' | 'construct';
  template?: object;
  // 'ok', or '<what>: <detail>'; the table counts by <what>.
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

type LocalRos = Awaited<ReturnType<typeof startLocalRos>>;
type Client = ReturnType<LocalRos['rosClient']>;
type Output = { OutputKey?: unknown; OutputValue?: unknown };

interface Deployed {
  // 'ok' or what went wrong.
  outcome: string;
  outputs: Output[];
}

const IN_PROGRESS = /_IN_PROGRESS$/;

// Deploys `body` through a stack group (one instance) and reads its stack back.
async function deployInGroup(client: Client, local: LocalRos, name: string, body: string, values: Record<string, string>): Promise<Deployed> {
  const region = local.regionId;
  const parameters = Object.entries(values).map(([parameterKey, parameterValue]) => new $ROS.CreateStackGroupRequestParameters({ parameterKey, parameterValue }));
  await client.createStackGroup(new $ROS.CreateStackGroupRequest({ regionId: region, stackGroupName: name, templateBody: body, parameters }));
  const operationId = (
    await client.createStackInstances(new $ROS.CreateStackInstancesRequest({ regionId: region, stackGroupName: name, accountIds: [local.accountId], regionIds: [region] }))
  ).body!.operationId!;
  let status = 'RUNNING';
  while (status === 'RUNNING' || status === 'QUEUED' || status === 'STOPPING') {
    status = (await client.getStackGroupOperation(new $ROS.GetStackGroupOperationRequest({ regionId: region, operationId }))).body!.stackGroupOperation!.status!;
  }
  if (status !== 'SUCCEEDED') return { outcome: `group deploy: ${status}`, outputs: [] };
  const instance = (
    await client.getStackInstance(
      new $ROS.GetStackInstanceRequest({ regionId: region, stackGroupName: name, stackInstanceAccountId: local.accountId, stackInstanceRegionId: region }),
    )
  ).body!.stackInstance!;
  const stack = (await client.getStack(new $ROS.GetStackRequest({ regionId: region, stackId: instance.stackId! }))).body!;
  return stack.status === 'CREATE_COMPLETE' ? { outcome: 'ok', outputs: stack.outputs ?? [] } : { outcome: `group stack: ${stack.status}`, outputs: [] };
}

// Deploys `body` as a standalone stack (CreateStack) and waits for it.
async function deployAsStack(client: Client, region: string, name: string, body: string, values: Record<string, string>): Promise<Deployed> {
  const parameters = Object.entries(values).map(([parameterKey, parameterValue]) => new $ROS.CreateStackRequestParameters({ parameterKey, parameterValue }));
  const stackId = (await client.createStack(new $ROS.CreateStackRequest({ regionId: region, stackName: name, templateBody: body, parameters }))).body!.stackId!;
  for (;;) {
    const stack = (await client.getStack(new $ROS.GetStackRequest({ regionId: region, stackId }))).body!;
    if (IN_PROGRESS.test(stack.status ?? '')) continue;
    return stack.status === 'CREATE_COMPLETE' ? { outcome: 'ok', outputs: stack.outputs ?? [] } : { outcome: `stack: ${stack.status} ${stack.statusReason}`, outputs: [] };
  }
}

// The attribute outputs (A<attribute>) whose value is not of the catalogue's kind.
function wrongShapes(type: string, outputs: Output[]): string[] {
  const attributes = catalogueType(type)!.attributes;
  return outputs.filter((o) => shapeOf(o.OutputValue) !== attributes[String(o.OutputKey).slice(1)]?.type).map((o) => String(o.OutputKey).slice(1));
}

async function main(): Promise<void> {
  const types = catalogueTypeNames();
  const cases: Case[] = types.flatMap((type) => [{ type, variant: 'required' as const }, { type, variant: 'every' as const }]);
  synthesise(cases);
  const extra = constructs(new URL('../test/fixtures/published-style/', import.meta.url));
  const expected = new Map<Case, Construct>();
  for (const construct of extra) {
    const c: Case = { type: construct.name, variant: 'construct' };
    expected.set(c, construct);
    cases.push(c);
  }
  // Nothing signals the published templates' wait conditions here.
  const local = await startLocalRos({ config: { simulation: { stackOperationMs: 0, waitConditionSignals: false } } });
  const client = local.rosClient();
  const region = local.regionId;
  try {
    let n = 0;
    for (const c of cases) {
      if (c.outcome) continue;
      const construct = expected.get(c);
      const body = construct ? construct.body : JSON.stringify(c.template);
      try {
        await client.validateTemplate(new $ROS.ValidateTemplateRequest({ regionId: region, templateBody: body }));
      } catch (e) {
        c.outcome = `refused: ${(e as { code?: string }).code}`;
        continue;
      }
      // An account holds at most 100 stack groups: start afresh before the limit.
      if (n > 0 && n % 90 === 0) await local.reset();
      const name = `corpus-${n++}`;
      const values = construct?.parameters ?? {};
      let runs: Deployed[];
      try {
        runs = [await deployInGroup(client, local, name, body, values), await deployAsStack(client, region, name, body, values)];
      } catch (e) {
        c.outcome = `refused at deploy: ${(e as { code?: string }).code}`;
        continue;
      }
      const failed = runs.find((r) => r.outcome !== 'ok');
      if (failed) {
        c.outcome = failed.outcome;
        continue;
      }
      const wrong = runs.map((r) => (construct ? wrongOutput(construct.outputs, r.outputs) : wrongShapes(c.type, r.outputs)[0])).find((w) => w !== undefined);
      c.outcome = wrong === undefined ? 'ok' : construct ? `output: ${wrong}` : `attribute shape: ${wrong}`;
    }
  } finally {
    await local.stop();
  }
  const counts = new Map<string, number>();
  for (const c of cases) {
    const key = `| ${c.variant} | ${c.outcome?.split(': ')[0]} |`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  console.log(`${types.length} types, ${cases.length} templates (${extra.length} constructs)\n\n| templates | outcome | count |\n| --- | --- | --- |`);
  for (const [key, count] of [...counts].sort()) console.log(`${key} ${count} |`);
  for (const c of cases.filter((x) => x.outcome !== 'ok')) console.log(`  ${c.variant} ${c.type}: ${c.outcome}`);
}

await main();
