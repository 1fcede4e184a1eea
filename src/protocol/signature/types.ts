import type { ApiError } from '../errors.ts';
import type { RawParams } from '../raw-params.ts';

// What an authenticator sees of a request. Parameters are already percent-decoded; the raw
// body is needed because V3 signs its hash.
export interface SignedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  query: RawParams;
  body: RawParams;
  rawBody: Buffer;
}

export type SecretLookup = (accessKeyId: string) => string | undefined;

// An authenticator answers for its own scheme only: `undefined` when the request is not signed
// with it, so the chain can try the next one (the Azurite pattern, anchors.md §1).
export type AuthOutcome = { accessKeyId: string; nonce: string; timestamp: string } | ApiError;
export type Authenticator = (req: SignedRequest, lookup: SecretLookup) => AuthOutcome | undefined;
