// The README's table of every action of the official SDK (issue 12): it lists exactly the SDK's
// actions, "implemented" exactly for those the server's dispatcher implements, and for the others
// the reason the server gives with NotSupported (400).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { compileActions } from '../../src/api/index.ts';
import { UNSUPPORTED_ACTIONS } from '../../src/api/unsupported-actions.ts';
import { $ROS, DEFAULT_CREDENTIALS, rosClient, type RosClient } from '../helpers/clients.ts';
import { REGION, sdkError } from '../helpers/ros.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';

// The action names the SDK's client sends.
function sdkActions(): string[] {
  const client = readFileSync(createRequire(import.meta.url).resolve('@alicloud/ros20190910/dist/client.js'), 'utf8');
  return [...new Set([...client.matchAll(/action: "([A-Za-z]+)"/g)].map((m) => m[1]!))].sort();
}

function readmeTable(): Map<string, string> {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('### Every action of the SDK'));
  const body = section.slice(0, section.indexOf('</details>'));
  const rows = [...body.matchAll(/^\| ([A-Za-z]+) \| (.+) \|$/gm)].filter((m) => m[1] !== 'Action');
  return new Map(rows.map((m) => [m[1]!, m[2]!]));
}

describe('the README action table', () => {
  it('lists every action of the SDK, once', () => {
    const table = readmeTable();
    assert.deepEqual([...table.keys()].sort(), sdkActions());
  });

  it('says implemented exactly for what the dispatcher implements, and gives its NotSupported reason otherwise', () => {
    const dispatcher = compileActions();
    for (const [action, state] of readmeTable()) {
      assert.ok(dispatcher.has(action), `${action} is not dispatched`);
      const why = UNSUPPORTED_ACTIONS[action];
      if (state === 'implemented') assert.equal(why, undefined, `${action} is listed implemented but answers NotSupported`);
      else assert.equal(state, `\`NotSupported\` (400): ${why}`, action);
    }
  });
});

describe('actions not emulated', () => {
  let server: ServerProcess;
  let client: RosClient;
  before(async () => {
    server = await startServer();
    client = rosClient(server.endpoint);
  });
  after(() => server.stop());

  it('answer NotSupported (400) with the reason, after authentication', async () => {
    const err = await sdkError(client.listTemplateVersions(new $ROS.ListTemplateVersionsRequest({ templateId: 'x' })));
    assert.equal(err.code, 'NotSupported');
    assert.equal(err.statusCode, 400);
    assert.equal(err.data!.Message, `ListTemplateVersions (${UNSUPPORTED_ACTIONS.ListTemplateVersions}) is not supported.`);
    const ai = await sdkError(client.getFeatureDetails(new $ROS.GetFeatureDetailsRequest({ regionId: REGION })));
    assert.equal(ai.code, 'NotSupported');
    const forged = await sdkError(rosClient(server.endpoint, { credentials: { ...DEFAULT_CREDENTIALS, accessKeySecret: 'wrong' } }).listSummaries(new $ROS.ListSummariesRequest({})));
    assert.equal(forged.code, 'SignatureDoesNotMatch');
  });
});
