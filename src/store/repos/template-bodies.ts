// Template bodies stored once, by content (migration 006).
import { createHash } from 'node:crypto';
import type { Db } from '../db.ts';

// The targets of one operation hand the same body string over and over: its hash is computed
// once. A few recent bodies are enough; each may be up to 512 KB.
const MAX_HASHED = 16;
const hashes = new Map<string, string>();

function hashOf(body: string): string {
  let hash = hashes.get(body);
  if (hash === undefined) {
    hash = createHash('sha256').update(body).digest('hex');
    hashes.set(body, hash);
    if (hashes.size > MAX_HASHED) hashes.delete(hashes.keys().next().value!);
  }
  return hash;
}

export const templateBodies = {
  // Stores the body unless it is there already; answers the hash that names it.
  async store(db: Db, body: string): Promise<string> {
    const hash = hashOf(body);
    if (!(await db.get(`SELECT 1 FROM template_bodies WHERE hash = @hash`, { hash }))) {
      await db.run(`INSERT INTO template_bodies (hash, body) VALUES (@hash, @body) ON CONFLICT (hash) DO NOTHING`, { hash, body });
    }
    return hash;
  },
};
