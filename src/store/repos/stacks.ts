import type { Db } from '../db.ts';
import { multiRowInsert } from '../multi-row-insert.ts';
import { templateBodies } from './template-bodies.ts';
import type { Parameter } from '../../engine/types.ts';
import type { OutputItem } from '../../stacks/template/index.ts';
import type { StackResource } from './stack-resources.ts';

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
  disable_rollback: number;
  timeout_in_minutes: number;
  operation_id: string | null;
  // Set by drift detection (migration 003), read only.
  drift_status: string | null;
  drift_time: string | null;
  // Migration 008; read here, written by stacks-standalone.ts.
  deletion_protection: string;
  stack_policy: string | null;
  notification_urls: string;
  ram_role_name: string | null;
  resource_group_id: string | null;
  parent_stack_id: string | null;
  pending: string | null;
}

// What a stack operation of a standalone stack deploys, kept on the stack while it runs.
export interface PendingOperation {
  id: string;
  // CONTINUE: ContinueCreateStack, which creates what a failed create left out.
  kind: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONTINUE';
  templateBody: string;
  parameters: Parameter[];
  disableRollback: boolean;
  timeoutInMinutes: number;
  // UPDATE: StackPolicyDuringUpdateBody, which overrides the stack policy for this update only.
  policyDuringUpdate?: string;
  // DELETE: resources left in place (RetainAllResources / RetainResources).
  retain?: string[] | 'ALL';
  // Set by CancelUpdateStack / CancelStackOperation: the operation ends as cancelled.
  cancelled?: boolean;
  // Set while the operation waits on wait conditions (stack-operations.ts).
  progress?: OperationProgress;
}

export interface OperationProgress {
  // Clock time at which the operation's simulated action began.
  startMs: number;
  // The stack's resources before the operation.
  baseline: StackResource[];
  // Number of the first event the operation wrote.
  firstSeq: number;
}

type Standalone = 'deletion_protection' | 'notification_urls' | 'pending' | 'stack_policy' | 'ram_role_name' | 'resource_group_id' | 'parent_stack_id';

export interface Stack extends Omit<StackRow, 'parameters' | 'outputs' | 'disable_rollback' | 'drift_status' | 'drift_time' | Standalone> {
  // The values given for the template's parameters (group values overlaid by overrides).
  parameters: Parameter[];
  outputs: OutputItem[];
  disable_rollback: boolean;
  drift_status?: string | null;
  drift_time?: string | null;
  // Optional for the stacks of stack instances, which never set them.
  deletion_protection?: string;
  stack_policy?: string | null;
  notification_urls?: string[];
  ram_role_name?: string | null;
  resource_group_id?: string | null;
  parent_stack_id?: string | null;
  pending?: PendingOperation | null;
}

export interface StackFinish {
  id: string;
  status: string;
  status_reason: string;
  outputs: OutputItem[];
  update_time: string;
  template_body?: string;
  parameters?: Parameter[];
  disable_rollback?: boolean;
  timeout_in_minutes?: number;
}

export interface StackFilter {
  accountId: string;
  regionId: string;
  names?: string[];
  statuses?: string[];
  ids?: string[];
  // Creation time bounds, `YYYY-MM-DDThh:mm:ss`.
  startTime?: string;
  endTime?: string;
  // Nested stacks are listed only when asked for, or under their parent.
  parentStackId?: string;
  showNested?: boolean;
  resourceGroupId?: string;
}

const fromRow = (r: StackRow): Stack => ({
  ...r,
  parameters: JSON.parse(r.parameters),
  outputs: JSON.parse(r.outputs),
  disable_rollback: r.disable_rollback === 1,
  notification_urls: JSON.parse(r.notification_urls),
  pending: r.pending === null ? null : JSON.parse(r.pending),
});

// The body itself goes to template_bodies once; the row names it by hash. Writers that know the
// hash of a stored body (`bodyHash`) skip the lookup.
const rowOf = async (db: Db, s: Stack) => toRow(s, await templateBodies.store(db, s.template_body));

const toRow = ({ deletion_protection: _d, stack_policy: _s, notification_urls: _n, ram_role_name: _r, resource_group_id: _g, parent_stack_id: _p, pending: _o, ...s }: Stack, templateHash: string) => ({
  ...s,
  template_hash: templateHash,
  parameters: JSON.stringify(s.parameters),
  outputs: JSON.stringify(s.outputs),
  disable_rollback: s.disable_rollback ? 1 : 0,
});

// Rows written before migration 006 hold their body inline.
const SELECT_STACK = `SELECT s.id, s.account_id, s.region_id, s.name, s.status, s.status_reason, s.group_id,
    COALESCE(b.body, s.template_body) AS template_body, s.parameters, s.outputs, s.create_time, s.update_time, s.disable_rollback,
    s.timeout_in_minutes, s.operation_id, s.drift_status, s.drift_time, s.deletion_protection, s.stack_policy, s.notification_urls,
    s.ram_role_name, s.resource_group_id, s.parent_stack_id, s.pending
  FROM stacks s LEFT JOIN template_bodies b ON b.hash = s.template_hash`;

