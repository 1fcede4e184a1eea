// Operations owned by leases (issue 16): with several replicas on one PostgreSQL database, the
// replica that runs an operation holds its row and renews it; when the holder dies the lease
// expires and another replica takes the operation over (engine/leases.ts). A single SQLite
// process takes no leases.
export const OPERATION_LEASES_SCHEMA = `
CREATE TABLE operation_leases (
  operation_id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  expires_ms INTEGER NOT NULL
);
CREATE INDEX operation_leases_by_owner ON operation_leases(owner);
`;
