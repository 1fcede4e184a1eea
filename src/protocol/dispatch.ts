// The RPC pipeline, top to bottom:
//   request id → merge query and form body → Format → action and version → signature
//   (V3 header, else V1 parameter) → timestamp and nonce → account → decode parameters against
//   the catalogue → handler → envelope.
// Which error wins when several apply follows that order: a request with an unknown action and
// a bad signature answers InvalidAction.NotFound, because the gateway resolves the API first.
import type { Decoder } from '../api/decode.ts';
import type { ActionDef, RequestContext, ResponseBody } from '../api/types.ts';
import type { Services } from '../services.ts';
import { ApiError } from './errors.ts';
import { renderError, renderSuccess, type Rendered, type ResponseFormat } from './envelope.ts';
import { parseUrlEncoded, type RawParams } from './raw-params.ts';
import { freshTimestamp } from './signature/freshness.ts';
import type { Authenticator, SignedRequest } from './signature/types.ts';
import { verifyV1 } from './signature/v1.ts';
import { verifyV3 } from './signature/v3.ts';
import { newRequestId } from './request-id.ts';

export const API_VERSION = '2019-09-10';
// The parameters of a request without a form body: one read-only map shared by all of them.
const NO_PARAMS: RawParams = new Map();
const AUTHENTICATORS: Authenticator[] = [verifyV3, verifyV1];

export interface IncomingRpc {
  method: string;
  path: string;
  pathAction?: string;
  headers: Record<string, string | string[] | undefined>;
  query: RawParams;
  rawBody: Buffer;
}

export interface CompiledAction {
  def: ActionDef;
  decode: Decoder;
}

export interface Dispatched extends Rendered {
  requestId: string;
  /** As requested, even when unknown; empty when the request named none. */
  action: string;
  /** Set once the signature has been verified. */
  accountId?: string;
  /** The error code of an error answer. */
  code?: string;
}

function header(req: IncomingRpc, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function isForm(req: IncomingRpc): boolean {
  return (header(req, 'content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

// Answers at once when nothing on the way awaits (a V3 poll the cache answers, on SQLite): a
// promise per step cost a microtask and its allocations on every poll, the call every rollout
// makes hundreds of times. Any step may still answer later, and then the answer is a promise.
export function dispatch(req: IncomingRpc, actions: Map<string, CompiledAction>, services: Services): Dispatched | Promise<Dispatched> {
  const requestId = newRequestId();
  const host = header(req, 'host') ?? 'ros.aliyuncs.com';
  const body: RawParams = isForm(req) && req.rawBody.length ? parseUrlEncoded(req.rawBody.toString('utf8')) : NO_PARAMS;
  const param = (name: string): string | undefined => body.get(name) ?? req.query.get(name);
  const formatParam = param('Format');
  const format: ResponseFormat = formatParam?.toUpperCase() === 'XML' ? 'XML' : 'JSON';
  let actionName = '';
  let accountId: string | undefined;
  const failed = (e: unknown): Dispatched => {
    const error = e instanceof ApiError ? e : internalError(e, requestId, actionName, services);
    const { status, contentType, body: text } = renderError(error, requestId, host, format);
    return { requestId, action: actionName, accountId, code: error.code, status, contentType, body: text };
  };
  const answered = (result: ResponseBody): Dispatched => {
    const { status, contentType, body: text } = renderSuccess(actionName, requestId, result, format);
    return { requestId, action: actionName, accountId, status, contentType, body: text };
  };
  const handled = (action: CompiledAction, signedBy: string): Dispatched | Promise<Dispatched> => {
    accountId = signedBy;
    const merged: RawParams = body.size === 0 ? req.query : new Map([...req.query, ...body]);
    const params = action.decode(merged);
    const ctx: RequestContext = { requestId, accountId, action: actionName, services };
    const result = action.def.handle(ctx, params);
    return result instanceof Promise ? result.then(answered).catch(failed) : answered(result);
  };
  try {
    if (req.method !== 'GET' && req.method !== 'POST') throw new ApiError('UnsupportedHTTPMethod');
    if (formatParam !== undefined && !/^(json|xml)$/i.test(formatParam)) throw new ApiError('InvalidParameter.Format');
    actionName = req.pathAction ?? param('Action') ?? header(req, 'x-acs-action') ?? '';
    if (!actionName) throw new ApiError('MissingAction');
    const version = param('Version') ?? header(req, 'x-acs-version');
    if (!version) throw new ApiError('MissingVersion');
    if (version !== API_VERSION) throw new ApiError('InvalidVersion');
    const action = actions.get(actionName);
    if (!action) throw new ApiError('InvalidAction.NotFound');

    const signedBy = authenticate({ method: req.method, path: req.path, headers: req.headers, query: req.query, body, rawBody: req.rawBody }, services);
    return typeof signedBy === 'string' ? handled(action, signedBy) : signedBy.then((id) => handled(action, id)).catch(failed);
  } catch (e) {
    return failed(e);
  }
}

// The signer's account, at once unless the nonce is claimed in a shared store.
function authenticate(req: SignedRequest, services: Services): string | Promise<string> {
  const lookup = (id: string) => services.accounts.secretOf(id);
  let outcome;
  for (const authenticator of AUTHENTICATORS) {
    outcome = authenticator(req, lookup);
    if (outcome) break;
  }
  // Neither an Authorization header nor a Signature parameter: an unsigned V1 request, answered
  // with the gateway's Missing{Parameter} code for what it lacks first.
  if (!outcome) {
    const hasKey = req.query.has('AccessKeyId') || req.body.has('AccessKeyId');
    throw new ApiError(hasKey ? 'MissingSignature' : 'MissingAccessKeyId');
  }
  if (outcome instanceof ApiError) throw outcome;
  if (!outcome.timestamp) throw new ApiError('MissingTimestamp');
  const now = services.clock.now();
  const skewMs = services.config.signature.maxSkewSeconds * 1000;
  const at = freshTimestamp(outcome.timestamp, now, skewMs);
  if (at instanceof ApiError) throw at;
  if (!outcome.nonce) throw new ApiError('MissingSignatureNonce');
  const { accessKeyId } = outcome;
  const fresh = services.nonces.claim(accessKeyId, outcome.nonce, now, at + skewMs);
  return typeof fresh === 'boolean' ? accountOf(services, accessKeyId, fresh) : fresh.then((claimed) => accountOf(services, accessKeyId, claimed));
}

function accountOf(services: Services, accessKeyId: string, nonceFresh: boolean): string {
  if (!nonceFresh) throw new ApiError('SignatureNonceUsed');
  return services.accounts.accountOf(accessKeyId)!;
}

// An unexpected exception answers the documented InternalError and is logged with the request
// id; it never reaches the HTTP server, so it cannot take the process down.
function internalError(e: unknown, requestId: string, action: string, services: Services): ApiError {
  services.log.error(`${action || 'a request without an action'} failed`, e, requestId);
  return new ApiError('InternalError');
}
