// A stack action's events in one row (issue 17): an action wrote one row per event, so a
// 3,000-resource create wrote 6,002 rows and each stack of a 10,000-target rollout two. The
// events of one action are appended together and never change, so they are kept together, as a
// JSON array of [logical id, type, physical id, status, reason, time] numbered from first_seq.
// Existing events move over, one batch per stack (their numbers were already contiguous).
export const EVENT_BATCHES_SCHEMA = `
CREATE TABLE stack_event_batches (
  stack_id TEXT NOT NULL,
  first_seq INTEGER NOT NULL,
  event_count INTEGER NOT NULL,
  events TEXT NOT NULL,
  PRIMARY KEY (stack_id, first_seq)
);
INSERT INTO stack_event_batches (stack_id, first_seq, event_count, events)
  SELECT stack_id, MIN(seq), COUNT(*),
    json_group_array(json_array(logical_resource_id, resource_type, physical_resource_id, status, status_reason, create_time) ORDER BY seq)
  FROM stack_events GROUP BY stack_id;
DROP TABLE stack_events;
`;
