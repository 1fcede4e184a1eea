// Deterministic pseudo-random values derived from a seed (stack id + logical id), so the same
// stack always gets the same physical ids and addresses.
import { hash } from 'node:crypto';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

// A digest per 32 bytes. Every simulated resource takes a few of these values (ids, addresses,
// signatures): spreading the digests into arrays and mapping them cost ~10× the hashing.
function bytes(seed: string, count: number): Buffer {
  if (count <= 32) return hash('sha256', `0:${seed}`, 'buffer');
  const blocks: Buffer[] = [];
  for (let block = 0; block * 32 < count; block++) blocks.push(hash('sha256', `${block}:${seed}`, 'buffer'));
  return Buffer.concat(blocks);
}

export function seededString(seed: string, length: number, alphabet = LOWER_ALNUM): string {
  const digest = bytes(seed, length);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[digest[i]! % alphabet.length];
  return out;
}

export function seededDigits(seed: string, length: number): string {
  // A leading zero would make the number shorter once parsed, as real numeric ids never are.
  return seededString(`${seed}#first`, 1, '123456789') + seededString(seed, length - 1, '0123456789');
}

export function seededInt(seed: string, min: number, max: number): number {
  const [a, b, c] = bytes(seed, 3);
  return min + (((a! << 16) | (b! << 8) | c!) % (max - min + 1));
}

export function seededUuid(seed: string): string {
  const hex = seededString(seed, 32, '0123456789abcdef');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}
