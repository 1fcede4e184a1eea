// A per-group counter bumped by every instance insert and delete, so that what is derived from
// a group's membership (the page-start keys of ListStackInstances, store/repos/page-anchors.ts)
// knows it is stale with the same narrow read that answers TotalCount.
export const MEMBERSHIP_VERSION_SCHEMA = `
ALTER TABLE stack_group_sizes ADD COLUMN membership_version INTEGER NOT NULL DEFAULT 0;
DROP TRIGGER stack_instances_counted_in;
DROP TRIGGER stack_instances_counted_out;
CREATE TRIGGER stack_instances_counted_in AFTER INSERT ON stack_instances
BEGIN
  INSERT INTO stack_group_sizes (group_id, instances, membership_version) VALUES (NEW.group_id, 1, 1)
    ON CONFLICT (group_id) DO UPDATE SET instances = instances + 1, membership_version = membership_version + 1;
END;
CREATE TRIGGER stack_instances_counted_out AFTER DELETE ON stack_instances
BEGIN
  UPDATE stack_group_sizes SET instances = instances - 1, membership_version = membership_version + 1 WHERE group_id = OLD.group_id;
END;
`;
