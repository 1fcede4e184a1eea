// A replayed request stays refused after the server restarts (issue 18, item 9): used nonces are
// kept in the data directory for as long as their request could be accepted.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { v1Request } from '../helpers/raw-client.ts';
import { startServer } from '../helpers/server-process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'localros-replay-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

it('refuses a replay inside the time window after a restart', async () => {
  const request = { action: 'DescribeRegions', nonce: randomUUID(), timestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
  let server = await startServer({ dataDir });
  try {
    assert.equal((await v1Request(server.url, request)).status, 200);
    assert.equal((await v1Request(server.url, request)).json.Code, 'SignatureNonceUsed');
  } finally {
    await server.stop();
  }
  server = await startServer({ dataDir });
  try {
    const replay = await v1Request(server.url, request);
    assert.equal(replay.status, 400);
    assert.equal(replay.json.Code, 'SignatureNonceUsed');
    // A fresh nonce is still accepted.
    assert.equal((await v1Request(server.url, { ...request, nonce: randomUUID() })).status, 200);
  } finally {
    await server.stop();
  }
});
