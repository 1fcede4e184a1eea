// Identifiers that sort by creation time (the UUID version 7 layout, RFC 9562): still a UUID to
// anyone who parses one, but a row keyed by one lands at the end of its index. A random key
// dirties a random index page per insert, and every commit writes each dirtied page whole:
// with random stack ids, a 10,000-target rollout rewrote the stack and event indexes about
// thirty times over (bench/README.md).
import { randomFillSync } from 'node:crypto';

// Random bytes are drawn a pool at a time: one draw per id cost more than the rest of it.
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;
let lastMs = 0;
let sequence = 0;

function randomBytes10(): Buffer {
  if (poolOffset + 10 > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += 10;
  return pool.subarray(poolOffset - 10, poolOffset);
}

export function timeOrderedId(nowMs = Date.now()): string {
  const random = randomBytes10();
  // Within one millisecond a 12-bit counter keeps the order; it starts at a random point.
  if (nowMs > lastMs) {
    lastMs = nowMs;
    sequence = ((random[0] << 4) | (random[1] >> 4)) & 0x7ff;
  } else {
    sequence = (sequence + 1) & 0xfff;
    if (sequence === 0) lastMs++;
  }
  const ms = lastMs.toString(16).padStart(12, '0');
  const seq = (0x7000 | sequence).toString(16);
  const variant = ((random[2] & 0x3f) | 0x80).toString(16).padStart(2, '0') + random[3].toString(16).padStart(2, '0');
  const tail = random.subarray(4, 10).toString('hex');
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-${seq}-${variant}-${tail}`;
}
