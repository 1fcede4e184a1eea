import type { Db } from '../db.ts';
import type { Parameter, PermissionModel, Tag } from '../../engine/types.ts';

export interface StackGroupRow {
  id: string;
  account_id: string;
  region_id: string;
  name: string;
  status: 'ACTIVE' | 'DELETED';
  description: string | null;
  template_body: string;
  parameters: string;
  permission_model: PermissionModel;
  administration_role_name: string | null;
  execution_role_name: string | null;
  auto_deployment: string | null;
  resource_group_id: string | null;
  tags: string;
  capabilities: string;
  rd_folder_ids: string;
  // The last successful drift detection (migration 003), written by the drift repository.
  drift_detail: string | null;
  create_time: string;
  update_time: string;
}

export interface StackGroup extends Omit<StackGroupRow, 'parameters' | 'tags' | 'capabilities' | 'rd_folder_ids'> {
  parameters: Parameter[];
  tags: Tag[];
  capabilities: string[];
  // SERVICE_MANAGED: the folders deployed to, which auto-deployment watches.
  rd_folder_ids: string[];
}

export type StackGroupHeader = Pick<StackGroup, 'id' | 'name' | 'permission_model'>;

const fromRow = (row: StackGroupRow): StackGroup => ({
  ...row,
  parameters: JSON.parse(row.parameters),
  tags: JSON.parse(row.tags),
  capabilities: JSON.parse(row.capabilities),
  rd_folder_ids: JSON.parse(row.rd_folder_ids),
});

const toRow = (g: StackGroup): StackGroupRow => ({
  ...g,
  parameters: JSON.stringify(g.parameters),
  tags: JSON.stringify(g.tags),
  capabilities: JSON.stringify(g.capabilities),
  rd_folder_ids: JSON.stringify(g.rd_folder_ids),
});

const COLUMNS =
  'id, account_id, region_id, name, status, description, template_body, parameters, permission_model, administration_role_name, execution_role_name, auto_deployment, resource_group_id, tags, capabilities, rd_folder_ids, create_time, update_time';
const VALUES = COLUMNS.split(', ').map((c) => `@${c}`).join(', ');

export const stackGroups = {
  async insert(db: Db, g: StackGroup): Promise<void> {
    await db.run(`INSERT INTO stack_groups (${COLUMNS}) VALUES (${VALUES})`, { ...toRow(g) });
  },

  async update(db: Db, g: StackGroup): Promise<void> {
    const sets = COLUMNS.split(', ').filter((c) => c !== 'id').map((c) => `${c} = @${c}`).join(', ');
    await db.run(`UPDATE stack_groups SET ${sets} WHERE id = @id`, { ...toRow(g) });
  },

  async findActiveByName(db: Db, accountId: string, regionId: string, name: string): Promise<StackGroup | undefined> {
    const row = await db.get<StackGroupRow>(
      `SELECT * FROM stack_groups WHERE account_id = @accountId AND region_id = @regionId AND name = @name AND status = 'ACTIVE'`,
      { accountId, regionId, name },
    );
    return row && fromRow(row);
  },

  // What the instance and operation lists need of a group: not its template, which may be
  // 512 KB and would be read and copied on every page.
  async findActiveHeader(db: Db, accountId: string, regionId: string, name: string): Promise<StackGroupHeader | undefined> {
    return db.get<StackGroupHeader>(
      `SELECT id, name, permission_model FROM stack_groups WHERE account_id = @accountId AND region_id = @regionId AND name = @name AND status = 'ACTIVE'`,
      { accountId, regionId, name },
    );
  },

  async findById(db: Db, accountId: string, regionId: string, id: string): Promise<StackGroup | undefined> {
    const row = await db.get<StackGroupRow>(
      `SELECT * FROM stack_groups WHERE id = @id AND account_id = @accountId AND region_id = @regionId`,
      { id, accountId, regionId },
    );
    return row && fromRow(row);
  },

  async byIdUnscoped(db: Db, id: string): Promise<StackGroup | undefined> {
    const row = await db.get<StackGroupRow>(`SELECT * FROM stack_groups WHERE id = @id`, { id });
    return row && fromRow(row);
  },

  async autoDeployed(db: Db, accountId: string): Promise<StackGroup[]> {
    const rows = await db.all<StackGroupRow>(
      `SELECT * FROM stack_groups WHERE account_id = @accountId AND status = 'ACTIVE' AND permission_model = 'SERVICE_MANAGED' ORDER BY rowid`,
      { accountId },
    );
    return rows.map(fromRow).filter((g) => g.auto_deployment && JSON.parse(g.auto_deployment).Enabled === true);
  },

  async countActive(db: Db, accountId: string): Promise<number> {
    const row = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM stack_groups WHERE account_id = @accountId AND status = 'ACTIVE'`, { accountId });
    return row?.n ?? 0;
  },

  async list(
    db: Db,
    filter: { accountId: string; regionId: string; status?: string; resourceGroupId?: string },
    limit: number,
    offset: number,
  ): Promise<{ rows: StackGroup[]; total: number }> {
    const where = [
      'account_id = @accountId',
      'region_id = @regionId',
      ...(filter.status ? ['status = @status'] : []),
      ...(filter.resourceGroupId ? ['resource_group_id = @resourceGroupId'] : []),
    ].join(' AND ');
    const params = { ...filter, limit, offset };
    const rows = await db.all<StackGroupRow>(`SELECT * FROM stack_groups WHERE ${where} ORDER BY rowid DESC LIMIT @limit OFFSET @offset`, params);
    const total = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM stack_groups WHERE ${where}`, params);
    return { rows: rows.map(fromRow), total: total?.n ?? 0 };
  },

  // Tag filtering needs every candidate; groups per account are few (100 by default).
  async listAll(db: Db, filter: { accountId: string; regionId: string; status?: string; resourceGroupId?: string }): Promise<StackGroup[]> {
    return (await this.list(db, filter, -1, 0)).rows;
  },
};
