// Writes of standalone stacks (CreateStack & co., issue 12). Reads go through stacks.ts, which
// shows both kinds of stack alike.
import type { Db } from '../db.ts';
import type { Parameter } from '../../engine/types.ts';
import { templateBodies } from './template-bodies.ts';
import type { PendingOperation } from './stacks.ts';

export interface NewStack {
  id: string;
  accountId: string;
  regionId: string;
  name: string;
  templateBody: string;
  parameters: Parameter[];
  disableRollback: boolean;
  timeoutInMinutes: number;
  deletionProtection: string;
  stackPolicy: string | null;
  notificationUrls: string[];
  ramRoleName: string | null;
  resourceGroupId: string | null;
  parentStackId: string | null;
  // null: a stack that CreateChangeSet (ChangeSetType CREATE) made, REVIEW_IN_PROGRESS until its
  // change set runs.
  pending: PendingOperation | null;
  reason: string;
  time: string;
}

export const standaloneStacks = {
  // A stack being created: CREATE_IN_PROGRESS from the moment CreateStack answers (or
  // REVIEW_IN_PROGRESS without an operation).
  async insert(db: Db, s: NewStack): Promise<void> {
    await db.run(
      `INSERT INTO stacks (id, account_id, region_id, name, status, status_reason, group_id, template_body, template_hash, parameters, outputs, create_time,
         update_time, disable_rollback, timeout_in_minutes, operation_id, deletion_protection, stack_policy, notification_urls, ram_role_name,
         resource_group_id, parent_stack_id, pending)
       VALUES (@id, @accountId, @regionId, @name, @status, @reason, NULL, '', @hash, @parameters, '[]', @time,
         NULL, @disableRollback, @timeoutInMinutes, @operationId, @deletionProtection, @stackPolicy, @notificationUrls, @ramRoleName,
         @resourceGroupId, @parentStackId, @pending)`,
      {
        ...s,
        hash: await templateBodies.store(db, s.templateBody),
        parameters: JSON.stringify(s.parameters),
        disableRollback: s.disableRollback ? 1 : 0,
        status: s.pending ? 'CREATE_IN_PROGRESS' : 'REVIEW_IN_PROGRESS',
        operationId: s.pending?.id ?? null,
        notificationUrls: JSON.stringify(s.notificationUrls),
        pending: s.pending && JSON.stringify(s.pending),
      },
    );
  },

  // A live stack of that name in the account and region (names are unique among them).
  async nameTaken(db: Db, accountId: string, regionId: string, name: string): Promise<boolean> {
    const row = await db.get(`SELECT 1 FROM stacks WHERE account_id = @accountId AND region_id = @regionId AND name = @name AND status <> 'DELETE_COMPLETE'`, {
      accountId,
      regionId,
      name,
    });
    return row !== undefined;
  },

  // An operation starts: the stack shows it in progress; what it held stays until it ends.
  async begin(db: Db, id: string, status: string, reason: string, pending: PendingOperation, time: string): Promise<void> {
    await db.run(`UPDATE stacks SET status = @status, status_reason = @reason, operation_id = @opId, pending = @pending, update_time = @time WHERE id = @id`, {
      id,
      status,
      reason,
      opId: pending.id,
      pending: JSON.stringify(pending),
      time,
    });
  },

  async setPending(db: Db, id: string, pending: PendingOperation | null): Promise<void> {
    await db.run(`UPDATE stacks SET pending = @pending WHERE id = @id`, { id, pending: pending && JSON.stringify(pending) });
  },

  async setDeletionProtection(db: Db, id: string, value: string): Promise<void> {
    await db.run(`UPDATE stacks SET deletion_protection = @value WHERE id = @id`, { id, value });
  },

  async setPolicy(db: Db, id: string, policy: string | null): Promise<void> {
    await db.run(`UPDATE stacks SET stack_policy = @policy WHERE id = @id`, { id, policy });
  },

  // Stacks whose own operation was running when the process stopped.
  async withPending(db: Db): Promise<string[]> {
    return (await db.all<{ id: string }>(`SELECT id FROM stacks WHERE pending IS NOT NULL ORDER BY rowid`)).map((r) => r.id);
  },
};
