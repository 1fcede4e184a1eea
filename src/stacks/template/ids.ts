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

// The characters of a value are written into a buffer and read back as one string: appended one
// at a time they made a new string per character (past 12 characters, a chain of cons strings
// that lives as long as its stack's deploy, copied by each young-generation GC of a large
// deploy; issue 18).
const scratch = Buffer.alloc(256);
const alphabetCodes = new Map<string, Uint8Array>();

// The alphabets are ASCII: one byte per character.
function codesOf(alphabet: string): Uint8Array {
  let codes = alphabetCodes.get(alphabet);
  if (!codes) {
    if (!/^[\x20-\x7e]+$/.test(alphabet)) throw new RangeError(`seeded alphabets are printable ASCII: ${JSON.stringify(alphabet)}`);
    alphabetCodes.set(alphabet, (codes = Buffer.from(alphabet, 'latin1')));
  }
  return codes;
}

export function seededString(seed: string, length: number, alphabet = LOWER_ALNUM): string {
  return seededText('', seed, length, alphabet);
}

// `${prefix}-${seededString(seed, length)}`, written as one flat string: a template literal
// makes a cons string (two more objects), which a large deploy keeps until it is written.
export function seededName(prefix: string, seed: string, length: number): string {
  return seededText(`${prefix}-`, seed, length, LOWER_ALNUM);
}

// `prefix` is ASCII (type and attribute names, fixed words).
function seededText(prefix: string, seed: string, length: number, alphabet: string): string {
  const digest = bytes(seed, length);
  const codes = codesOf(alphabet);
  const total = prefix.length + length;
  const out = total <= scratch.length ? scratch : Buffer.allocUnsafe(total);
  const start = out.write(prefix, 0, 'latin1');
  for (let i = 0; i < length; i++) out[start + i] = codes[digest[i]! % codes.length]!;
  return out.toString('latin1', 0, total);
}

export function seededDigits(seed: string, length: number): string {
  // A leading zero would make the number shorter once parsed, as real numeric ids never are.
  return seededString(`${seed}#first`, 1, '123456789') + seededString(seed, length - 1, '0123456789');
}

export function seededInt(seed: string, min: number, max: number): number {
  const [a, b, c] = bytes(seed, 3);
  return min + (((a! << 16) | (b! << 8) | c!) % (max - min + 1));
}

// Written into the buffer with its dashes: sliced and joined, a UUID was a chain of cons strings
// and slices (~300 bytes where the flat string takes ~60), kept until its deploy is written.
const HEX = codesOf('0123456789abcdef');
const DASH = 0x2d;
export function seededUuid(seed: string): string {
  const digest = bytes(seed, 32);
  let at = 0;
  for (let i = 0; i < 32; i++) {
    if (i === 8 || i === 12 || i === 16 || i === 20) scratch[at++] = DASH;
    // Version 4, variant a: the shape of a random UUID.
    scratch[at++] = i === 12 ? 0x34 : i === 16 ? 0x61 : HEX[digest[i]! % 16]!;
  }
  return scratch.toString('latin1', 0, at);
}
