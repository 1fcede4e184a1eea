import type { Db } from '../db.ts';
import { inChunks, valueRows } from '../multi-row-insert.ts';
import { pageStart } from './page-anchors.ts';
import type { InstanceStatus, Parameter } from '../../engine/types.ts';

export interface StackInstanceRow {
  group_id: string;
  account_id: string;
  region_id: string;
  status: InstanceStatus;
  status_reason: string | null;
  stack_id: string | null;
  parameter_overrides: string;
  rd_folder_id: string | null;
  drift_status: string | null;
  drift_time: string | null;
}

export interface StackInstance extends Omit<StackInstanceRow, 'parameter_overrides'> {
  parameter_overrides: Parameter[];
}

const fromRow = (r: StackInstanceRow): StackInstance => ({ ...r, parameter_overrides: JSON.parse(r.parameter_overrides) });

export interface TargetKey {
  accountId: string;
  regionId: string;
}

// A target of an operation; SERVICE_MANAGED targets remember the folder they were reached through.
export interface Target extends TargetKey {
  rdFolderId?: string;
}

const INSERT = `INSERT INTO stack_instances (group_id, account_id, region_id, status, status_reason, stack_id, parameter_overrides, rd_folder_id, drift_status, drift_time)
  VALUES (@group_id, @account_id, @region_id, @status, @status_reason, @stack_id, @parameter_overrides, @rd_folder_id, @drift_status, @drift_time)`;
const INSERT_COLUMNS = ['group_id', 'account_id', 'region_id', 'status', 'status_reason', 'stack_id', 'parameter_overrides', 'rd_folder_id', 'drift_status', 'drift_time'] as const;
const toRow = (i: StackInstance) => ({ ...i, parameter_overrides: JSON.stringify(i.parameter_overrides) });

// An instance as an operation accepts it: OUTDATED until its target runs (semantics.md I1).
export function outdatedInstance(groupId: string, target: Target, overrides: Parameter[], stackId: string | null = null): StackInstance {
  return {
    group_id: groupId,
    account_id: target.accountId,
    region_id: target.regionId,
    status: 'OUTDATED',
    status_reason: null,
    stack_id: stackId,
    parameter_overrides: overrides,
    rd_folder_id: target.rdFolderId ?? null,
    drift_status: null,
    drift_time: null,
  };
}

