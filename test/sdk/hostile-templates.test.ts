// Hostile templates (issue 18): no template, TemplateURL or pattern may stall, exhaust or crash the
// server. Each answers a template error (400) at once while the server stays responsive.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { $ROS, rosClient, type RosClient } from '../helpers/clients.ts';
import { REGION, sdkError } from '../helpers/ros.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';

const doc = (sections: object): string => JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', ...sections });

let server: ServerProcess;
let client: RosClient;
// A second HTTP service on another loopback port: a template host, a JSON API, a redirector, a firehose.
let other: Server;
let otherUrl: string;
let streamed = 0;
let streamClosed: Promise<void>;

before(async () => {
  server = await startServer({ config: { simulation: { stackOperationMs: 0 } } });
  client = rosClient(server.endpoint);
  let closed!: () => void;
  streamClosed = new Promise((resolve) => (closed = resolve));
  other = createServer((req, res) => {
    if (req.url === '/template.json') return res.end(doc({ Description: 'fetched' }));
    if (req.url === '/api') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ secretKey: 'value' }));
    if (req.url === '/teapot') return res.writeHead(418, 'Secret Status Text').end('{"hidden": true}');
    if (req.url === '/to-self') return res.writeHead(302, { location: `${server.url}/_localros/faults` }).end();
    if (req.url === '/firehose') {
      // No Content-Length: chunked, endless, as fast as the reader takes it.
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk)) streamed += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', closed);
      return pump();
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
});
after(async () => {
  other.closeAllConnections();
  await new Promise((resolve) => other.close(resolve));
  await server.stop();
});

const validateUrl = (templateURL: string) => client.validateTemplate(new $ROS.ValidateTemplateRequest({ regionId: REGION, templateURL }));
const validateBody = (templateBody: string) => client.validateTemplate(new $ROS.ValidateTemplateRequest({ regionId: REGION, templateBody }));

// The time /health takes while `work` runs, and the work's outcome.
async function healthDuring<T>(work: Promise<T>): Promise<{ worstMs: number; outcome: T | Error }> {
  let worstMs = 0;
  let done = false;
  const outcome = work.then(
    (v) => v,
    (e: Error) => e,
  ).finally(() => (done = true));
  // Let the work reach the server first.
  await new Promise((resolve) => setTimeout(resolve, 20));
  do {
    const started = performance.now();
    const res = await fetch(`${server.url}/health`);
    assert.equal(res.status, 200);
    worstMs = Math.max(worstMs, performance.now() - started);
  } while (!done);
  return { worstMs, outcome: await outcome };
}

describe('TemplateURL', () => {
  it('fetches a template from another local port', async () => {
    const res = await validateUrl(`${otherUrl}/template.json`);
    assert.equal(res.body!.description, 'fetched');
  });

  it('stops reading a stream without Content-Length at the size limit', async () => {
    const err = await sdkError(validateUrl(`${otherUrl}/firehose`));
    assert.equal(err.code, 'InvalidParameter');
    assert.match(err.data!.Message!, /TemplateURL.*must be 1 to 524288 bytes/);
    await streamClosed;
    assert.ok(streamed < 16 * 1024 * 1024, `the server read ${streamed} bytes`);
  });

  it('never fetches the server itself, by any of its addresses or through a redirect', async () => {
    const port = new URL(server.url).port;
    for (const url of [
      `${server.url}/_localros/faults`,
      `http://localhost:${port}/_localros/faults`,
      `http://127.0.0.2:${port}/health`,
      `http://[::ffff:127.0.0.1]:${port}/console/`,
      `${otherUrl}/to-self`,
    ]) {
      const err = await sdkError(validateUrl(url));
      assert.equal(err.code, 'InvalidParameter', url);
      assert.match(err.data!.Message!, /points at localros itself/, url);
    }
  });

  it('never echoes what another service answered', async () => {
    for (const path of ['/api', '/teapot']) {
      const err = await sdkError(validateUrl(`${otherUrl}${path}`));
      assert.equal(err.code, 'InvalidParameter');
      assert.doesNotMatch(err.data!.Message!, /secretKey|hidden|418|Secret Status/);
    }
  });
});

