// Standalone stacks (issue 12): CreateStack & co. A stack remembers how it was created (deletion
// protection, stack policy, notification URLs, RAM role, resource group, parent for nested
// stacks) and, while a stack operation of its own runs, what that operation deploys (`pending`,
// JSON): the operation is accepted with it and a restart resumes it from there. Stacks of stack
// instances never set `pending`: their operations live in the operation tables.
export const STANDALONE_STACKS_SCHEMA = `
ALTER TABLE stacks ADD COLUMN deletion_protection TEXT NOT NULL DEFAULT 'Disabled';
ALTER TABLE stacks ADD COLUMN stack_policy TEXT;
ALTER TABLE stacks ADD COLUMN notification_urls TEXT NOT NULL DEFAULT '[]';
ALTER TABLE stacks ADD COLUMN ram_role_name TEXT;
ALTER TABLE stacks ADD COLUMN resource_group_id TEXT;
ALTER TABLE stacks ADD COLUMN parent_stack_id TEXT;
ALTER TABLE stacks ADD COLUMN pending TEXT;
CREATE INDEX stacks_by_name ON stacks(account_id, region_id, name);
CREATE INDEX stacks_pending ON stacks(id) WHERE pending IS NOT NULL;
`;
