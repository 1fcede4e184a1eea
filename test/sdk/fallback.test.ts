// No web-framework default body anywhere: unknown paths and methods, oversized and unparseable
// requests answer in the envelope of the surface they address — the API's error envelope with
// a RequestId, the control plane's and console's `{ "error": { "code", "message" } }`.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startLocalRos, type LocalRos } from '../../src/testing/index.ts';

let ros: LocalRos;
before(async () => {
  ros = await startLocalRos();
});
after(() => ros.stop());

interface Raw {
  status: number;
  headers: Record<string, string>;
  body: string;
}

// Writes `request` on a fresh connection and reads the answer until the server closes it or it
// is complete: fetch would refuse to send most of these requests.
function raw(request: string | Buffer): Promise<Raw> {
  const [host, port] = ros.endpoint.split(':');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), host);
    const chunks: Buffer[] = [];
    const parse = (): Raw | undefined => {
      const text = Buffer.concat(chunks).toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return undefined;
      const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const body = text.slice(end + 4);
      if (headers['content-length'] !== undefined && Buffer.byteLength(body) < Number(headers['content-length'])) return undefined;
      return { status: Number(statusLine.split(' ')[1]), headers, body };
    };
    socket.on('data', (d) => {
      chunks.push(d);
      const done = parse();
      if (done) {
        socket.destroy();
        resolve(done);
      }
    });
    socket.once('error', (e) => (parse() ? undefined : reject(e)));
    socket.once('close', () => {
      const done = parse();
      if (done) resolve(done);
      else reject(new Error(`connection closed without an answer: ${Buffer.concat(chunks).toString('utf8')}`));
    });
    socket.write(request);
  });
}

function assertApiEnvelope(res: Raw, status: number, code: string): void {
  assert.equal(res.status, status, res.body);
  const body = JSON.parse(res.body);
  assert.deepEqual(Object.keys(body).sort(), ['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
  assert.equal(body.Code, code);
  assert.match(body.RequestId, /^[0-9A-F-]{36}$/);
  assert.equal(res.headers['x-acs-request-id'], body.RequestId);
}

function assertSurfaceError(res: Raw, status: number, code: string): void {
  assert.equal(res.status, status, res.body);
  const body = JSON.parse(res.body);
  assert.deepEqual(Object.keys(body), ['error']);
  assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message']);
  assert.equal(body.error.code, code);
}

const get = (path: string, method = 'GET') => raw(`${method} ${path} HTTP/1.1\r\nHost: ${ros.endpoint}\r\nConnection: close\r\n\r\n`);

describe('unknown paths and methods', () => {
  for (const path of ['/V2/', '/V2/DescribeRegions/extra', '/nope', '/health/x', '/%5Fnothing']) {
    it(`GET ${path}: the API's InvalidAction.NotFound with a RequestId`, async () => {
      assertApiEnvelope(await get(path), 404, 'InvalidAction.NotFound');
    });
  }

  for (const path of ['/_localros/nope', '/%5Flocalros/nope', '/console/nope', '/console/api/nope']) {
    it(`GET ${path}: the surface's NotFound`, async () => {
      assertSurfaceError(await get(path), 404, 'NotFound');
    });
  }

  it('a method no route takes: DELETE /health (API), PATCH /_localros/reset, PROPFIND /console/', async () => {
    assertApiEnvelope(await get('/health', 'DELETE'), 404, 'InvalidAction.NotFound');
    assertSurfaceError(await get('/_localros/reset', 'PATCH'), 404, 'NotFound');
    assertSurfaceError(await get('/console/', 'PROPFIND'), 404, 'NotFound');
  });

  it('a method HTTP does not know, on each surface', async () => {
    assertApiEnvelope(await get('/', 'FROB'), 400, 'MalformedRequest');
    assertSurfaceError(await get('/_localros/faults', 'FROB'), 400, 'BadRequest');
    assertSurfaceError(await get('/console/', 'FROB'), 400, 'BadRequest');
  });
});

describe('requests the HTTP parser refuses', () => {
  it('unparseable HTTP answers the API envelope', async () => {
    assertApiEnvelope(await raw('GARBAGE\r\n\r\n'), 400, 'MalformedRequest');
  });

  // Refused megabytes after the request line, so whatever the path: the API's envelope.
  it('headers over the limit answer 431 RequestHeaderTooLarge', async () => {
    const big = 'a'.repeat(5 * 1024 * 1024);
    assertApiEnvelope(await raw(`GET /?Action=DescribeRegions HTTP/1.1\r\nHost: x\r\nX-Big: ${big}\r\n\r\n`), 431, 'RequestHeaderTooLarge');
  });
});

// A server that waited for the body would never answer: the timeout turns that into a failure.
describe('a declared Content-Length over the limit is refused before the body is sent', { timeout: 20_000 }, () => {
  // Only the headers are written: an answer proves the server did not wait for the body.
  // (The console takes changes only with its own header, a cross-site guard.)
  const declared = (path: string, type: string) =>
    raw(`POST ${path} HTTP/1.1\r\nHost: ${ros.endpoint}\r\nContent-Type: ${type}\r\nX-Localros-Console: 1\r\nContent-Length: ${64 * 1024 * 1024}\r\n\r\n`);

  it('on the API', async () => {
    assertApiEnvelope(await declared('/', 'application/x-www-form-urlencoded'), 400, 'InvalidParameter');
  });

  it('on the control plane and the console', async () => {
    assertSurfaceError(await declared('/_localros/reset', 'application/json'), 413, 'PayloadTooLarge');
    assertSurfaceError(await declared('/console/api/faults', 'application/json'), 413, 'PayloadTooLarge');
  });

  it('on a root route (/health)', async () => {
    assertApiEnvelope(await declared('/health', 'application/json'), 400, 'InvalidParameter');
  });
});
