// Change sets of standalone stacks (issue 12): the template, values and computed changes of a
// CreateChangeSet, until ExecuteChangeSet runs them as the stack's operation (`operation_id`).
export const CHANGE_SETS_SCHEMA = `
CREATE TABLE change_sets (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  region_id TEXT NOT NULL,
  stack_id TEXT NOT NULL,
  stack_name TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  description TEXT,
  status TEXT NOT NULL,
  status_reason TEXT,
  execution_status TEXT NOT NULL,
  template_body TEXT NOT NULL,
  parameters TEXT NOT NULL,
  shown_parameters TEXT NOT NULL,
  disable_rollback INTEGER NOT NULL,
  timeout_in_minutes INTEGER NOT NULL,
  changes TEXT NOT NULL,
  -- UPDATE: StackPolicyBody (the stack's from the execution on) and StackPolicyDuringUpdateBody.
  stack_policy TEXT,
  policy_during_update TEXT,
  operation_id TEXT,
  create_time TEXT NOT NULL
);
CREATE INDEX change_sets_by_stack ON change_sets (stack_id, create_time);
CREATE INDEX change_sets_by_operation ON change_sets (operation_id);
`;
