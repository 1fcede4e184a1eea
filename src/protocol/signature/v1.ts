// HMAC-SHA1 `Signature` parameter (ros-api.md §2.2): what pop-core and the SDK in
// signatureAlgorithm 'v2' mode send. Query and form body are signed together.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../errors.ts';
import type { RawParams } from '../raw-params.ts';
import { rfc3986 } from './rfc3986.ts';
import type { Authenticator } from './types.ts';

export function v1StringToSign(method: string, params: RawParams): string {
  // Names are a Map's keys, so no two are equal.
  const canonical = [...params.entries()]
    .filter(([k]) => k !== 'Signature')
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
    .join('&');
  return `${method}&${rfc3986('/')}&${rfc3986(canonical)}`;
}

export const v1Sign = (secret: string, stringToSign: string): string =>
  createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');

export const verifyV1: Authenticator = (req, lookup) => {
  const params: RawParams = new Map([...req.query, ...req.body]);
  const signature = params.get('Signature');
  if (signature === undefined) return undefined;
  const method = params.get('SignatureMethod');
  if (method !== 'HMAC-SHA1') return new ApiError('InvalidSignatureMethod');
  const version = params.get('SignatureVersion');
  if (version !== '1.0') return new ApiError('InvalidParameter', { name: 'SignatureVersion', reason: 'only 1.0 is supported' });
  const accessKeyId = params.get('AccessKeyId');
  if (!accessKeyId) return new ApiError('MissingAccessKeyId');
  const secret = lookup(accessKeyId);
  if (secret === undefined) return new ApiError('InvalidAccessKeyId.NotFound');
  const stringToSign = v1StringToSign(req.method, params);
  const expected = Buffer.from(v1Sign(secret, stringToSign));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return new ApiError('SignatureDoesNotMatch', { stringToSign });
  }
  return { accessKeyId, nonce: params.get('SignatureNonce') ?? '', timestamp: params.get('Timestamp') ?? '' };
};
