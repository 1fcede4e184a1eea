import type { Db } from '../db.ts';
import { inChunks, multiRowInsert, placeholders } from '../multi-row-insert.ts';
import type { OperationAction, OperationPreferences, OperationStatus, ResultStatus, RunSpec } from '../../engine/types.ts';

export interface OperationRow {
  id: string;
  group_id: string;
  action: OperationAction;
  status: OperationStatus;
  description: string | null;
  preferences: string;
  region_order: string;
  retain_stacks: number | null;
  deployment_targets: string | null;
  administration_role_name: string | null;
  execution_role_name: string | null;
  run_spec: string;
  create_time: string;
  end_time: string | null;
}

export interface Operation extends Omit<OperationRow, 'preferences' | 'region_order' | 'run_spec' | 'retain_stacks'> {
  preferences: OperationPreferences;
  region_order: string[];
  run_spec: RunSpec;
  retain_stacks: boolean | null;
}

// An operation as the API shows it, with its group's identity: one indexed join, and neither
// run_spec (the engine's, and the largest column) nor the group's template is read or parsed.
export interface OperationView extends Omit<Operation, 'run_spec'> {
  group_name: string;
  group_account_id: string;
  group_region_id: string;
}

// The columns of an operation that move after it is accepted, and two that identify the row.
export type OperationState = Pick<OperationRow, 'group_id' | 'status' | 'create_time' | 'end_time'>;
const STATE_SQL = `SELECT group_id, status, create_time, end_time FROM operations WHERE id = ?`;

type OperationViewRow = Omit<OperationRow, 'run_spec'> & Pick<OperationView, 'group_name' | 'group_account_id' | 'group_region_id'>;

const fromRow = (r: OperationRow): Operation => ({
  ...r,
  preferences: JSON.parse(r.preferences),
  region_order: JSON.parse(r.region_order),
  run_spec: JSON.parse(r.run_spec),
  retain_stacks: r.retain_stacks === null ? null : r.retain_stacks === 1,
});

export interface ResultRow {
  operation_id: string;
  seq: number;
  account_id: string;
  region_id: string;
  status: ResultStatus;
  status_reason: string | null;
  rd_folder_id: string | null;
  attempts: number;
}

