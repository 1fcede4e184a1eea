// A stop marker per stopped operation (issue 17): StopStackGroupOperation no longer rewrites
// every unstarted result (and its instance) in the request. Results still PENDING under a
// STOPPING/STOPPED operation read as CANCELLED with the stop reason (engine/stop-view.ts), and a
// marker row lists the operations whose rows are yet to be written so, in the background, a
// chunk at a time from `next_seq` (engine/stop-backlog.ts). It survives a restart.
export const STOP_BACKLOG_SCHEMA = `
CREATE TABLE stop_backlog (
  operation_id TEXT PRIMARY KEY REFERENCES operations(id),
  group_id TEXT NOT NULL,
  next_seq INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX stop_backlog_by_group ON stop_backlog(group_id);
`;