export const stackInstances = {
  async insert(db: Db, i: StackInstance): Promise<void> {
    await db.run(INSERT, toRow(i));
  },

  async get(db: Db, groupId: string, t: TargetKey): Promise<StackInstance | undefined> {
    const row = await db.get<StackInstanceRow>(
      `SELECT * FROM stack_instances WHERE group_id = @groupId AND account_id = @accountId AND region_id = @regionId`,
      { groupId, ...t },
    );
    return row && fromRow(row);
  },

  // Many instances of one group, 300 keys a statement, by `targetId`; missing ones are absent.
  async getMany(db: Db, groupId: string, keys: readonly TargetKey[]): Promise<Map<string, StackInstance>> {
    const found = new Map<string, StackInstance>();
    await inChunks(keys, 300, async (chunk) => {
      const values: unknown[] = [];
      for (const k of chunk) values.push(k.accountId, k.regionId);
      values.push(groupId);
      const rows = await db.all<StackInstanceRow>(
        `SELECT i.* FROM (VALUES ${valueRows(chunk.length, 2)}) AS v CROSS JOIN stack_instances i
         WHERE i.group_id = ? AND i.account_id = v.column1 AND i.region_id = v.column2`,
        values,
      );
      for (const r of rows) found.set(targetId(r.account_id, r.region_id), fromRow(r));
    });
    return found;
  },

  // "Create unless it exists" for many instances, 100 a statement: answers the keys
  // (`targetId`) of those it created.
  async insertManyIfAbsent(db: Db, instances: readonly StackInstance[]): Promise<Set<string>> {
    const created = new Set<string>();
    await inChunks(instances, 100, async (chunk) => {
      const values: unknown[] = [];
      for (const i of chunk) {
        const row = toRow(i);
        for (const c of INSERT_COLUMNS) values.push(row[c]);
      }
      const rows = await db.all<{ account_id: string; region_id: string }>(
        `INSERT INTO stack_instances (${INSERT_COLUMNS.join(', ')}) VALUES ${valueRows(chunk.length, INSERT_COLUMNS.length)}
         ON CONFLICT (group_id, account_id, region_id) DO NOTHING RETURNING account_id, region_id`,
        values,
      );
      for (const r of rows) created.add(targetId(r.account_id, r.region_id));
    });
    return created;
  },

  async setStatus(db: Db, groupId: string, t: TargetKey, status: InstanceStatus, reason: string | null): Promise<void> {
    await db.run(
      `UPDATE stack_instances SET status = @status, status_reason = @reason WHERE group_id = @groupId AND account_id = @accountId AND region_id = @regionId`,
      { groupId, ...t, status, reason },
    );
  },

  async setDeployed(db: Db, groupId: string, t: TargetKey, status: InstanceStatus, reason: string | null, stackId: string | null): Promise<void> {
    await db.run(
      `UPDATE stack_instances SET status = @status, status_reason = @reason, stack_id = @stackId
       WHERE group_id = @groupId AND account_id = @accountId AND region_id = @regionId`,
      { groupId, ...t, status, reason, stackId },
    );
  },

  // setDeployed for many instances of a group that end alike, each with its stack: one
  // statement per 300 instances.
  async setDeployedMany(db: Db, groupId: string, status: InstanceStatus, reason: string | null, rows: readonly (TargetKey & { stackId: string | null })[]): Promise<void> {
    await inChunks(rows, 300, (chunk) => {
      const values: unknown[] = [status, reason];
      for (const r of chunk) values.push(r.accountId, r.regionId, r.stackId);
      values.push(groupId);
      return db.run(
        `UPDATE stack_instances SET status = ?, status_reason = ?, stack_id = v.column3
         FROM (VALUES ${valueRows(chunk.length, 3)}) AS v
         WHERE stack_instances.group_id = ? AND stack_instances.account_id = v.column1 AND stack_instances.region_id = v.column2`,
        values,
      );
    });
  },

  async setOverrides(db: Db, groupId: string, t: TargetKey, overrides: Parameter[]): Promise<void> {
    await db.run(
      `UPDATE stack_instances SET parameter_overrides = @overrides WHERE group_id = @groupId AND account_id = @accountId AND region_id = @regionId`,
      { groupId, ...t, overrides: JSON.stringify(overrides) },
    );
  },

  async remove(db: Db, groupId: string, t: TargetKey): Promise<void> {
    await db.run(`DELETE FROM stack_instances WHERE group_id = @groupId AND account_id = @accountId AND region_id = @regionId`, { groupId, ...t });
  },

  // Marks every instance of the group that is not in `except` OUTDATED (semantics.md I7).
  async outdateAllBut(db: Db, groupId: string, except: ReadonlySet<string>, reason: string): Promise<void> {
    const rows = await db.all<{ account_id: string; region_id: string }>(
      `SELECT account_id, region_id FROM stack_instances WHERE group_id = @groupId AND status = 'CURRENT'`,
      { groupId },
    );
    for (const r of rows) {
      if (!except.has(targetId(r.account_id, r.region_id))) {
        await this.setStatus(db, groupId, { accountId: r.account_id, regionId: r.region_id }, 'OUTDATED', reason);
      }
    }
  },

  async setDrift(db: Db, groupId: string, t: TargetKey, driftStatus: string, driftTime: string): Promise<void> {
    await db.run(
      `UPDATE stack_instances SET drift_status = @driftStatus, drift_time = @driftTime WHERE group_id = @groupId AND account_id = @accountId AND region_id = @regionId`,
      { groupId, ...t, driftStatus, driftTime },
    );
  },

  async forAccount(db: Db, groupId: string, accountId: string): Promise<StackInstance[]> {
    return (await db.all<StackInstanceRow>(`SELECT * FROM stack_instances WHERE group_id = @groupId AND account_id = @accountId ORDER BY region_id`, { groupId, accountId })).map(fromRow);
  },

  async regions(db: Db, groupId: string): Promise<string[]> {
    return (await db.all<{ region_id: string }>(`SELECT DISTINCT region_id FROM stack_instances WHERE group_id = @groupId ORDER BY region_id`, { groupId })).map((r) => r.region_id);
  },

  async count(db: Db, groupId: string): Promise<number> {
    return (await db.get<{ n: number }>(`SELECT instances AS n FROM stack_group_sizes WHERE group_id = @groupId`, { groupId }))?.n ?? 0;
  },

  async all(db: Db, groupId: string): Promise<StackInstance[]> {
    return (await db.all<StackInstanceRow>(`SELECT * FROM stack_instances WHERE group_id = @groupId ORDER BY account_id, region_id`, { groupId })).map(fromRow);
  },

  // Ordered by the primary key, so a page costs the same however many instances there are:
  // an unfiltered deep page starts from a page anchor rather than walking OFFSET rows.
  async page(
    db: Db,
    groupId: string,
    filter: { accountId?: string; regionId?: string },
    limit: number,
    offset: number,
  ): Promise<{ rows: StackInstance[]; total: number }> {
    if (filter.accountId === undefined && filter.regionId === undefined) {
      const size = await db.get<{ n: number; v: number }>(`SELECT instances AS n, membership_version AS v FROM stack_group_sizes WHERE group_id = @groupId`, {
        groupId,
      });
      const start = await pageStart(db, groupId, size?.v ?? 0, offset);
      const rows = start.from
        ? await db.all<StackInstanceRow>(
            `SELECT * FROM stack_instances WHERE group_id = @groupId AND (account_id, region_id) >= (@account, @region)
             ORDER BY account_id, region_id LIMIT @limit OFFSET @skip`,
            { groupId, account: start.from.account_id, region: start.from.region_id, limit, skip: start.skip },
          )
        : await db.all<StackInstanceRow>(`SELECT * FROM stack_instances WHERE group_id = @groupId ORDER BY account_id, region_id LIMIT @limit OFFSET @skip`, {
            groupId,
            limit,
            skip: start.skip,
          });
      return { rows: rows.map(fromRow), total: size?.n ?? 0 };
    }
    const where = [
      'group_id = @groupId',
      ...(filter.accountId !== undefined ? ['account_id = @accountId'] : []),
      ...(filter.regionId !== undefined ? ['region_id = @regionId'] : []),
    ].join(' AND ');
    const params = { groupId, ...filter, limit, offset };
    const rows = await db.all<StackInstanceRow>(`SELECT * FROM stack_instances WHERE ${where} ORDER BY account_id, region_id LIMIT @limit OFFSET @offset`, params);
    const total = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM stack_instances WHERE ${where}`, params))?.n ?? 0;
    return { rows: rows.map(fromRow), total };
  },
};

export const targetId = (accountId: string, regionId: string): string => `${accountId}/${regionId}`;
