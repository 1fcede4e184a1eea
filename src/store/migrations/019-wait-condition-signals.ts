// Wait conditions of standalone stacks (issue 12): the secret token of each
// ALIYUN::ROS::WaitConditionHandle (embedded in its URL, which authenticates a signal) and the
// signals received, kept so that a restart while a stack waits keeps what arrived.
export const WAIT_CONDITION_SIGNALS_SCHEMA = `
CREATE TABLE wait_condition_handles (
  stack_id TEXT NOT NULL,
  logical_id TEXT NOT NULL,
  token TEXT NOT NULL,
  PRIMARY KEY (stack_id, logical_id)
);
CREATE TABLE wait_condition_signals (
  stack_id TEXT NOT NULL,
  handle TEXT NOT NULL,
  signal_id TEXT NOT NULL,
  -- Order of arrival, for signal ids given by ROS (the number of signals so far + 1).
  seq INTEGER NOT NULL,
  status TEXT NOT NULL,
  reason TEXT,
  data TEXT,
  received_ms INTEGER NOT NULL,
  PRIMARY KEY (stack_id, handle, signal_id)
);
`;
