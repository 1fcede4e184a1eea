// Stacks share their template bodies: a rollout of one template to 10,000 targets stored 10,000
// copies of it (with a 20 KB template, 200 MB of writes and 1.3 s of a 3 s rollout). A body is
// stored once under its SHA-256; a stack names it by hash. Stacks written before this migration
// keep their inline body (`template_hash` NULL), which reads fall back to.
export const TEMPLATE_BODIES_SCHEMA = `
CREATE TABLE template_bodies (
  hash TEXT PRIMARY KEY,
  body TEXT NOT NULL
);
ALTER TABLE stacks ADD COLUMN template_hash TEXT;
`;
