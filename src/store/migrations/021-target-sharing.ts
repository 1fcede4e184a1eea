// The targets of one operation shared between replicas (issue 16, engine/target-sharing.ts): the
// replicas alive (a heartbeat each renews), which replica runs each target the operation's
// coordinator started, and the outcomes workers hand back to the coordinator, who writes them
// in its own turn. A single SQLite process uses none of them.
export const TARGET_SHARING_SCHEMA = `
CREATE TABLE replicas (
  id TEXT PRIMARY KEY,
  expires_ms INTEGER NOT NULL
);
CREATE TABLE target_assignments (
  operation_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  account_id TEXT NOT NULL,
  region_id TEXT NOT NULL,
  worker TEXT NOT NULL,
  PRIMARY KEY (operation_id, seq)
);
CREATE INDEX target_assignments_by_worker ON target_assignments(worker);
CREATE TABLE target_outcomes (
  operation_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  worker TEXT NOT NULL,
  outcome TEXT NOT NULL,
  PRIMARY KEY (operation_id, seq, worker)
);
`;
