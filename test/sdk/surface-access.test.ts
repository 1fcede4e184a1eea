// The control plane and the console cannot be reached around their access checks: every
// spelling of every protected route (percent-escapes in either case, dot segments, doubled
// slashes) is checked as the route it reaches, and a browser page of another site can neither
// change nor read them (foreign Origin, form content types, rebound Host names).
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startLocalRos, type LocalRos } from '../../src/testing/index.ts';

interface Answer {
  status: number;
  body: string;
}

// node:http sends the path exactly as given (fetch would normalise it first).
function raw(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// Other spellings of a path that a router may resolve to the same route.
function spellings(path: string): string[] {
  const out = new Set<string>();
  const encode = (c: string, upper: boolean) => {
    const hex = c.charCodeAt(0).toString(16).padStart(2, '0');
    return `%${upper ? hex.toUpperCase() : hex}`;
  };
  for (let i = 1; i < path.length; i++) {
    if (!/[A-Za-z0-9_.-]/.test(path[i])) continue;
    for (const upper of [true, false]) out.add(path.slice(0, i) + encode(path[i], upper) + path.slice(i + 1));
  }
  out.add(path.replace(/[A-Za-z0-9_]/g, (c) => encode(c, true)));
  out.add(`/${path}`);
  out.add(path.replace(/^\//, '/./'));
  out.add(`/x/..${path}`);
  out.add(`/x/%2E%2E${path}`);
  out.add(path.replace(/\/([^/]*)$/, '//$1'));
  out.add(`${path}/`);
  out.add(`${path}?a=1`);
  return [...out];
}

const ACCOUNT = '1000000000000001';
// Every protected route, with a concrete path; the console's ids need not exist, the check
// comes first.
const PROTECTED: [string, string][] = [
  ['GET', '/_localros/faults'],
  ['POST', '/_localros/faults'],
  ['DELETE', '/_localros/faults/f-1'],
  ['POST', '/_localros/reset'],
  ['GET', `/_localros/resource-directory/${ACCOUNT}`],
  ['POST', `/_localros/resource-directory/${ACCOUNT}/folders`],
  ['DELETE', `/_localros/resource-directory/${ACCOUNT}/folders/fd-1`],
  ['PUT', `/_localros/resource-directory/${ACCOUNT}/accounts/1200000000000009`],
  ['DELETE', `/_localros/resource-directory/${ACCOUNT}/accounts/1200000000000009`],
  ['PUT', '/_localros/stacks/s-1/resources/R/drift'],
  ['GET', '/console'],
  ['GET', '/console/'],
  ['GET', '/console/assets/app.js'],
  ['GET', '/console/api/meta'],
  ['GET', '/console/api/groups?region=cn-hangzhou'],
  ['GET', '/console/api/groups/g?region=cn-hangzhou'],
  ['GET', '/console/api/operations?region=cn-hangzhou'],
  ['GET', '/console/api/operations/op?region=cn-hangzhou'],
  ['POST', '/console/api/operations/op/stop?region=cn-hangzhou'],
  ['GET', '/console/api/operations/op/events?region=cn-hangzhou'],
  ['GET', `/console/api/groups/g/instances/${ACCOUNT}/cn-hangzhou?region=cn-hangzhou`],
  ['GET', '/console/api/faults'],
  ['POST', '/console/api/faults'],
  ['DELETE', '/console/api/faults/f-1'],
];

const JSON_TYPE = { 'content-type': 'application/json' };
const HOLD = JSON.stringify({ match: { stackGroupName: 'kept' }, effect: 'hold' });

describe('control plane and console behind a token: no spelling of a route gets around the check', () => {
  let ros: LocalRos;
  let port: number;
  const bearer = { authorization: 'Bearer T0ken' };

  before(async () => {
    ros = await startLocalRos({ config: { host: '0.0.0.0', controlToken: 'T0ken' } });
    port = Number(new URL(ros.url).port);
  });
  after(() => ros.stop());

  it('answers the token holder on the plain paths (the list names real routes)', async () => {
    assert.equal((await raw(port, 'GET', '/_localros/faults', bearer)).status, 200);
    assert.equal((await raw(port, 'GET', '/%5Flocalros/faults', bearer)).status, 200, 'the router does decode the escape');
    assert.equal((await raw(port, 'GET', '/console/api/meta', bearer)).status, 200);
    assert.equal((await raw(port, 'GET', '/%63onsole/api/meta', bearer)).status, 200);
  });

  it('refuses every spelling of every protected route without the token, and loses nothing', async () => {
    const created = await raw(port, 'POST', '/_localros/faults', { ...bearer, ...JSON_TYPE }, HOLD);
    assert.equal(created.status, 201);
    const faultId = (JSON.parse(created.body) as { faultId: string }).faultId;

    const reached: string[] = [];
    let tried = 0;
    for (const [method, path] of PROTECTED) {
      for (const spelling of [path, ...spellings(path)]) {
        const answer = await raw(port, method, spelling, JSON_TYPE, method === 'GET' || method === 'DELETE' ? undefined : HOLD);
        tried++;
        if (answer.status !== 401 && answer.status !== 404) reached.push(`${method} ${spelling} → ${answer.status}`);
      }
    }
    assert.ok(tried > 500, `only ${tried} spellings tried`);
    assert.deepEqual(reached, []);

    const faults = JSON.parse((await raw(port, 'GET', '/_localros/faults', bearer)).body) as { faults: { id: string }[] };
    assert.deepEqual(
      faults.faults.map((f) => f.id),
      [faultId],
      'no reset, delete or create got through',
    );
  });
});

describe('control plane and console open on loopback: no cross-site request', () => {
  let ros: LocalRos;
  let port: number;

  before(async () => {
    ros = await startLocalRos();
    port = Number(new URL(ros.url).port);
  });
  after(() => ros.stop());

  async function faultCount(): Promise<number> {
    return (JSON.parse((await raw(port, 'GET', '/_localros/faults')).body) as { faults: unknown[] }).faults.length;
  }

  it('refuses a form or text body (no CORS preflight needed for those) with 415, and keeps the state', async () => {
    assert.equal((await raw(port, 'POST', '/_localros/faults', JSON_TYPE, HOLD)).status, 201);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const reset = await raw(port, 'POST', '/_localros/reset', { 'content-type': type }, '{}');
      assert.equal(reset.status, 415, type);
      assert.equal((JSON.parse(reset.body) as { error: { code: string } }).error.code, 'UnsupportedMediaType');
    }
    assert.equal((await raw(port, 'POST', '/_localros/reset')).status, 415, 'a body-less POST without a type too');
    assert.equal(await faultCount(), 1);
  });

  it('refuses a foreign Origin on every spelling of every route, answers its own', async () => {
    const reached: string[] = [];
    for (const [method, path] of PROTECTED) {
      for (const spelling of [path, ...spellings(path)]) {
        const headers = { ...JSON_TYPE, 'x-localros-console': '1', origin: 'https://attacker.example' };
        const answer = await raw(port, method, spelling, headers, method === 'GET' || method === 'DELETE' ? undefined : HOLD);
        if (answer.status !== 403 && answer.status !== 404) reached.push(`${method} ${spelling} → ${answer.status}`);
      }
    }
    assert.deepEqual(reached, []);
    assert.equal((await raw(port, 'POST', '/_localros/reset', { ...JSON_TYPE, origin: 'null' })).status, 403, 'Origin: null is foreign');
    assert.equal(await faultCount(), 1);

    const own = await raw(port, 'POST', '/_localros/reset', { ...JSON_TYPE, origin: `http://127.0.0.1:${port}` });
    assert.equal(own.status, 204, 'a same-origin request is served');
    assert.equal(await faultCount(), 0);
  });

  it('answers only to a loopback Host name (DNS rebinding)', async () => {
    const rebound = await raw(port, 'GET', '/_localros/faults', { host: `attacker.example:${port}` });
    assert.equal(rebound.status, 403);
    assert.match(rebound.body, /loopback host name/);
    assert.equal((await raw(port, 'GET', '/console/api/meta', { host: `attacker.example:${port}` })).status, 403);
    assert.equal((await raw(port, 'GET', '/_localros/faults', { host: `localhost:${port}` })).status, 200);
  });
});
