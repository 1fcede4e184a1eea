import type { Db } from '../db.ts';
import { multiRowInsert, placeholders } from '../multi-row-insert.ts';
import type { JsonValue } from '../../stacks/template/index.ts';

export interface StackResourceRow {
  stack_id: string;
  logical_resource_id: string;
  seq: number;
  resource_type: string;
  physical_resource_id: string | null;
  status: string;
  status_reason: string | null;
  attributes: string;
  depends_on: string;
  deletion_policy: string;
  create_time: string;
  update_time: string | null;
}

export interface StackResource extends Omit<StackResourceRow, 'stack_id' | 'attributes' | 'depends_on' | 'deletion_policy'> {
  // What Fn::GetAtt answers for the resource.
  attributes: Record<string, JsonValue>;
  depends_on: string[];
  deletion_policy: 'Delete' | 'Retain';
}

const fromRow = ({ stack_id: _stack, ...r }: StackResourceRow): StackResource => ({
  ...r,
  attributes: JSON.parse(r.attributes),
  depends_on: JSON.parse(r.depends_on),
  deletion_policy: r.deletion_policy === 'Retain' ? 'Retain' : 'Delete',
});

const insertResources = multiRowInsert<StackResourceRow>(
  'stack_resources',
  ['stack_id', 'logical_resource_id', 'seq', 'resource_type', 'physical_resource_id', 'status', 'status_reason', 'attributes', 'depends_on', 'deletion_policy', 'create_time', 'update_time'],
  50,
);

// The same rows written over whatever a stack already holds under their logical ids, as if
// written anew: what a drift detection found about the old row goes with it (replaceAll).
const upsertResources = multiRowInsert<StackResourceRow>(
  'stack_resources',
  ['stack_id', 'logical_resource_id', 'seq', 'resource_type', 'physical_resource_id', 'status', 'status_reason', 'attributes', 'depends_on', 'deletion_policy', 'create_time', 'update_time'],
  50,
  `ON CONFLICT (stack_id, logical_resource_id) DO UPDATE SET seq = excluded.seq, resource_type = excluded.resource_type,
     physical_resource_id = excluded.physical_resource_id, status = excluded.status, status_reason = excluded.status_reason,
     attributes = excluded.attributes, depends_on = excluded.depends_on, deletion_policy = excluded.deletion_policy,
     create_time = excluded.create_time, update_time = excluded.update_time, drift = NULL, drift_properties = NULL, drift_status = NULL,
     drift_detection_time = NULL, drift_expected = NULL, drift_actual = NULL`,
);

// Column by column: a spread copy of every resource cost more than its insert (bench/README.md).
const toRow = (stackId: string, r: StackResource): StackResourceRow => ({
  stack_id: stackId,
  logical_resource_id: r.logical_resource_id,
  seq: r.seq,
  resource_type: r.resource_type,
  physical_resource_id: r.physical_resource_id,
  status: r.status,
  status_reason: r.status_reason,
  attributes: JSON.stringify(r.attributes),
  depends_on: JSON.stringify(r.depends_on),
  deletion_policy: r.deletion_policy,
  create_time: r.create_time,
  update_time: r.update_time,
});

export const stackResources = {
  // In creation order, as ListStackResources answers.
  async list(db: Db, stackId: string): Promise<StackResource[]> {
    return (await db.all<StackResourceRow>(`SELECT * FROM stack_resources WHERE stack_id = @stackId ORDER BY seq`, { stackId })).map(fromRow);
  },

  // A finished stack action leaves exactly this set of resources.
  async replaceAll(db: Db, stackId: string, resources: readonly StackResource[]): Promise<void> {
    await db.run(`DELETE FROM stack_resources WHERE stack_id = @stackId`, { stackId });
    await this.insertAll(db, stackId, resources);
  },

  // The resources of a stack that had none.
  async insertAll(db: Db, stackId: string, resources: readonly StackResource[]): Promise<void> {
    await this.insertMany(db, [{ stackId, resources }]);
  },

  // The resources of many stacks that had none, in shared statements.
  async insertMany(db: Db, stacks: readonly { stackId: string; resources: readonly StackResource[] }[]): Promise<void> {
    const rows: StackResourceRow[] = [];
    for (const { stackId, resources } of stacks) {
      for (const r of resources) rows.push(toRow(stackId, r));
    }
    await insertResources(db, rows);
  },

  // Writes these resources whether or not the stack holds them already (a large action writes
  // its resources ahead of its result, and may be run again after a crash: write-ahead.ts).
  async upsert(db: Db, stackId: string, resources: readonly StackResource[]): Promise<void> {
    await upsertResources(db, resources.map((r) => toRow(stackId, r)));
  },

  async logicalIds(db: Db, stackId: string): Promise<string[]> {
    const rows = await db.all<{ id: string }>(`SELECT logical_resource_id AS id FROM stack_resources WHERE stack_id = @stackId`, { stackId });
    return rows.map((r) => r.id);
  },

  async remove(db: Db, stackId: string, logicalIds: readonly string[]): Promise<void> {
    if (!logicalIds.length) return;
    await db.run(`DELETE FROM stack_resources WHERE stack_id = ? AND logical_resource_id IN (${placeholders(logicalIds.length)})`, [stackId, ...logicalIds]);
  },
};
