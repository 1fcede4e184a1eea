// What answers when no route does, or before one could: unknown paths and methods, errors
// fastify raises on its own routes, requests too large or not parseable as HTTP. Each answer
// wears the envelope of the surface the path belongs to — the API's error envelope with a
// RequestId, or the control plane's and console's `{ "error": { "code", "message" } }` — never
// the web framework's default body.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../log.ts';
import { renderError } from './envelope.ts';
import { ApiError, invalidParameter } from './errors.ts';
import { newRequestId } from './request-id.ts';

type Surface = 'api' | 'control';

// By the decoded path, as routing sees it: `/%5Flocalros/x` is the control plane's.
function surfaceOf(url: string): Surface {
  const q = url.indexOf('?');
  let path = q < 0 ? url : url.slice(0, q);
  try {
    path = decodeURIComponent(path);
  } catch {
    // Malformed escapes: the raw path decides.
  }
  return /^\/+(_localros|console)(\/|$)/.test(path) ? 'control' : 'api';
}

// The API's error for a status fastify or Node's HTTP parser reports.
function apiError(status: number, message: string): ApiError {
  if (status === 404) return new ApiError('InvalidAction.NotFound');
  if (status === 413) return invalidParameter('Body', 'the request body is too large');
  if (status === 431) return new ApiError('RequestHeaderTooLarge');
  if (status >= 500) return new ApiError('InternalError');
  return new ApiError('MalformedRequest', { reason: message });
}
const SURFACE_CODES: Record<number, string> = {
  400: 'BadRequest',
  404: 'NotFound',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
  431: 'RequestHeaderTooLarge',
};

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function answer(surface: Surface, status: number, message: string, host: string, requestId: string): Answer {
  if (surface === 'control') {
    const code = SURFACE_CODES[status] ?? (status >= 500 ? 'InternalError' : 'InvalidRequest');
    return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ error: { code, message } }) };
  }
  const error = apiError(status, message);
  const rendered = renderError(error, requestId, host, 'JSON');
  return { status: error.status, headers: { 'content-type': rendered.contentType, 'x-acs-request-id': requestId }, body: rendered.body };
}

function send(reply: FastifyReply, a: Answer): FastifyReply {
  return reply.status(a.status).headers(a.headers).send(a.body);
}

// The root scope's not-found and error handlers. The control plane and the console install
// their own error handlers inside their scopes; a path no route matches, or an error on a root
// route (/health), lands here.
export function registerFallbacks(app: FastifyInstance, log: Logger): void {
  app.setNotFoundHandler((req: FastifyRequest, reply: FastifyReply) => {
    const surface = surfaceOf(req.url);
    return send(reply, answer(surface, 404, `no route for ${req.method} ${req.url.split('?')[0]}`, req.headers.host ?? '', req.id));
  });
  app.setErrorHandler((error: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) log.error(`${req.method} ${req.url} failed`, error, req.id);
    const message = status === 500 ? 'the server failed to answer; see its log' : error.message;
    return send(reply, answer(surfaceOf(req.url), status, message, req.headers.host ?? '', req.id));
  });
}

const LINGER_MS = 5000;

// The request line of what Node's HTTP parser refused, when it got that far.
const REQUEST_LINE = /^[A-Za-z-]+ (\S+) HTTP\/1\.[01]\r?\n/;

// Node's HTTP parser refused the request (malformed, an unknown method, headers over the
// limit): answered in the envelope of the path's surface when the refused bytes still hold the
// request line — not so for headers over the limit, refused megabytes after it, which answer
// the API's envelope (docs/fidelity.md).
export function clientErrorHandler(log: Logger): (err: ConnectionError, socket: Socket) => void {
  const answered = new WeakSet<Socket>();
  return (err, socket) => {
    // The parser keeps refusing the bytes that follow on the same connection: answer once.
    if (answered.has(socket)) return;
    answered.add(socket);
    // Node hands over the unparsed bytes as a Buffer (fastify's type says otherwise).
    const raw: unknown = err.rawPacket;
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const message =
      status === 431 ? 'the request headers are larger than the server accepts' : status === 408 ? 'the request took too long to arrive' : `the request is not valid HTTP (${err.code ?? err.message})`;
    const line = Buffer.isBuffer(raw) ? REQUEST_LINE.exec(raw.subarray(0, 8192).toString('latin1')) : null;
    const requestId = newRequestId();
    const a = answer(line ? surfaceOf(line[1]) : 'api', status, message, '', requestId);
    log.debug(`refused a client's request: ${message}`);
    if (socket.writable) {
      const headers = Object.entries({ ...a.headers, 'content-length': String(Buffer.byteLength(a.body)), connection: 'close' })
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      socket.write(`HTTP/1.1 ${a.status} ${STATUS_CODES[a.status]}\r\n${headers}\r\n${a.body}`);
    }
    // A close with unread bytes sends a reset, which can discard the answer before the client
    // reads it (a client still writing oversized headers): the parser goes on reading and
    // dropping the rest until the client hangs up, for a few seconds at most.
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
}
