// The RPC endpoint (`/` and `/V2/<Action>`) served straight from node:http: it is the hot
// path every SDK call and every poll takes, and going through the web framework's routing,
// hooks and reply object cost more CPU than the signature check and the database read
// together (bench/README.md). Everything else (control plane, console, /health) stays on
// fastify, which gets the requests this handler declines.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Services } from '../services.ts';
import { dispatch, type CompiledAction, type Dispatched, type IncomingRpc } from './dispatch.ts';
import { renderError } from './envelope.ts';
import { invalidParameter } from './errors.ts';
import { parseQuery } from './raw-params.ts';
import { newRequestId } from './request-id.ts';

const V2_PREFIX = '/V2/';

// Returns false for a request that is not an RPC call, for the caller to route elsewhere.
export type RpcHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

export function rpcHandler(actions: Map<string, CompiledAction>, services: Services, maxBodyBytes: number): RpcHandler {
  const log = services.log;
  const send = (res: ServerResponse, result: Dispatched, started: number) => {
    res.writeHead(result.status, { 'content-type': result.contentType, 'content-length': Buffer.byteLength(result.body), 'x-acs-request-id': result.requestId });
    res.end(result.body);
    if (log.logsRequests) {
      const { requestId, action, accountId, status, code } = result;
      log.request({ requestId, action, accountId, status, code, durationMs: elapsed(started) });
    }
  };
  // dispatch turns every failure into an answer; reaching here is a bug, still answered.
  const crashed = (res: ServerResponse, e: unknown) => {
    log.error('RPC dispatch failed', e);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('InternalError');
  };
  // Written in the same turn as the request was parsed when dispatch answers at once (a poll).
  const answer = (rpc: IncomingRpc, res: ServerResponse, started: number) => {
    let result;
    try {
      result = dispatch(rpc, actions, services);
    } catch (e) {
      crashed(res, e);
      return;
    }
    if (result instanceof Promise) result.then((r) => send(res, r, started), (e: unknown) => crashed(res, e));
    else send(res, result, started);
  };
  return (req, res) => {
    const started = performance.now();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    let pathAction: string | undefined;
    if (path.startsWith(V2_PREFIX) && path.length > V2_PREFIX.length && !path.includes('/', V2_PREFIX.length)) {
      pathAction = decodeURIComponentSafe(path.slice(V2_PREFIX.length));
    } else if (path !== '/') {
      return false;
    }
    const rpc: IncomingRpc = { method: req.method ?? 'GET', path, pathAction, headers: req.headers, query: parseQuery(q < 0 ? '' : url.slice(q + 1)), rawBody: EMPTY };
    if (!hasBody(req)) {
      answer(rpc, res, started);
      return true;
    }
    // A declared length over the limit is refused before a byte of the body is read.
    if (Number(req.headers['content-length']) > maxBodyBytes) {
      tooLarge(req, res, maxBodyBytes, pathAction, started, log);
      return true;
    }
    readBody(req, maxBodyBytes).then(
      (body) => {
        if (!body) return tooLarge(req, res, maxBodyBytes, pathAction, started, log);
        rpc.rawBody = body;
        answer(rpc, res, started);
      },
      () => req.destroy(),
    );
    return true;
  };
}

// Too large: answered at once. The client may still be sending: the rest is read and dropped,
// never kept (closing with unread bytes would reset the connection, and the client could lose
// this answer), and a client that keeps sending is cut off after a few seconds.
function tooLarge(req: IncomingMessage, res: ServerResponse, maxBodyBytes: number, pathAction: string | undefined, started: number, log: Services['log']): void {
  const error = invalidParameter('Body', `the request body is larger than ${maxBodyBytes} bytes`);
  const requestId = newRequestId();
  const rendered = renderError(error, requestId, req.headers.host ?? '', 'JSON');
  res.writeHead(error.status, { 'content-type': rendered.contentType, 'content-length': Buffer.byteLength(rendered.body), 'x-acs-request-id': requestId });
  res.end(rendered.body);
  req.resume();
  const cutOff = setTimeout(() => req.destroy(), DRAIN_MS).unref();
  req.once('close', () => clearTimeout(cutOff));
  if (log.logsRequests) log.request({ requestId, action: pathAction ?? '', status: error.status, code: error.code, durationMs: elapsed(started) });
}

const EMPTY = Buffer.alloc(0);
const DRAIN_MS = 5000;

// Milliseconds to a tenth: finer is noise on a log line.
const elapsed = (since: number) => Math.round((performance.now() - since) * 10) / 10;

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

// Resolves with the body, or undefined once it grows past the limit.
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
