// MODULE resource types (issue 13): every RegisterResourceType adds a version (v1, v2, ...) of a
// type of the caller's account, the module's template with it; one version per type is the
// default. A registration is the record of one RegisterResourceType call.
export const MODULES_SCHEMA = `
CREATE TABLE module_versions (
  account_id TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  version_number INTEGER NOT NULL,
  registration_id TEXT NOT NULL UNIQUE,
  template_body TEXT NOT NULL,
  description TEXT,
  is_default INTEGER NOT NULL,
  create_time TEXT NOT NULL,
  update_time TEXT NOT NULL,
  PRIMARY KEY (account_id, resource_type, version_number)
);
`;
