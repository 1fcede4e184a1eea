// The trust rules shared by the control plane (/_localros) and the console (/console): open on
// loopback, behind the control token when one is configured, closed elsewhere; and, because a
// browser on this machine can reach a loopback server from any site, no cross-site request and
// no foreign Host name (DNS rebinding). Each surface runs these checks as an onRequest hook
// registered inside its own encapsulated fastify scope, so they apply to exactly the routes
// that will run, whatever the URL's spelling (percent-escapes, dot segments), never to a
// prefix of the raw URL.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config/schema.ts';
import { SurfaceError } from './surface.ts';

// Hosts that only this machine can reach; the control plane and the console are open there.
export const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;
const LOOPBACK_HOST_HEADER = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/;

export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function bearerMatches(req: FastifyRequest, token: string): boolean {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') && sameSecret(header.slice(7), token);
}

// Whether the server is reachable only from this machine and has no token: then anything on
// this machine is trusted, but only under a loopback host name.
export function openOnLoopback(config: Config): boolean {
  return !config.controlToken && LOOPBACK.test(config.host);
}

// Refuses a request that a page of another site could have sent: a foreign Origin (browsers
// send it on every cross-origin POST, even a form's), or, when the surface is open without a
// token, a Host that is not a loopback name (a rebound DNS name of the attacker's). `surface`
// names the surface in the message.
export function refuseCrossSite(config: Config, req: FastifyRequest, surface: string): void {
  const host = req.headers.host ?? '';
  const origin = req.headers.origin;
  if (origin !== undefined && !sameOrigin(origin, host)) {
    throw new SurfaceError(403, 'Forbidden', `${surface} refuses cross-site requests (Origin ${origin} is not this server)`);
  }
  if (openOnLoopback(config) && !LOOPBACK_HOST_HEADER.test(host)) {
    throw new SurfaceError(403, 'Forbidden', `${surface} answers only to a loopback host name`);
  }
}

function sameOrigin(origin: string, host: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host;
  } catch {
    // `Origin: null` (sandboxed frames, file pages) and garbage are never this server.
    return false;
  }
}

// The control token's rule, for a surface whose clients send the bearer header.
export function requireControlAccess(config: Config, req: FastifyRequest, surface: string): void {
  if (config.controlToken) {
    if (!bearerMatches(req, config.controlToken)) {
      throw new SurfaceError(401, 'Unauthorized', `${surface} needs "Authorization: Bearer <control token>"`);
    }
  } else if (!LOOPBACK.test(config.host)) {
    throw new SurfaceError(403, 'Forbidden', `${surface} is open on loopback only; start the server with --control-token to use it from elsewhere`);
  }
}

// A browser can send POST without a CORS preflight only as a form or text body; a JSON content
// type always needs the preflight this server never approves.
export function requireJsonChange(req: FastifyRequest, surface: string): void {
  if (req.method !== 'POST' && req.method !== 'PUT' && req.method !== 'PATCH') return;
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    throw new SurfaceError(415, 'UnsupportedMediaType', `${surface} takes changes as "Content-Type: application/json" only`);
  }
}
