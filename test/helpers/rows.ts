// Rows written straight through the repositories, for tests of the engine's parts below the API.
import type { StackGroup } from '../../src/store/repos/stack-groups.ts';

// A self-managed stack group with nothing optional set.
export function groupRow(id: string, now: string): StackGroup {
  return {
    id,
    account_id: '1',
    region_id: 'cn-hangzhou',
    name: id,
    status: 'ACTIVE',
    description: null,
    template_body: '{}',
    parameters: [],
    permission_model: 'SELF_MANAGED',
    administration_role_name: null,
    execution_role_name: null,
    auto_deployment: null,
    resource_group_id: null,
    tags: [],
    capabilities: [],
    rd_folder_ids: [],
    drift_detail: null,
    create_time: now,
    update_time: now,
  };
}
