// Change sets (migration 014): CreateChangeSet writes one with its computed changes;
// ExecuteChangeSet links it to the stack operation it starts (`operation_id`), whose end
// (src/engine/stack-operations.ts) settles its ExecutionStatus in the same transaction.
import type { Db } from '../db.ts';
import type { Parameter } from '../../engine/types.ts';

export interface ChangeSetRow {
  id: string;
  account_id: string;
  region_id: string;
  stack_id: string;
  stack_name: string;
  name: string;
  type: string;
  description: string | null;
  status: string;
  status_reason: string | null;
  execution_status: string;
  template_body: string;
  parameters: string;
  shown_parameters: string;
  disable_rollback: number;
  timeout_in_minutes: number;
  changes: string;
  stack_policy: string | null;
  policy_during_update: string | null;
  operation_id: string | null;
  create_time: string;
}

export interface NewChangeSet {
  id: string;
  accountId: string;
  regionId: string;
  stackId: string;
  stackName: string;
  name: string;
  type: 'CREATE' | 'UPDATE';
  description: string | null;
  status: string;
  statusReason: string | null;
  executionStatus: string;
  templateBody: string;
  parameters: Parameter[];
  shownParameters: Parameter[];
  disableRollback: boolean;
  timeoutInMinutes: number;
  changes: unknown[];
  stackPolicy: string | null;
  policyDuringUpdate: string | null;
  time: string;
}

export interface ChangeSetFilter {
  accountId: string;
  regionId: string;
  stackId: string;
  changeSetId?: string;
  names?: string[];
  statuses?: string[];
  executionStatuses?: string[];
}

function where(f: ChangeSetFilter): { sql: string; params: Record<string, string> } {
  const params: Record<string, string> = { accountId: f.accountId, regionId: f.regionId, stackId: f.stackId };
  const clauses = ['account_id = @accountId', 'region_id = @regionId', 'stack_id = @stackId'];
  if (f.changeSetId !== undefined) {
    clauses.push('id = @changeSetId');
    params.changeSetId = f.changeSetId;
  }
  const anyOf = (column: string, values: string[] | undefined, prefix: string) => {
    if (!values?.length) return;
    clauses.push(`${column} IN (${values.map((_, i) => `@${prefix}${i}`).join(', ')})`);
    values.forEach((v, i) => (params[`${prefix}${i}`] = v));
  };
  anyOf('name', f.names, 'name');
  anyOf('status', f.statuses, 'status');
  anyOf('execution_status', f.executionStatuses, 'exec');
  return { sql: clauses.join(' AND '), params };
}

export const changeSets = {
  async insert(db: Db, c: NewChangeSet): Promise<void> {
    await db.run(
      `INSERT INTO change_sets (id, account_id, region_id, stack_id, stack_name, name, type, description, status, status_reason, execution_status,
         template_body, parameters, shown_parameters, disable_rollback, timeout_in_minutes, changes, stack_policy, policy_during_update, operation_id, create_time)
       VALUES (@id, @accountId, @regionId, @stackId, @stackName, @name, @type, @description, @status, @statusReason, @executionStatus,
         @templateBody, @parameters, @shownParameters, @disableRollback, @timeoutInMinutes, @changes, @stackPolicy, @policyDuringUpdate, NULL, @time)`,
      {
        ...c,
        parameters: JSON.stringify(c.parameters),
        shownParameters: JSON.stringify(c.shownParameters),
        disableRollback: c.disableRollback ? 1 : 0,
        changes: JSON.stringify(c.changes),
      },
    );
  },

  async get(db: Db, accountId: string, regionId: string, id: string): Promise<ChangeSetRow | undefined> {
    return db.get<ChangeSetRow>(`SELECT * FROM change_sets WHERE id = @id AND account_id = @accountId AND region_id = @regionId`, { id, accountId, regionId });
  },

  async nameTaken(db: Db, stackId: string, name: string): Promise<boolean> {
    return (await db.get(`SELECT 1 FROM change_sets WHERE stack_id = @stackId AND name = @name`, { stackId, name })) !== undefined;
  },

  async list(db: Db, f: ChangeSetFilter, limit: number, offset: number): Promise<{ rows: ChangeSetRow[]; total: number }> {
    const { sql, params } = where(f);
    const total = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM change_sets WHERE ${sql}`, params))!.n;
    const rows = await db.all<ChangeSetRow>(`SELECT * FROM change_sets WHERE ${sql} ORDER BY create_time DESC, rowid DESC LIMIT @limit OFFSET @offset`, {
      ...params,
      limit,
      offset,
    });
    return { rows, total };
  },

  // The change set runs as operation `operationId`; the stack's other available change sets no
  // longer describe what the stack will be.
  async execute(db: Db, id: string, stackId: string, operationId: string): Promise<void> {
    await db.run(`UPDATE change_sets SET execution_status = 'EXECUTE_IN_PROGRESS', operation_id = @operationId WHERE id = @id`, { id, operationId });
    await db.run(`UPDATE change_sets SET execution_status = 'OBSOLETE' WHERE stack_id = @stackId AND id <> @id AND execution_status IN ('AVAILABLE', 'UNAVAILABLE')`, {
      id,
      stackId,
    });
  },

  // The end of a stack operation: the change set that started it, if any, completes or fails.
  async finishExecution(db: Db, operationId: string, succeeded: boolean): Promise<void> {
    await db.run(`UPDATE change_sets SET execution_status = @status WHERE operation_id = @operationId AND execution_status = 'EXECUTE_IN_PROGRESS'`, {
      operationId,
      status: succeeded ? 'EXECUTE_COMPLETE' : 'EXECUTE_FAILED',
    });
  },

  // Change sets still being computed (CreateChangeSet answers before it computes them).
  async creating(db: Db): Promise<string[]> {
    const rows = await db.all<{ id: string }>(`SELECT id FROM change_sets WHERE status IN ('CREATE_PENDING', 'CREATE_IN_PROGRESS') ORDER BY rowid`);
    return rows.map((r) => r.id);
  },

  async byId(db: Db, id: string): Promise<ChangeSetRow | undefined> {
    return db.get<ChangeSetRow>(`SELECT * FROM change_sets WHERE id = @id`, { id });
  },

  async setStatus(db: Db, id: string, status: string): Promise<void> {
    await db.run(`UPDATE change_sets SET status = @status WHERE id = @id`, { id, status });
  },

  // The computed change set. One that another's execution made OBSOLETE meanwhile stays so.
  async complete(db: Db, id: string, c: { status: string; statusReason: string | null; changes: unknown[]; shownParameters: Parameter[] }): Promise<void> {
    await db.run(
      `UPDATE change_sets SET status = @status, status_reason = @statusReason, changes = @changes, shown_parameters = @shownParameters,
         execution_status = CASE WHEN execution_status = 'UNAVAILABLE' AND @status = 'CREATE_COMPLETE' THEN 'AVAILABLE' ELSE execution_status END
       WHERE id = @id`,
      { id, status: c.status, statusReason: c.statusReason, changes: JSON.stringify(c.changes), shownParameters: JSON.stringify(c.shownParameters) },
    );
  },

  async delete(db: Db, id: string): Promise<void> {
    await db.run(`DELETE FROM change_sets WHERE id = @id`, { id });
  },
};
