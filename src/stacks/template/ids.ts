// Deterministic pseudo-random values derived from a seed (stack id + logical id), so the same
// stack always gets the same physical ids and addresses.
import { createHash } from 'node:crypto';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

const BLOCK_BYTES = 32;

// SHA-256 of `${block}:${seed}` for each block needed, end to end. Ids are made for every resource
// of a deploy: one buffer per block and a loop over it, where spreading each digest into an array
// of numbers and mapping it made garbage enough to lengthen the garbage collector's pauses (issue 18).
function bytes(seed: string, count: number): Buffer {
  if (count <= BLOCK_BYTES) return createHash('sha256').update(`0:${seed}`).digest();
  const blocks: Buffer[] = [];
  for (let block = 0; block * BLOCK_BYTES < count; block++) blocks.push(createHash('sha256').update(`${block}:${seed}`).digest());
  return Buffer.concat(blocks);
}

export function seededString(seed: string, length: number, alphabet = LOWER_ALNUM): string {
  const random = bytes(seed, length);
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[random[i]! % alphabet.length];
  return text;
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