type UpsertRow = ReturnType<typeof toRow>;
// toRow for the batched first creates: the columns named one by one, as copying a stack with a
// rest pattern and spreading it again cost more than binding it (bench/README.md).
const upsertRow = (s: Stack, templateHash: string): UpsertRow => ({
  id: s.id,
  account_id: s.account_id,
  region_id: s.region_id,
  name: s.name,
  status: s.status,
  status_reason: s.status_reason,
  group_id: s.group_id,
  template_body: '',
  template_hash: templateHash,
  parameters: JSON.stringify(s.parameters),
  outputs: JSON.stringify(s.outputs),
  create_time: s.create_time,
  update_time: s.update_time,
  disable_rollback: s.disable_rollback ? 1 : 0,
  timeout_in_minutes: s.timeout_in_minutes,
  operation_id: s.operation_id,
});
const UPSERT_CONFLICT = `ON CONFLICT (id) DO UPDATE SET status = excluded.status, status_reason = excluded.status_reason, outputs = excluded.outputs,
  update_time = excluded.update_time, disable_rollback = excluded.disable_rollback, timeout_in_minutes = excluded.timeout_in_minutes,
  operation_id = excluded.operation_id`;
const upsertRows = multiRowInsert<UpsertRow>(
  'stacks',
  ['id', 'account_id', 'region_id', 'name', 'status', 'status_reason', 'group_id', 'template_body', 'template_hash', 'parameters', 'outputs', 'create_time',
    'update_time', 'disable_rollback', 'timeout_in_minutes', 'operation_id'],
  100,
  UPSERT_CONFLICT,
);

const list = (items: string[] | undefined): string | null => (items?.length ? JSON.stringify(items) : null);

// A deleted stack is gone for every read API: it answers StackNotFound like an unknown one.
const LIST_WHERE = `s.account_id = @accountId AND s.region_id = @regionId AND s.status <> 'DELETE_COMPLETE'
  AND (@names IS NULL OR s.name IN (SELECT value FROM json_each(@names)))
  AND (@statuses IS NULL OR s.status IN (SELECT value FROM json_each(@statuses)))
  AND (@ids IS NULL OR s.id IN (SELECT value FROM json_each(@ids)))
  AND (@startTime IS NULL OR s.create_time >= @startTime)
  AND (@endTime IS NULL OR s.create_time <= @endTime)
  AND (@parentStackId IS NULL OR s.parent_stack_id = @parentStackId)
  AND (@showNested = 1 OR @parentStackId IS NOT NULL OR s.parent_stack_id IS NULL)
  AND (@resourceGroupId IS NULL OR s.resource_group_id = @resourceGroupId)`;

