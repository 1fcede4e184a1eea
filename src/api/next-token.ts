// Paging by NextToken (the tag and drift listings): the token is the offset of the next entry,
// opaque to the caller; the last page carries none.
import { invalidParameter } from '../protocol/errors.ts';

function offsetOf(p: { NextToken?: string }): number {
  const token = p.NextToken;
  if (token === undefined || token === '') return 0;
  const offset = Number(Buffer.from(token, 'base64url').toString());
  if (!Number.isInteger(offset) || offset <= 0) throw invalidParameter('NextToken', 'it was not returned by a previous call');
  return offset;
}

export function tokenPage<T>(items: readonly T[], p: { NextToken?: string }, size: number): { items: T[]; NextToken?: string } {
  const offset = offsetOf(p);
  const end = offset + size;
  return { items: items.slice(offset, end), ...(end < items.length ? { NextToken: Buffer.from(String(end)).toString('base64url') } : {}) };
}
