// The control plane's reset empties every table of the store, read from the schema (a new
// table cannot be forgotten), and the server goes on working afterwards.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { createServer, type LocalRosServer } from '../../src/server.ts';
import { createRosClient } from '../../src/client/ros-client.ts';
import { ros } from '../helpers/ros.ts';

describe('reset', () => {
  let server: LocalRosServer;
  let url: string;

  before(async () => {
    const config = loadConfig({ flags: { port: 0, inMemory: true, logLevel: 'warn', simulation: { stackOperationMs: 0 } } });
    server = await createServer(config);
    url = (await server.start()).url;
  });
  after(() => server.stop());

  async function rowCounts(): Promise<Record<string, number>> {
    const { db } = server.services;
    const tables = await db.all<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'`);
    const counts: Record<string, number> = {};
    for (const { name } of tables) counts[name] = (await db.get<{ n: number }>(`SELECT count(*) AS n FROM "${name}"`))!.n;
    return counts;
  }

  it('empties every table, and the server serves the same names again', async () => {
    const account = server.services.config.accounts[0];
    const client = ros(createRosClient({ endpoint: url.slice('http://'.length), credentials: account.accessKeys[0], regionId: 'cn-hangzhou' }));
    const fill = async () => {
      await client.createGroup('g', { clientToken: 'token-1' });
      const op = await client.createInstances('g', [account.accountId], ['cn-hangzhou', 'cn-beijing']);
      await client.waitStatus(op, ['SUCCEEDED']);
    };
    await fill();
    const faulted = await fetch(`${url}/_localros/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ effect: 'fail' }) });
    assert.equal(faulted.status, 201);

    const before = await rowCounts();
    for (const table of ['stack_groups', 'stack_instances', 'operations', 'operation_results', 'stacks', 'stack_event_batches', 'client_tokens', 'faults']) {
      assert.ok(before[table] > 0, `${table} has rows before the reset`);
    }
    assert.equal((await fetch(`${url}/_localros/reset`, { method: 'POST', headers: { 'content-type': 'application/json' } })).status, 204);
    // Used signature nonces are replay protection, not test state: a reset keeps them.
    const emptied = Object.entries(await rowCounts()).filter(([name, n]) => n > 0 && name !== 'used_nonces' && name !== 'used_nonce_batches');
    assert.deepEqual(emptied, []);

    await fill();
  });
});
