// Request ids as the gateway writes them: a version 4 UUID in upper case. Every answer carries
// one, so it is written straight in upper case from a pool of random bytes into one flat string:
// randomUUID().toUpperCase() built the lower-case string and then a second one (about half the
// cost of a poll's id, bench/README.md).
import { randomFillSync } from 'node:crypto';

const UUIDS_PER_FILL = 128;
const pool = Buffer.alloc(16 * UUIDS_PER_FILL);
let offset = pool.length;
const text = Buffer.alloc(36);
const HEX = Buffer.from('0123456789ABCDEF', 'latin1');
const DASH = 0x2d;

export function newRequestId(): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const at = offset;
  offset += 16;
  let j = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) text[j++] = DASH;
    let byte = pool[at + i];
    // The version (4) and the variant (10xx) bits of RFC 9562.
    if (i === 6) byte = (byte & 0x0f) | 0x40;
    else if (i === 8) byte = (byte & 0x3f) | 0x80;
    text[j++] = HEX[byte >> 4];
    text[j++] = HEX[byte & 0x0f];
  }
  return text.toString('latin1', 0, 36);
}
