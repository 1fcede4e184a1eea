// Used nonces written one row per flush instead of one row per nonce (bench/README.md, API):
// under load a flush wrote hundreds of rows, each into the table and its two indexes, on the
// event loop every 50 ms. `nonces` is a JSON array [until_ms, key, until_ms, key, …] of the
// cache's keys (migration 007's rows, without the window-end prefix); `until_ms` is the latest
// window end among them, so a batch is garbage once it has passed. used_nonces stays for the
// rows written before this layout and for the claims of replicas sharing a database.
export const USED_NONCE_BATCHES_SCHEMA = `
CREATE TABLE used_nonce_batches (
  until_ms INTEGER NOT NULL,
  nonces TEXT NOT NULL
);
CREATE INDEX used_nonce_batches_until ON used_nonce_batches (until_ms);
`;
