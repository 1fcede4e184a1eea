// Stacks with resources and events, and the template library (issue 4).
// A stack remembers how it was deployed (rollback, timeout) and the operation that last touched
// it, so that a target run again after a crash recognises the stack it left IN_PROGRESS.
export const STACKS_SCHEMA = `
ALTER TABLE stacks ADD COLUMN disable_rollback INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stacks ADD COLUMN timeout_in_minutes INTEGER NOT NULL DEFAULT 60;
ALTER TABLE stacks ADD COLUMN operation_id TEXT;

-- One row per resource a stack holds; depends_on and deletion_policy are kept from the template
-- that created the resource, so a stack can be deleted in reverse dependency order without it.
CREATE TABLE stack_resources (
  stack_id TEXT NOT NULL REFERENCES stacks(id) ON DELETE CASCADE,
  logical_resource_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  resource_type TEXT NOT NULL,
  physical_resource_id TEXT,
  status TEXT NOT NULL,
  status_reason TEXT,
  attributes TEXT NOT NULL,
  depends_on TEXT NOT NULL,
  deletion_policy TEXT NOT NULL,
  create_time TEXT NOT NULL,
  update_time TEXT,
  PRIMARY KEY (stack_id, logical_resource_id)
);

CREATE TABLE templates (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  resource_group_id TEXT,
  tags TEXT NOT NULL,
  latest_version INTEGER NOT NULL,
  create_time TEXT NOT NULL
);
CREATE INDEX templates_by_account ON templates(account_id);

-- Name and description belong to a version: GetTemplate with TemplateVersion answers that
-- version's (ROS API reference, GetTemplate).
CREATE TABLE template_versions (
  template_id TEXT NOT NULL REFERENCES templates(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  body TEXT NOT NULL,
  create_time TEXT NOT NULL,
  update_time TEXT NOT NULL,
  PRIMARY KEY (template_id, version)
);
`;
