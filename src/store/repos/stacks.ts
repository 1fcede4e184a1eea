import type { Db } from '../db.ts';
import type { Parameter } from '../../engine/types.ts';

export interface StackRow {
  id: string;
  account_id: string;
  region_id: string;
  name: string;
  status: string;
  status_reason: string | null;
  group_id: string | null;
  template_body: string;
  parameters: string;
  outputs: string;
  create_time: string;
  update_time: string | null;
}

export interface Stack extends Omit<StackRow, 'parameters' | 'outputs'> {
  parameters: Parameter[];
  outputs: Record<string, unknown>[];
}

const fromRow = (r: StackRow): Stack => ({ ...r, parameters: JSON.parse(r.parameters), outputs: JSON.parse(r.outputs) });

export const stacks = {
  async insert(db: Db, s: Stack): Promise<void> {
    await db.run(
      `INSERT INTO stacks (id, account_id, region_id, name, status, status_reason, group_id, template_body, parameters, outputs, create_time, update_time)
       VALUES (@id, @account_id, @region_id, @name, @status, @status_reason, @group_id, @template_body, @parameters, @outputs, @create_time, @update_time)`,
      { ...s, parameters: JSON.stringify(s.parameters), outputs: JSON.stringify(s.outputs) },
    );
  },

  async get(db: Db, id: string): Promise<Stack | undefined> {
    const row = await db.get<StackRow>(`SELECT * FROM stacks WHERE id = @id`, { id });
    return row && fromRow(row);
  },

  async update(db: Db, s: Stack): Promise<void> {
    await db.run(
      `UPDATE stacks SET status = @status, status_reason = @status_reason, template_body = @template_body, parameters = @parameters,
         outputs = @outputs, update_time = @update_time, group_id = @group_id WHERE id = @id`,
      { ...s, parameters: JSON.stringify(s.parameters), outputs: JSON.stringify(s.outputs) },
    );
  },

  async countForGroup(db: Db, groupId: string): Promise<number> {
    return (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM stacks WHERE group_id = @groupId`, { groupId }))?.n ?? 0;
  },
};