export const stacks = {
  // A stack beginning its first action, for an instance that still exists (a reset may have
  // removed it meanwhile). Answers whether the stack was written.
  async insertForInstance(db: Db, s: Stack): Promise<boolean> {
    const { changes } = await db.run(
      `INSERT INTO stacks (id, account_id, region_id, name, status, status_reason, group_id, template_body, template_hash, parameters, outputs, create_time,
         update_time, disable_rollback, timeout_in_minutes, operation_id)
       SELECT @id, @account_id, @region_id, @name, @status, @status_reason, @group_id, '', @template_hash, @parameters, @outputs, @create_time,
         @update_time, @disable_rollback, @timeout_in_minutes, @operation_id
       WHERE EXISTS (SELECT 1 FROM stack_instances WHERE group_id = @group_id AND account_id = @account_id AND region_id = @region_id)`,
      await rowOf(db, s),
    );
    return changes > 0;
  },

  // A first action finished: the stack as it ended, whether or not its beginning was written.
  async upsert(db: Db, s: Stack, bodyHash?: string): Promise<void> {
    await db.run(
      `INSERT INTO stacks (id, account_id, region_id, name, status, status_reason, group_id, template_body, template_hash, parameters, outputs, create_time,
         update_time, disable_rollback, timeout_in_minutes, operation_id)
       VALUES (@id, @account_id, @region_id, @name, @status, @status_reason, @group_id, '', @template_hash, @parameters, @outputs, @create_time,
         @update_time, @disable_rollback, @timeout_in_minutes, @operation_id)
       ${UPSERT_CONFLICT}`,
      bodyHash ? toRow(s, bodyHash) : await rowOf(db, s),
    );
  },

  // upsert for many stacks whose body is stored under a known hash, in shared statements.
  async upsertMany(db: Db, rows: readonly { stack: Stack; bodyHash: string }[]): Promise<void> {
    await upsertRows(db, rows.map(({ stack, bodyHash }) => upsertRow(stack, bodyHash)));
  },

  // Every stack of an account that is not deleted, with only what Fn::GetStackOutput reads.
  async outputsOfAccount(db: Db, accountId: string): Promise<Array<Pick<Stack, 'id' | 'name' | 'region_id' | 'status' | 'outputs'>>> {
    const rows = await db.all<{ id: string; name: string; region_id: string; status: string; outputs: string }>(
      `SELECT id, name, region_id, status, outputs FROM stacks WHERE account_id = @accountId AND status <> 'DELETE_COMPLETE'`,
      { accountId },
    );
    return rows.map((r) => ({ ...r, outputs: JSON.parse(r.outputs) as OutputItem[] }));
  },

  async exists(db: Db, id: string): Promise<boolean> {
    return (await db.get(`SELECT 1 AS found FROM stacks WHERE id = @id`, { id })) !== undefined;
  },

  async get(db: Db, id: string): Promise<Stack | undefined> {
    const row = await db.get<StackRow>(`${SELECT_STACK} WHERE s.id = @id`, { id });
    return row && fromRow(row);
  },

  // The nested stacks of a stack that are not deleted.
  async children(db: Db, parentId: string): Promise<Stack[]> {
    const rows = await db.all<StackRow>(`${SELECT_STACK} WHERE s.parent_stack_id = @parentId AND s.status <> 'DELETE_COMPLETE'`, { parentId });
    return rows.map(fromRow);
  },

  // The stack as its owner sees it: in its account and region, not deleted.
  async visible(db: Db, accountId: string, regionId: string, id: string): Promise<Stack | undefined> {
    const stack = await this.get(db, id);
    return stack && stack.account_id === accountId && stack.region_id === regionId && stack.status !== 'DELETE_COMPLETE' ? stack : undefined;
  },

  // Joins a group, or leaves it (null); a deleted stack stays as it is.
  async setGroup(db: Db, id: string, groupId: string | null, time: string): Promise<void> {
    await db.run(`UPDATE stacks SET group_id = @groupId, update_time = @time WHERE id = @id AND status <> 'DELETE_COMPLETE'`, { id, groupId, time });
  },

  // An action that began (*_IN_PROGRESS) and ended without a result: *_FAILED with the reason.
  async failIfInProgress(db: Db, id: string, reason: string, time: string): Promise<void> {
    await db.run(
      `UPDATE stacks SET status = substr(status, 1, length(status) - length('_IN_PROGRESS')) || '_FAILED', status_reason = @reason, update_time = @time
       WHERE id = @id AND status LIKE '%\\_IN\\_PROGRESS' ESCAPE '\\'`,
      { id, reason, time },
    );
  },

  // A stack action finished. Fields left null keep their value (a rolled-back update keeps its
  // template). Answers false when the stack no longer exists.
  async finish(db: Db, f: StackFinish, bodyHash?: string): Promise<boolean> {
    const { changes } = await db.run(
      `UPDATE stacks SET status = @status, status_reason = @status_reason, outputs = @outputs, update_time = @update_time,
         template_body = CASE WHEN @template_hash IS NULL THEN template_body ELSE '' END, template_hash = COALESCE(@template_hash, template_hash),
         parameters = COALESCE(@parameters, parameters),
         disable_rollback = COALESCE(@disable_rollback, disable_rollback), timeout_in_minutes = COALESCE(@timeout_in_minutes, timeout_in_minutes)
       WHERE id = @id`,
      {
        id: f.id,
        status: f.status,
        status_reason: f.status_reason,
        outputs: JSON.stringify(f.outputs),
        update_time: f.update_time,
        template_hash: f.template_body === undefined ? null : (bodyHash ?? (await templateBodies.store(db, f.template_body))),
        parameters: f.parameters ? JSON.stringify(f.parameters) : null,
        disable_rollback: f.disable_rollback === undefined ? null : f.disable_rollback ? 1 : 0,
        timeout_in_minutes: f.timeout_in_minutes ?? null,
      },
    );
    return changes > 0;
  },

  // A stack action starting: only the status moves, so what the stack held stays readable and
  // a target run again after a crash still diffs against it.
  async start(db: Db, id: string, status: string, reason: string, operationId: string, time: string): Promise<void> {
    await db.run(`UPDATE stacks SET status = @status, status_reason = @reason, operation_id = @operationId, update_time = @time WHERE id = @id`, {
      id,
      status,
      reason,
      operationId,
      time,
    });
  },

  // Newest first, as ListStackGroups answers.
  async page(db: Db, filter: StackFilter, limit: number, offset: number): Promise<{ rows: Stack[]; total: number }> {
    const params = {
      accountId: filter.accountId,
      regionId: filter.regionId,
      names: list(filter.names),
      statuses: list(filter.statuses),
      ids: list(filter.ids),
      startTime: filter.startTime ?? null,
      endTime: filter.endTime ?? null,
      parentStackId: filter.parentStackId ?? null,
      showNested: filter.showNested ? 1 : 0,
      resourceGroupId: filter.resourceGroupId ?? null,
      limit,
      offset,
    };
    const rows = await db.all<StackRow>(`${SELECT_STACK} WHERE ${LIST_WHERE} ORDER BY s.rowid DESC LIMIT @limit OFFSET @offset`, params);
    const total = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM stacks s WHERE ${LIST_WHERE}`, params))?.n ?? 0;
    return { rows: rows.map(fromRow), total };
  },
};
