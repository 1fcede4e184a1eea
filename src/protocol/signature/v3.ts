// ACS3-HMAC-SHA256, the default of @alicloud/openapi-core (ros-api.md §2.1). Pure functions:
// canonicalRequest / stringToSign are shared by the verifier and the test client, so the
// string-to-sign is built in exactly one place.
import { createHmac, createSecretKey, hash, timingSafeEqual, type KeyObject } from 'node:crypto';
import { ApiError } from '../errors.ts';
import { SharedQuery, type RawParams } from '../raw-params.ts';
import { rfc3986 } from './rfc3986.ts';
import type { Authenticator } from './types.ts';

export const V3_ALGORITHM = 'ACS3-HMAC-SHA256';
const AUTH_RE = /^(\S+)\s+Credential=([^,]+),\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-fA-F]+)$/;
const REQUIRED_SIGNED = ['host', 'x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256'];

// One-shot hashing (crypto.hash) spares the Hash object createHash() builds per call.
export const sha256Hex = (data: string | Buffer): string => hash('sha256', data, 'hex');
// RPC calls carry no body: its hash is this constant, not a digest per request.
const EMPTY_SHA256 = sha256Hex('');

export function canonicalQuery(query: RawParams): string {
  if (query instanceof SharedQuery) return (query.canonical ??= sortedQuery(query));
  return sortedQuery(query);
}

// Names are a Map's keys, so no two are equal.
function sortedQuery(query: RawParams): string {
  return [...query.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${rfc3986(v)}`)
    .join('&');
}

const URI_REWRITTEN = /[+*]|%7E/;

export function canonicalUri(path: string): string {
  if (!URI_REWRITTEN.test(path)) return path;
  return path.replace(/\+/g, '%20').replace(/\*/g, '%2A').replace(/%7E/g, '~');
}

export function canonicalRequest(
  method: string,
  path: string,
  query: RawParams,
  headers: [name: string, value: string][],
  payloadHash: string,
): string {
  let canonicalHeaders = '';
  for (const [name, value] of headers) canonicalHeaders += `${name}:${value}\n`;
  return canonicalText(method, path, query, canonicalHeaders, signedHeaderText(headers.map(([name]) => name)), payloadHash);
}

// The names joined by `;`, an empty name before the first written skipped (as the list has
// always been written: a request signed that way still verifies).
function signedHeaderText(names: readonly string[]): string {
  let text = '';
  for (const name of names) text += text ? `;${name}` : name;
  return text;
}

// The one place the canonical request is assembled, from its headers' lines and their names.
function canonicalText(method: string, path: string, query: RawParams, canonicalHeaders: string, signedHeaders: string, payloadHash: string): string {
  return `${method}\n${canonicalUri(path)}\n${canonicalQuery(query)}\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
}

export const v3StringToSign = (canonical: string): string => `${V3_ALGORITHM}\n${sha256Hex(canonical)}`;
export const v3Sign = (secret: string, stringToSign: string): string => v3Digest(secret, stringToSign).toString('hex');
const v3Digest = (secret: string, stringToSign: string): Buffer => createHmac('sha256', hmacKey(secret)).update(stringToSign).digest();

// createHmac turns a string key into a key object on every call; there are only as many
// secrets as configured access keys, so each is converted once.
const hmacKeys = new Map<string, KeyObject>();
function hmacKey(secret: string): KeyObject {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    hmacKeys.set(secret, key);
  }
  return key;
}

// Node's HTTP parser joins a repeated request header into one string (only `set-cookie`, which no
// client signs, stays a list): a list reads as absent.
const headerValue = (h: string | string[] | undefined): string | undefined => (typeof h === 'string' ? h.trim() : undefined);

const SIGNATURE_HEX_LENGTH = 64;

// The SignedHeaders of an Authorization header, lower-cased and trimmed, with the list as the
// canonical request writes it, or the required headers it leaves out (comma-separated). A
// client sends the same list on every request, so the last SIGNED_LISTS_KEPT distinct lists are
// parsed once.
interface SignedHeaders {
  names: readonly string[];
  text: string;
}
const SIGNED_LISTS_KEPT = 64;
const signedLists = new Map<string, SignedHeaders | string>();
function signedNames(list: string): SignedHeaders | string {
  let parsed = signedLists.get(list);
  if (parsed === undefined) {
    const names = list.toLowerCase().split(';').map((n) => n.trim());
    const unsigned = REQUIRED_SIGNED.filter((n) => !names.includes(n));
    parsed = unsigned.length ? unsigned.join(', ') : { names, text: signedHeaderText(names) };
    if (signedLists.size >= SIGNED_LISTS_KEPT) signedLists.delete(signedLists.keys().next().value!);
    signedLists.set(list, parsed);
  }
  return parsed;
}

export const verifyV3: Authenticator = (req, lookup) => {
  const auth = headerValue(req.headers['authorization']);
  if (!auth || !auth.startsWith('ACS3-')) return undefined;
  const m = AUTH_RE.exec(auth);
  if (!m) return new ApiError('IncompleteSignature', { reason: 'The Authorization header is malformed.' });
  const [, algorithm, accessKeyId, signedHeaderList, signature] = m;
  if (algorithm !== V3_ALGORITHM) return new ApiError('InvalidSignatureMethod');
  const signed = signedNames(signedHeaderList);
  if (typeof signed === 'string') {
    return new ApiError('IncompleteSignature', { reason: `Headers that must be signed are not: ${signed}.` });
  }
  const secret = lookup(accessKeyId);
  if (secret === undefined) return new ApiError('InvalidAccessKeyId.NotFound');

  let canonicalHeaders = '';
  for (const name of signed.names) canonicalHeaders += `${name}:${headerValue(req.headers[name]) ?? ''}\n`;
  const payloadHash = req.rawBody.length === 0 ? EMPTY_SHA256 : sha256Hex(req.rawBody);
  const claimedHash = headerValue(req.headers['x-acs-content-sha256']) ?? '';
  const canonical = canonicalText(req.method, req.path, req.query, canonicalHeaders, signed.text, claimedHash);
  const stringToSign = v3StringToSign(canonical);
  // A body that does not match its declared hash is a mismatch like any other: the signature
  // covers the hash, not the bytes. The signature is compared as the digest's bytes (the pattern
  // above lets only hex digits through, in either case); any other length is no match.
  const matches =
    claimedHash === payloadHash && signature.length === SIGNATURE_HEX_LENGTH && timingSafeEqual(v3Digest(secret, stringToSign), Buffer.from(signature, 'hex'));
  if (!matches) return new ApiError('SignatureDoesNotMatch', { stringToSign });
  return {
    accessKeyId,
    nonce: headerValue(req.headers['x-acs-signature-nonce']) ?? '',
    timestamp: headerValue(req.headers['x-acs-date']) ?? '',
  };
};
