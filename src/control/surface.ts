// What the two JSON surfaces beside the API, the control plane and the console, share: one
// error type, answered as `{ "error": { "code", "message" } }` with its HTTP status (codes
// listed in the README's control-plane section), and JSON request bodies.
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from '../log.ts';
import { ApiError } from '../protocol/errors.ts';

export class SurfaceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

// The request body, parsed as JSON (an empty body is `{}`).
export function jsonBody(req: FastifyRequest): unknown {
  const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  if (!raw) return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw new SurfaceError(400, 'InvalidJson', 'the body must be a JSON object');
  }
}

const FRAMEWORK_CODES: Record<number, string> = {
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
};

// Installed in each surface's own scope. Services called from a route throw ApiErrors (the
// API's validation), answered with their status and code; errors fastify raises itself (an
// oversized body) keep their 4xx status under a code of ours; anything else is a bug, logged
// and answered without its details.
export function answerSurfaceErrors(scope: FastifyInstance, log: Logger): void {
  scope.setErrorHandler((error: FastifyError | SurfaceError | ApiError, _req, reply) => {
    if (error instanceof SurfaceError || error instanceof ApiError) {
      return reply.status(error.status).send(errorBody(error.code, error.message));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.status(status).send(errorBody(FRAMEWORK_CODES[status] ?? 'InvalidRequest', error.message));
    log.error('control plane or console request failed', error);
    return reply.status(500).send(errorBody('InternalError', 'the server failed to answer; see its log'));
  });
}
