// The number of instances per group, kept by triggers, so that an unfiltered
// ListStackInstances page answers its TotalCount without counting every row of a group that
// may hold 100,000 instances.
export const INSTANCE_COUNT_SCHEMA = `
ALTER TABLE stack_groups ADD COLUMN instance_count INTEGER NOT NULL DEFAULT 0;
UPDATE stack_groups SET instance_count = (SELECT COUNT(*) FROM stack_instances WHERE group_id = stack_groups.id);
CREATE TRIGGER stack_instances_counted_in AFTER INSERT ON stack_instances
BEGIN
  UPDATE stack_groups SET instance_count = instance_count + 1 WHERE id = NEW.group_id;
END;
CREATE TRIGGER stack_instances_counted_out AFTER DELETE ON stack_instances
BEGIN
  UPDATE stack_groups SET instance_count = instance_count - 1 WHERE id = OLD.group_id;
END;
`;
