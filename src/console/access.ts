// Who may open the console: the control plane's rule (open on loopback; the control token when
// one is configured; closed elsewhere). A browser cannot send a bearer header, so the token is
// accepted once as `?token=` and traded for an HttpOnly cookie holding a digest of it, never the
// token itself, so the cookie cannot be replayed against /_localros/.
import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/schema.ts';
import { bearerMatches, refuseCrossSite, requireControlAccess, sameSecret } from '../control/access.ts';
import { SurfaceError } from '../control/surface.ts';

const COOKIE = 'localros_console';
// Mutations must carry this header: a cross-site form or fetch cannot add it without a CORS
// preflight, which the console never approves.
const MUTATION_HEADER = 'x-localros-console';
const SURFACE = 'the console';

// Strict: scripts, styles and connections from the console itself only.
export const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  // The token may be in the address once; never leak it to another site.
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const sessionOf = (token: string): string => createHmac('sha256', token).update('localros console session').digest('hex');

function cookieValue(req: FastifyRequest): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) return rest.join('=');
  }
  return undefined;
}

// The onRequest check of the console's scope. Throws a SurfaceError when access is refused
// (answered as JSON under /console/api/, as text on pages), or redirects once to trade
// `?token=` for the cookie.
export async function checkConsoleAccess(config: Config, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  try {
    refuseCrossSite(config, req, SURFACE);
    const token = config.controlToken;
    if (token) {
      const url = new URL(req.url, 'http://console.invalid');
      const queryToken = url.searchParams.get('token');
      if (queryToken !== null && sameSecret(queryToken, token) && req.method === 'GET') {
        url.searchParams.delete('token');
        return reply
          .header('set-cookie', `${COOKIE}=${sessionOf(token)}; HttpOnly; SameSite=Strict; Path=/console`)
          .header('referrer-policy', 'no-referrer')
          .redirect(url.pathname + url.search, 303);
      }
      if (!bearerMatches(req, token) && !sameSecret(cookieValue(req) ?? '', sessionOf(token))) {
        throw new SurfaceError(401, 'Unauthorized', 'the console needs the control token: open /console/?token=<control token> once');
      }
    } else {
      requireControlAccess(config, req, SURFACE);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.headers[MUTATION_HEADER] !== '1') {
      throw new SurfaceError(403, 'Forbidden', `changes need the "${MUTATION_HEADER}: 1" header`);
    }
  } catch (e) {
    if (!(e instanceof SurfaceError) || req.routeOptions.url?.startsWith('/console/api/')) throw e;
    return reply.status(e.status).header('content-type', 'text/plain; charset=utf-8').send(`${e.message}\n`);
  }
  reply.headers(SECURITY_HEADERS);
  return undefined;
}
