// Who may open the console: the control plane's rule (open on loopback; the control token when
// one is configured; closed elsewhere). A browser cannot send a bearer header, so the token is
// accepted once as `?token=` and traded for an HttpOnly cookie holding a digest of it, never the
// token itself, so the cookie cannot be replayed against /_localros/.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/schema.ts';
import { LOOPBACK } from '../control/fault-input.ts';

export const CONSOLE_PATH = /^\/console(?:[/?]|$)/;
const LOOPBACK_HOST_HEADER = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/;
const COOKIE = 'localros_console';
// Mutations must carry this header: a cross-site form or fetch cannot add it without a CORS
// preflight, which the console never approves.
const MUTATION_HEADER = 'x-localros-console';

// Strict: scripts, styles and connections from the console itself only.
export const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  // The token may be in the address once; never leak it to another site.
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

function same(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const sessionOf = (token: string): string => createHmac('sha256', token).update('localros console session').digest('hex');

function cookieValue(req: FastifyRequest): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) return rest.join('=');
  }
  return undefined;
}

function deny(reply: FastifyReply, status: number, code: string, message: string, req: FastifyRequest) {
  if (req.url.startsWith('/console/api/')) return reply.status(status).send({ error: { code, message } });
  return reply.status(status).header('content-type', 'text/plain; charset=utf-8').send(`${message}\n`);
}

// The onRequest check for every /console URL. Answers and stops the request when access is
// refused, or redirects once to trade `?token=` for the cookie.
export async function checkConsoleAccess(config: Config, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const url = new URL(req.url, 'http://console.invalid');
  const queryToken = url.searchParams.get('token');
  if (config.controlToken) {
    const token = config.controlToken;
    const header = req.headers.authorization ?? '';
    const byHeader = header.startsWith('Bearer ') && same(header.slice(7), token);
    const byCookie = same(cookieValue(req) ?? '', sessionOf(token));
    const byQuery = queryToken !== null && same(queryToken, token);
    if (byQuery && req.method === 'GET') {
      url.searchParams.delete('token');
      return reply
        .header('set-cookie', `${COOKIE}=${sessionOf(token)}; HttpOnly; SameSite=Strict; Path=/console`)
        .header('referrer-policy', 'no-referrer')
        .redirect(url.pathname + url.search, 303);
    }
    if (!byHeader && !byCookie) {
      return deny(reply, 401, 'Unauthorized', 'the console needs the control token: open /console/?token=<control token> once', req);
    }
  } else if (!LOOPBACK.test(config.host)) {
    return deny(reply, 403, 'Forbidden', 'the console is open on loopback only; start the server with --control-token to use it from elsewhere', req);
  } else if (!LOOPBACK_HOST_HEADER.test(req.headers.host ?? '')) {
    // Open on loopback, so a page of another site must not reach it by DNS rebinding.
    return deny(reply, 403, 'Forbidden', 'the console answers only to a loopback host name', req);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD' && req.headers[MUTATION_HEADER] !== '1') {
    return deny(reply, 403, 'Forbidden', `changes need the "${MUTATION_HEADER}: 1" header`, req);
  }
  reply.headers(SECURITY_HEADERS);
  return undefined;
}