export const operations = {
  async insert(db: Db, op: Operation): Promise<void> {
    await db.run(
      `INSERT INTO operations (id, group_id, action, status, description, preferences, region_order, retain_stacks, deployment_targets,
         administration_role_name, execution_role_name, run_spec, create_time, end_time)
       VALUES (@id, @group_id, @action, @status, @description, @preferences, @region_order, @retain_stacks, @deployment_targets,
         @administration_role_name, @execution_role_name, @run_spec, @create_time, @end_time)`,
      {
        ...op,
        preferences: JSON.stringify(op.preferences),
        region_order: JSON.stringify(op.region_order),
        run_spec: JSON.stringify(op.run_spec),
        retain_stacks: op.retain_stacks === null ? null : op.retain_stacks ? 1 : 0,
      },
    );
  },

  async get(db: Db, id: string): Promise<Operation | undefined> {
    const row = await db.get<OperationRow>(`SELECT * FROM operations WHERE id = @id`, { id });
    return row && fromRow(row);
  },

  async view(db: Db, id: string): Promise<OperationView | undefined> {
    const row = await db.get<OperationViewRow>(
      `SELECT o.id, o.group_id, o.action, o.status, o.description, o.preferences, o.region_order, o.retain_stacks, o.deployment_targets,
         o.administration_role_name, o.execution_role_name, o.create_time, o.end_time,
         g.name AS group_name, g.account_id AS group_account_id, g.region_id AS group_region_id
       FROM operations o JOIN stack_groups g ON g.id = o.group_id WHERE o.id = @id`,
      { id },
    );
    return (
      row && {
        ...row,
        preferences: JSON.parse(row.preferences),
        region_order: JSON.parse(row.region_order),
        retain_stacks: row.retain_stacks === null ? null : row.retain_stacks === 1,
      }
    );
  },

  // The columns of an operation that change after it is accepted (setStatus is the only update),
  // with two that identify it, for a cached view to be checked against: a point read by key.
  async state(db: Db, id: string): Promise<OperationState | undefined> {
    return db.get(STATE_SQL, [id]);
  },

  // state() read at once, by a driver that reads in-process; null from one that cannot.
  stateNow(db: Db, id: string): OperationState | undefined | null {
    return db.getNow ? db.getNow<OperationState>(STATE_SQL, [id]) : null;
  },

  async setStatus(db: Db, id: string, status: OperationStatus, endTime: string | null): Promise<void> {
    await db.run(`UPDATE operations SET status = @status, end_time = @endTime WHERE id = @id`, { id, status, endTime });
  },

  async activeForGroup(db: Db, groupId: string): Promise<Operation | undefined> {
    const row = await db.get<OperationRow>(
      `SELECT * FROM operations WHERE group_id = @groupId AND status IN ('QUEUED', 'RUNNING', 'STOPPING') ORDER BY rowid LIMIT 1`,
      { groupId },
    );
    return row && fromRow(row);
  },

  // The oldest QUEUED operation of a group: queued operations start in arrival order.
  async nextQueued(db: Db, groupId: string): Promise<Operation | undefined> {
    const row = await db.get<OperationRow>(`SELECT * FROM operations WHERE group_id = @groupId AND status = 'QUEUED' ORDER BY rowid LIMIT 1`, { groupId });
    return row && fromRow(row);
  },

  async groupsWithQueued(db: Db): Promise<string[]> {
    return (await db.all<{ group_id: string }>(`SELECT DISTINCT group_id FROM operations WHERE status = 'QUEUED'`)).map((r) => r.group_id);
  },

  async allActive(db: Db): Promise<Operation[]> {
    return (await db.all<OperationRow>(`SELECT * FROM operations WHERE status IN ('RUNNING', 'STOPPING') ORDER BY rowid`)).map(fromRow);
  },

  async page(db: Db, groupId: string, limit: number, offset: number): Promise<{ rows: Operation[]; total: number }> {
    const rows = await db.all<OperationRow>(`SELECT * FROM operations WHERE group_id = @groupId ORDER BY rowid DESC LIMIT @limit OFFSET @offset`, {
      groupId,
      limit,
      offset,
    });
    const total = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM operations WHERE group_id = @groupId`, { groupId }))?.n ?? 0;
    return { rows: rows.map(fromRow), total };
  },
};

// An accepted operation's results, 100 rows a statement: 10,000 targets in 100 statements.
const insertResults = multiRowInsert<Omit<ResultRow, 'attempts'>>(
  'operation_results',
  ['operation_id', 'seq', 'account_id', 'region_id', 'status', 'status_reason', 'rd_folder_id'],
  100,
);

export const results = {
  async insertAll(db: Db, operationId: string, rows: readonly Omit<ResultRow, 'operation_id' | 'attempts'>[]): Promise<void> {
    await insertResults(db, rows.map((r) => ({ ...r, operation_id: operationId })));
  },

  async all(db: Db, operationId: string): Promise<ResultRow[]> {
    return db.all<ResultRow>(`SELECT * FROM operation_results WHERE operation_id = @operationId ORDER BY seq`, { operationId });
  },

  // Results are numbered 0..n-1 when the operation is accepted and never removed, so a page is
  // a range of seq and the total is the last seq + 1: both cost the same however many results
  // the operation has.
  async page(db: Db, operationId: string, limit: number, offset: number): Promise<{ rows: ResultRow[]; total: number }> {
    const rows = await db.all<ResultRow>(`SELECT * FROM operation_results WHERE operation_id = @operationId AND seq >= @offset ORDER BY seq LIMIT @limit`, {
      operationId,
      limit,
      offset,
    });
    return { rows, total: await results.count(db, operationId) };
  },

  async count(db: Db, operationId: string): Promise<number> {
    return (await db.get<{ n: number | null }>(`SELECT MAX(seq) + 1 AS n FROM operation_results WHERE operation_id = @operationId`, { operationId }))?.n ?? 0;
  },

  // Targets recorded RUNNING whose outcome is not written yet (a Stop on another replica).
  async anyRunning(db: Db, operationId: string): Promise<boolean> {
    return (await db.get(`SELECT 1 AS x FROM operation_results WHERE operation_id = @operationId AND status = 'RUNNING' LIMIT 1`, { operationId })) !== undefined;
  },



  // The targets an engine turn starts, in one statement per 500.
  async startMany(db: Db, operationId: string, seqs: readonly number[]): Promise<void> {
    await inChunks(seqs, 500, (chunk) =>
      db.run(`UPDATE operation_results SET status = 'RUNNING', attempts = attempts + 1 WHERE operation_id = ? AND seq IN (${placeholders(chunk.length)})`, [operationId, ...chunk]),
    );
  },

  // Targets that ended alike (most often: SUCCEEDED, no reason), in one statement per 500.
  async finishMany(db: Db, operationId: string, seqs: readonly number[], status: ResultStatus, reason: string | null, drift: string | null): Promise<void> {
    await inChunks(seqs, 500, (chunk) =>
      db.run(
        `UPDATE operation_results SET status = ?, status_reason = ?, drift_status = ? WHERE operation_id = ? AND seq IN (${placeholders(chunk.length)})`,
        [status, reason, drift, operationId, ...chunk],
      ),
    );
  },

  // `drift`: what a drift detection target found (migration 003), null for other actions.
  async finish(db: Db, operationId: string, seq: number, status: ResultStatus, reason: string | null, drift: string | null = null): Promise<void> {
    await db.run(
      `UPDATE operation_results SET status = @status, status_reason = @reason, drift_status = @drift WHERE operation_id = @operationId AND seq = @seq`,
      { operationId, seq, status, reason, drift },
    );
  },
};
