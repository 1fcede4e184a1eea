// Targets held by a hold fault, with the replica that holds them (issue 16): `GET
// /_localros/faults` on any replica lists what every replica holds. Written only with several
// replicas on PostgreSQL; a single SQLite process keeps its holds in memory. A replica's rows
// stop counting once its heartbeat expired (it died, migration 021), and are then deleted.
export const HELD_TARGETS_SCHEMA = `
CREATE TABLE held_targets (
  fault_id TEXT NOT NULL,
  replica TEXT NOT NULL,
  target TEXT NOT NULL
);
CREATE INDEX held_targets_by_fault ON held_targets(fault_id);
`;
