// Drift detection (semantics.md §12). A resource changed "outside ROS" through the control plane
// carries its drift; detection records the result on the stack, the instance (columns of 001),
// the operation's results and, once an operation completes, the group.
export const DRIFT_SCHEMA = `
ALTER TABLE stack_resources ADD COLUMN drift TEXT;
ALTER TABLE stacks ADD COLUMN drift_status TEXT;
ALTER TABLE stacks ADD COLUMN drift_time TEXT;
ALTER TABLE operation_results ADD COLUMN drift_status TEXT;
ALTER TABLE stack_groups ADD COLUMN drift_detail TEXT;
`;
