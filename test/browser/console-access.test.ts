// Who may open the console (no browser needed): the control plane's rule, the one-time
// `?token=` traded for a cookie, and the header every change must carry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { configSchema, type ConfigInput } from '../../src/config/schema.ts';
import { checkConsoleAccess } from '../../src/console/access.ts';
import { answerSurfaceErrors } from '../../src/control/surface.ts';
import { createLogger } from '../../src/log.ts';

function app(input: ConfigInput) {
  const config = configSchema.parse(input);
  const server = Fastify();
  // As the console registers itself: an encapsulated scope with its own error handler and hook.
  server.register(async (scope) => {
    answerSurfaceErrors(scope, createLogger('silent'));
    scope.addHook('onRequest', async (req, reply) => checkConsoleAccess(config, req, reply));
    scope.get('/console/', async () => 'page');
    scope.get('/console/api/meta', async () => ({ ok: true }));
    scope.post('/console/api/faults', async () => ({ ok: true }));
  });
  server.get('/consolex', async () => 'not the console');
  return server;
}

const LOCAL = { host: 'localhost:4599' };

describe('console access', () => {
  it('is open on loopback, with security headers', async () => {
    const res = await app({}).inject({ url: '/console/', headers: LOCAL });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-security-policy'] as string, /script-src 'self'/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
  });

  it('answers only to loopback host names when open, against DNS rebinding', async () => {
    const res = await app({}).inject({ url: '/console/api/meta', headers: { host: 'attacker.example:4599' } });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'Forbidden');
  });

  it('is closed elsewhere without a control token', async () => {
    const server = app({ host: '0.0.0.0' });
    assert.equal((await server.inject({ url: '/console/', headers: LOCAL })).statusCode, 403);
    assert.equal((await server.inject({ url: '/consolex', headers: LOCAL })).statusCode, 200, 'other paths are not the console');
  });

  it('with a token: 401 without it, the bearer header works, ?token= is traded once for an HttpOnly cookie', async () => {
    const server = app({ host: '0.0.0.0', controlToken: 's3cret' });
    const denied = await server.inject({ url: '/console/api/meta', headers: LOCAL });
    assert.equal(denied.statusCode, 401);
    assert.match(denied.json().error.message, /\?token=/);
    assert.equal((await server.inject({ url: '/console/api/meta', headers: { ...LOCAL, authorization: 'Bearer s3cret' } })).statusCode, 200);
    assert.equal((await server.inject({ url: '/console/?token=wrong', headers: LOCAL })).statusCode, 401);

    const traded = await server.inject({ url: '/console/?token=s3cret&x=1', headers: LOCAL });
    assert.equal(traded.statusCode, 303);
    assert.equal(traded.headers.location, '/console/?x=1', 'the token leaves the address bar');
    const cookie = traded.headers['set-cookie'] as string;
    assert.match(cookie, /^localros_console=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=\/console$/);
    assert.doesNotMatch(cookie, /s3cret/, 'the cookie holds a digest, not the token');
    const session = cookie.split(';')[0];
    assert.equal((await server.inject({ url: '/console/api/meta', headers: { ...LOCAL, cookie: `other=1; ${session}` } })).statusCode, 200);
    assert.equal((await server.inject({ url: '/console/api/meta', headers: { ...LOCAL, cookie: 'localros_console=00' } })).statusCode, 401);
  });

  it('refuses a change without the console header, which a cross-site page cannot send', async () => {
    const server = app({});
    const forged = await server.inject({ method: 'POST', url: '/console/api/faults', headers: { ...LOCAL, 'content-type': 'text/plain' }, payload: '{}' });
    assert.equal(forged.statusCode, 403);
    const ok = await server.inject({ method: 'POST', url: '/console/api/faults', headers: { ...LOCAL, 'x-localros-console': '1', 'content-type': 'application/json' }, payload: '{}' });
    assert.equal(ok.statusCode, 200);
  });
});
