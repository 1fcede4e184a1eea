// Signature nonces already used, so that a replay inside its time window is refused after a
// restart too (issue 18). `key` is access key + NUL + nonce; `until_ms` is when the nonce's
// request stops being acceptable, after which the row is only garbage.
export const USED_NONCES_SCHEMA = `
CREATE TABLE used_nonces (
  key TEXT PRIMARY KEY,
  until_ms INTEGER NOT NULL
);
CREATE INDEX used_nonces_until ON used_nonces (until_ms);
`;