describe('template bombs answer a template error', () => {
  it('a YAML alias bomb', async () => {
    const lines = ['ROSTemplateFormatVersion: "2015-09-01"', 'Metadata:', '  a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`  a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const err = await sdkError(validateBody(lines.join('\n')));
    assert.equal(err.statusCode, 400);
    assert.equal(err.code, 'InvalidTemplate');
    assert.match(err.data!.Message!, /aliases expand to more than/);
  });

  it('JSON nested 10,000 levels', async () => {
    const nested = '['.repeat(10_000) + ']'.repeat(10_000);
    const body = `{"ROSTemplateFormatVersion":"2015-09-01","Resources":{"R":{"Type":"ALIYUN::ROS::WaitConditionHandle","Metadata":{"x":${nested}}}}}`;
    const err = await sdkError(validateBody(body));
    assert.equal(err.code, 'InvalidTemplate');
    assert.match(err.data!.Message!, /nested more than 100 levels/);
  });

  it('a Json parameter value nested 10,000 levels', async () => {
    const err = await sdkError(
      client.createStackGroup(
        new $ROS.CreateStackGroupRequest({
          regionId: REGION,
          stackGroupName: 'deep-json',
          templateBody: doc({ Parameters: { J: { Type: 'Json' } } }),
          parameters: [new $ROS.CreateStackGroupRequestParameters({ parameterKey: 'J', parameterValue: '['.repeat(10_000) + ']'.repeat(10_000) })],
        }),
      ),
    );
    assert.equal(err.statusCode, 400);
    assert.equal(err.code, 'StackValidationFailed');
    assert.match(err.data!.Message!, /nested more than 100 levels/);
  });

  it('a 5,000-resource DependsOn cycle', async () => {
    const resources: Record<string, object> = {};
    for (let i = 0; i < 5000; i++) resources[`R${i}`] = { Type: 'ALIYUN::ROS::WaitConditionHandle', DependsOn: `R${(i + 1) % 5000}` };
    const err = await sdkError(validateBody(doc({ Resources: resources })));
    assert.equal(err.code, 'CircularDependency');
    assert.equal(err.data!.Message, 'Circular Dependency Found: Resources: R0 -> R1 -> R2 -> R3 -> R4 -> R5 -> R6 -> R7 -> R8 -> R9 -> … (4990 more) -> R0.');
  });
});

// Parsing YAML costs ~1 ms of CPU per KiB: a large YAML body is read on another thread, with the
// answers and errors a small one gets on the event loop.
describe('a large YAML template', () => {
  const resources: Record<string, object> = {};
  for (let i = 0; i < 250; i++) resources[`Handle${i}`] = { Type: 'ALIYUN::ROS::WaitConditionHandle', ...(i > 0 ? { DependsOn: `Handle${i - 1}` } : {}) };
  const template = { ROSTemplateFormatVersion: '2015-09-01', Description: 'large', Resources: resources };
  // The first large YAML template starts the thread (from the sources: with tsx, seconds on a loaded machine).
  const patient = () => rosClient(server.endpoint, { timeout: 60_000 });
  const validateYaml = (templateBody: string) => patient().validateTemplate(new $ROS.ValidateTemplateRequest({ regionId: REGION, templateBody }));

  it('validates as the same template in JSON does', async () => {
    const yaml = stringify(template);
    assert.ok(yaml.length > 16 * 1024, `${yaml.length} characters`);
    const { requestId: _yamlRequest, ...fromYaml } = (await validateYaml(yaml)).body!;
    const { requestId: _jsonRequest, ...fromJson } = (await validateBody(JSON.stringify(template))).body!;
    assert.equal(fromYaml.description, 'large');
    assert.equal(fromYaml.resources!.length, 250);
    assert.deepEqual(fromYaml, fromJson);
  });

  it('answers the YAML error a small template gets', async () => {
    for (const body of [`${stringify(template)}Description: twice\n`, `Description: twice\nDescription: again\n`]) {
      const err = await sdkError(validateYaml(body));
      assert.equal(err.code, 'InvalidTemplate');
      assert.match(err.data!.Message!, /^The template is not valid YAML: Map keys must be unique at line \d+/);
    }
  });
});

describe('resource limit (300 after Count) at validation', () => {
  const counted = (count: object | number) =>
    doc({ Parameters: { N: { Type: 'Number', Default: 1 } }, Resources: { R: { Type: 'ALIYUN::ROS::WaitConditionHandle', Count: count } } });
  const TOO_MANY = 'The template has more than 300 resources after Count is expanded.';

  it('ValidateTemplate refuses a literal Count, a huge one and too many plain resources', async () => {
    for (const count of [1_000_000, 2 ** 32, 301]) {
      const err = await sdkError(validateBody(counted(count)));
      assert.equal(err.code, 'InvalidTemplate', String(count));
      assert.equal(err.data!.Message, TOO_MANY);
    }
    const plain: Record<string, object> = {};
    for (let i = 0; i < 301; i++) plain[`R${i}`] = { Type: 'ALIYUN::ROS::WaitConditionHandle' };
    assert.equal((await sdkError(validateBody(doc({ Resources: plain })))).data!.Message, TOO_MANY);
    await validateBody(counted(300));
  });

  it('ValidateTemplate counts with the defaults, CreateStackGroup with the given values', async () => {
    const byDefault = doc({ Parameters: { N: { Type: 'Number', Default: 10_000_000 } }, Resources: { R: { Type: 'ALIYUN::ROS::WaitConditionHandle', Count: { Ref: 'N' } } } });
    assert.equal((await sdkError(validateBody(byDefault))).data!.Message, TOO_MANY);
    const err = await sdkError(
      client.createStackGroup(
        new $ROS.CreateStackGroupRequest({
          regionId: REGION,
          stackGroupName: 'counted',
          templateBody: counted({ Ref: 'N' }),
          parameters: [new $ROS.CreateStackGroupRequestParameters({ parameterKey: 'N', parameterValue: '1000000' })],
        }),
      ),
    );
    assert.equal(err.code, 'InvalidTemplate');
    assert.equal(err.data!.Message, TOO_MANY);
  });
});

describe('AllowedPattern', () => {
  it('a catastrophic pattern neither blocks other requests nor the validation', async () => {
    const template = doc({ Parameters: { P: { Type: 'String', AllowedPattern: '(a+)+b', Default: 'a'.repeat(32) } } });
    const { worstMs, outcome } = await healthDuring(validateBody(template));
    const err = outcome as { code?: string; data?: { Message?: string } };
    assert.equal(err.code, 'InvalidTemplate');
    assert.match(err.data!.Message!, /does not match pattern/);
    // Generous for a loaded machine: a backtracking engine takes ~20 s on 32 characters here.
    assert.ok(worstMs < 3000, `/health took ${worstMs} ms`);
  });

  // A backtracking engine runs for minutes on this: the timeout makes that a failure, not a hang.
  it('Fn::MatchPattern with a catastrophic pattern neither blocks other requests nor the stack', { timeout: 60_000 }, async () => {
    const template = doc({ Outputs: { M: { Value: { 'Fn::MatchPattern': ['(a+)+b', 'a'.repeat(32)] } } } });
    const deployed = (async () => {
      const stackId = (await client.createStack(new $ROS.CreateStackRequest({ regionId: REGION, stackName: 'match-pattern', templateBody: template }))).body!.stackId!;
      for (;;) {
        const stack = (await client.getStack(new $ROS.GetStackRequest({ regionId: REGION, stackId }))).body!;
        if (!stack.status!.endsWith('_IN_PROGRESS')) return stack;
      }
    })();
    const { worstMs, outcome } = await healthDuring(deployed);
    assert.ok(!(outcome instanceof Error), String(outcome));
    assert.equal(outcome.status, 'CREATE_COMPLETE');
    assert.deepEqual(outcome.outputs!.map((o) => [o.OutputKey, o.OutputValue]), [['M', false]]);
    assert.ok(worstMs < 3000, `/health took ${worstMs} ms`);
  });

  it('accepts the Java dialect: escaped punctuation inside and outside classes', async () => {
    const template = doc({ Parameters: { P: { Type: 'String', AllowedPattern: '[\\w\\&\\!\\@\\-]+\\&\\-', Default: 'a&!@-b&-' } } });
    const res = await validateBody(template);
    assert.equal(res.body!.parameters!.length, 1);
  });
});
