// The template library of an account: templates and their numbered versions.
import type { Db } from '../db.ts';
import type { Tag } from '../../engine/types.ts';

export interface TemplateRow {
  id: string;
  account_id: string;
  resource_group_id: string | null;
  tags: string;
  latest_version: number;
  create_time: string;
}

export interface StoredTemplate extends Omit<TemplateRow, 'tags'> {
  tags: Tag[];
}

export interface TemplateVersion {
  template_id: string;
  version: number;
  name: string;
  description: string | null;
  body: string;
  create_time: string;
  update_time: string;
}

export interface TemplateFilter {
  accountId: string;
  name?: string;
  resourceGroupId?: string;
}

const fromRow = (r: TemplateRow): StoredTemplate => ({ ...r, tags: JSON.parse(r.tags) });

// Filters apply to the latest version, whose name is the template's name.
const LIST_FROM = `FROM templates t JOIN template_versions v ON v.template_id = t.id AND v.version = t.latest_version
  WHERE t.account_id = @accountId AND (@name IS NULL OR v.name = @name) AND (@resourceGroupId IS NULL OR t.resource_group_id = @resourceGroupId)`;

export const templates = {
  async insert(db: Db, t: StoredTemplate, first: TemplateVersion): Promise<void> {
    await db.run(
      `INSERT INTO templates (id, account_id, resource_group_id, tags, latest_version, create_time)
       VALUES (@id, @account_id, @resource_group_id, @tags, @latest_version, @create_time)`,
      { ...t, tags: JSON.stringify(t.tags) },
    );
    await this.putVersion(db, first);
  },

  // A foreign template answers exactly like a missing one.
  async get(db: Db, accountId: string, id: string): Promise<StoredTemplate | undefined> {
    const row = await db.get<TemplateRow>(`SELECT * FROM templates WHERE id = @id AND account_id = @accountId`, { id, accountId });
    return row && fromRow(row);
  },

  async version(db: Db, templateId: string, version: number): Promise<TemplateVersion | undefined> {
    return db.get<TemplateVersion>(`SELECT * FROM template_versions WHERE template_id = @templateId AND version = @version`, { templateId, version });
  },

  // Inserts a new version or rewrites an existing one.
  async putVersion(db: Db, v: TemplateVersion): Promise<void> {
    await db.run(
      `INSERT INTO template_versions (template_id, version, name, description, body, create_time, update_time)
       VALUES (@template_id, @version, @name, @description, @body, @create_time, @update_time)
       ON CONFLICT (template_id, version) DO UPDATE SET name = excluded.name, description = excluded.description, update_time = excluded.update_time`,
      { ...v },
    );
  },

  async setLatest(db: Db, id: string, version: number): Promise<void> {
    await db.run(`UPDATE templates SET latest_version = @version WHERE id = @id`, { id, version });
  },

  async remove(db: Db, id: string): Promise<void> {
    await db.run(`DELETE FROM templates WHERE id = @id`, { id });
  },

  // Newest first; each template with its latest version.
  async page(db: Db, filter: TemplateFilter, limit: number, offset: number): Promise<{ rows: { template: StoredTemplate; latest: TemplateVersion }[]; total: number }> {
    const params = { accountId: filter.accountId, name: filter.name ?? null, resourceGroupId: filter.resourceGroupId ?? null, limit, offset };
    const rows = await db.all<TemplateRow & { v_name: string; v_description: string | null; v_body: string; v_create: string; v_update: string }>(
      `SELECT t.*, v.name AS v_name, v.description AS v_description, v.body AS v_body, v.create_time AS v_create, v.update_time AS v_update
       ${LIST_FROM} ORDER BY t.rowid DESC LIMIT @limit OFFSET @offset`,
      params,
    );
    const total = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n ${LIST_FROM}`, params))?.n ?? 0;
    return {
      rows: rows.map(({ v_name, v_description, v_body, v_create, v_update, ...t }) => ({
        template: fromRow(t),
        latest: { template_id: t.id, version: t.latest_version, name: v_name, description: v_description, body: v_body, create_time: v_create, update_time: v_update },
      })),
      total,
    };
  },
};
