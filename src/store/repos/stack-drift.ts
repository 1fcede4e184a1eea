// Drift of single stacks and their resources (migration 013): what the control plane put on a
// resource, the result of its last check, and the stack's detections.
import type { Db } from '../db.ts';
import type { JsonObject } from '../../stacks/template/index.ts';

export interface ResourceDriftInput {
  logical_resource_id: string;
  resource_type: string;
  physical_resource_id: string | null;
  status: string;
  // Set through the control plane: MODIFIED / DELETED, and the property values found.
  drift: string | null;
  drift_properties: JsonObject | null;
}

export interface ResourceDriftResult {
  logical_resource_id: string;
  resource_type: string;
  physical_resource_id: string | null;
  drift_status: string;
  drift_detection_time: string;
  expected: JsonObject;
  actual: JsonObject | null;
}

export interface StackDriftDetection {
  id: string;
  stack_id: string;
  account_id: string;
  region_id: string;
  status: string;
  status_reason: string;
  stack_drift_status: string;
  drifted_count: number;
  detection_time: string;
}

interface CheckedRow {
  logical_resource_id: string;
  resource_type: string;
  physical_resource_id: string | null;
  drift_status: string;
  drift_detection_time: string;
  drift_expected: string;
  drift_actual: string | null;
}

const parse = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

export const stackDrift = {
  // The control plane's word on a resource; `properties` are the values found outside ROS.
  async mark(db: Db, stackId: string, logicalResourceId: string, drift: string | null, properties: JsonObject | null): Promise<boolean> {
    const { changes } = await db.run(
      `UPDATE stack_resources SET drift = @drift, drift_properties = @properties WHERE stack_id = @stackId AND logical_resource_id = @logicalResourceId`,
      { stackId, logicalResourceId, drift, properties: drift === null || properties === null ? null : JSON.stringify(properties) },
    );
    return changes > 0;
  },

  async inputs(db: Db, stackId: string): Promise<ResourceDriftInput[]> {
    const rows = await db.all<Omit<ResourceDriftInput, 'drift_properties'> & { drift_properties: string | null }>(
      `SELECT logical_resource_id, resource_type, physical_resource_id, status, drift, drift_properties FROM stack_resources WHERE stack_id = @stackId ORDER BY seq`,
      { stackId },
    );
    return rows.map((r) => ({ ...r, drift_properties: parse<JsonObject>(r.drift_properties) }));
  },

  async record(db: Db, stackId: string, r: ResourceDriftResult): Promise<void> {
    await db.run(
      `UPDATE stack_resources SET drift_status = @status, drift_detection_time = @time, drift_expected = @expected, drift_actual = @actual
       WHERE stack_id = @stackId AND logical_resource_id = @logicalResourceId`,
      {
        stackId,
        logicalResourceId: r.logical_resource_id,
        status: r.drift_status,
        time: r.drift_detection_time,
        expected: JSON.stringify(r.expected),
        actual: r.actual === null ? null : JSON.stringify(r.actual),
      },
    );
  },

  // Resources checked at least once, in creation order.
  async checked(db: Db, stackId: string): Promise<ResourceDriftResult[]> {
    const rows = await db.all<CheckedRow>(
      `SELECT logical_resource_id, resource_type, physical_resource_id, drift_status, drift_detection_time, drift_expected, drift_actual
       FROM stack_resources WHERE stack_id = @stackId AND drift_status IS NOT NULL ORDER BY seq`,
      { stackId },
    );
    return rows.map((r) => ({ ...r, expected: JSON.parse(r.drift_expected) as JsonObject, actual: parse<JsonObject>(r.drift_actual) }));
  },

  // Each resource's last check, for ListStackResources.
  async statuses(db: Db, stackId: string): Promise<Map<string, { status: string; time: string }>> {
    const rows = await db.all<{ logical_resource_id: string; drift_status: string; drift_detection_time: string }>(
      `SELECT logical_resource_id, drift_status, drift_detection_time FROM stack_resources WHERE stack_id = @stackId AND drift_status IS NOT NULL`,
      { stackId },
    );
    return new Map(rows.map((r) => [r.logical_resource_id, { status: r.drift_status, time: r.drift_detection_time }]));
  },

  async setStack(db: Db, stackId: string, status: string, time: string): Promise<void> {
    await db.run(`UPDATE stacks SET drift_status = @status, drift_time = @time WHERE id = @stackId`, { stackId, status, time });
  },

  async insertDetection(db: Db, d: StackDriftDetection): Promise<void> {
    await db.run(
      `INSERT INTO stack_drift_detections (id, stack_id, account_id, region_id, status, status_reason, stack_drift_status, drifted_count, detection_time)
       VALUES (@id, @stack_id, @account_id, @region_id, @status, @status_reason, @stack_drift_status, @drifted_count, @detection_time)`,
      { ...d },
    );
  },

  async detection(db: Db, accountId: string, regionId: string, id: string): Promise<StackDriftDetection | undefined> {
    return db.get<StackDriftDetection>(`SELECT * FROM stack_drift_detections WHERE id = @id AND account_id = @accountId AND region_id = @regionId`, {
      id,
      accountId,
      regionId,
    });
  },
};
