export const INITIAL_SCHEMA = `
CREATE TABLE stack_groups (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  region_id TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  description TEXT,
  template_body TEXT NOT NULL,
  parameters TEXT NOT NULL,
  permission_model TEXT NOT NULL,
  administration_role_name TEXT,
  execution_role_name TEXT,
  auto_deployment TEXT,
  resource_group_id TEXT,
  tags TEXT NOT NULL,
  capabilities TEXT NOT NULL,
  rd_folder_ids TEXT NOT NULL DEFAULT '[]',
  create_time TEXT NOT NULL,
  update_time TEXT NOT NULL,
  busy_operation_id TEXT
);
CREATE UNIQUE INDEX stack_groups_live_name ON stack_groups(account_id, region_id, name) WHERE status = 'ACTIVE';
CREATE INDEX stack_groups_by_region ON stack_groups(account_id, region_id);

CREATE TABLE stack_instances (
  group_id TEXT NOT NULL REFERENCES stack_groups(id),
  account_id TEXT NOT NULL,
  region_id TEXT NOT NULL,
  status TEXT NOT NULL,
  status_reason TEXT,
  stack_id TEXT,
  parameter_overrides TEXT NOT NULL,
  rd_folder_id TEXT,
  drift_status TEXT,
  drift_time TEXT,
  PRIMARY KEY (group_id, account_id, region_id)
);

CREATE TABLE operations (
  id TEXT PRIMARY KEY,
  group_id TEXT NOT NULL REFERENCES stack_groups(id),
  action TEXT NOT NULL,
  status TEXT NOT NULL,
  description TEXT,
  preferences TEXT NOT NULL,
  region_order TEXT NOT NULL,
  retain_stacks INTEGER,
  deployment_targets TEXT,
  administration_role_name TEXT,
  execution_role_name TEXT,
  run_spec TEXT NOT NULL,
  create_time TEXT NOT NULL,
  end_time TEXT
);
CREATE INDEX operations_by_group ON operations(group_id);
CREATE INDEX operations_active ON operations(status) WHERE status IN ('RUNNING', 'STOPPING', 'QUEUED');

CREATE TABLE operation_results (
  operation_id TEXT NOT NULL REFERENCES operations(id),
  seq INTEGER NOT NULL,
  account_id TEXT NOT NULL,
  region_id TEXT NOT NULL,
  status TEXT NOT NULL,
  status_reason TEXT,
  rd_folder_id TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (operation_id, seq)
);

CREATE TABLE stacks (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  region_id TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  status_reason TEXT,
  group_id TEXT,
  template_body TEXT NOT NULL,
  parameters TEXT NOT NULL,
  outputs TEXT NOT NULL,
  create_time TEXT NOT NULL,
  update_time TEXT
);
CREATE INDEX stacks_by_owner ON stacks(account_id, region_id);

CREATE TABLE stack_events (
  stack_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  logical_resource_id TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  physical_resource_id TEXT,
  status TEXT NOT NULL,
  status_reason TEXT,
  create_time TEXT NOT NULL,
  PRIMARY KEY (stack_id, seq)
);

CREATE TABLE client_tokens (
  account_id TEXT NOT NULL,
  action TEXT NOT NULL,
  token TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  response TEXT NOT NULL,
  create_time TEXT NOT NULL,
  PRIMARY KEY (account_id, action, token)
);

-- Resource directories, one per administrator account: a folder tree and its member accounts.
CREATE TABLE rd_folders (
  admin_account_id TEXT NOT NULL,
  folder_id TEXT NOT NULL,
  parent_folder_id TEXT,
  name TEXT NOT NULL,
  PRIMARY KEY (admin_account_id, folder_id)
);

CREATE TABLE rd_accounts (
  admin_account_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  folder_id TEXT NOT NULL,
  PRIMARY KEY (admin_account_id, account_id)
);

CREATE TABLE faults (
  id TEXT PRIMARY KEY,
  match TEXT NOT NULL,
  effect TEXT NOT NULL,
  message TEXT,
  delay_ms INTEGER,
  times_remaining INTEGER,
  create_time TEXT NOT NULL
);
`;
