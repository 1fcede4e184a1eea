// DetectStackDrift, DetectStackResourceDrift, GetStackDriftDetectionStatus,
// ListStackResourceDrifts (ROS API reference, 2019-09-10) over the drift the control plane puts
// on resources (PUT /_localros/stacks/{stackId}/resources/{logicalId}/drift). A detection checks
// every resource before DetectStackDrift answers, so it is DETECTION_COMPLETE (or, on a stack
// with an operation running, DETECTION_FAILED) when first read.
import { randomUUID } from 'node:crypto';
import { rosTime } from '../engine/clock.ts';
import { ApiError } from '../protocol/errors.ts';
import { stackDrift, type ResourceDriftResult, type StackDriftDetection } from '../store/repos/stack-drift.ts';
import { stackResources } from '../store/repos/stack-resources.ts';
import { checkResources, isDrifted, propertyDifferences } from '../stacks/drift/stack-drift.ts';
import { checkRegion, idempotent } from './common.ts';
import type { Params } from './action-params.ts';
import { tokenPage } from './next-token.ts';
import { requireStack } from './stacks.ts';
import type { ActionTable, RequestContext } from './types.ts';

const DETECTED = 'Detect stack drift successfully';

function regionOf(p: { RegionId: string }): string {
  const regionId = p.RegionId;
  checkRegion('RegionId', regionId);
  return regionId;
}

function driftView(stackId: string, r: ResourceDriftResult): Record<string, unknown> {
  return {
    StackId: stackId,
    LogicalResourceId: r.logical_resource_id,
    PhysicalResourceId: r.physical_resource_id ?? undefined,
    ResourceType: r.resource_type,
    ResourceDriftStatus: r.drift_status,
    DriftDetectionTime: r.drift_detection_time,
    ExpectedProperties: JSON.stringify(r.expected),
    ...(r.actual === null ? {} : { ActualProperties: JSON.stringify(r.actual) }),
    PropertyDifferences: propertyDifferences(r.expected, r.actual),
  };
}

async function detectStackDrift(ctx: RequestContext, p: Params<'DetectStackDrift'>) {
  const regionId = regionOf(p);
  const body = await idempotent(ctx, p, async (tx) => {
    const stack = await requireStack(tx, ctx, regionId, p.StackId);
    const only = p.LogicalResourceId;
    if (only?.length) {
      const known = new Set((await stackResources.list(tx, stack.id)).map((r) => r.logical_resource_id));
      const unknown = only.find((id) => !known.has(id));
      if (unknown !== undefined) throw new ApiError('StackResourceNotFound', { resource: unknown, name: stack.name });
    }
    const now = rosTime(ctx.services.clock.now());
    const detection: StackDriftDetection = {
      id: randomUUID(),
      stack_id: stack.id,
      account_id: ctx.accountId,
      region_id: regionId,
      status: 'DETECTION_FAILED',
      status_reason: `Drift can not be detected while the stack is ${stack.status}`,
      stack_drift_status: stack.drift_status ?? 'NOT_CHECKED',
      drifted_count: 0,
      detection_time: now,
    };
    if (!stack.status.endsWith('_IN_PROGRESS')) {
      const results = await checkResources(tx, ctx.services.templates, stack, now, only?.length ? only : undefined);
      const drifted = results.filter(isDrifted).length;
      Object.assign(detection, { status: 'DETECTION_COMPLETE', status_reason: DETECTED, stack_drift_status: drifted ? 'DRIFTED' : 'IN_SYNC', drifted_count: drifted });
      await stackDrift.setStack(tx, stack.id, detection.stack_drift_status, now);
    }
    await stackDrift.insertDetection(tx, detection);
    return { DriftDetectionId: detection.id };
  });
  return body;
}

// One resource, answered at once; the stack's own drift status does not change.
async function detectStackResourceDrift(ctx: RequestContext, p: Params<'DetectStackResourceDrift'>) {
  const regionId = regionOf(p);
  const body = await idempotent(ctx, p, async (tx) => {
    const stack = await requireStack(tx, ctx, regionId, p.StackId);
    const logicalId = p.LogicalResourceId;
    const resource = (await stackResources.list(tx, stack.id)).find((r) => r.logical_resource_id === logicalId);
    if (!resource) throw new ApiError('StackResourceNotFound', { resource: logicalId, name: stack.name });
    const [result] = await checkResources(tx, ctx.services.templates, stack, rosTime(ctx.services.clock.now()), [logicalId]);
    if (!result) {
      // Never created (or failed): there is nothing to compare.
      return { StackId: stack.id, LogicalResourceId: logicalId, ResourceType: resource.resource_type, ResourceDriftStatus: 'NOT_CHECKED' };
    }
    return driftView(stack.id, result);
  });
  return body;
}

async function getStackDriftDetectionStatus(ctx: RequestContext, p: Params<'GetStackDriftDetectionStatus'>) {
  const id = p.DriftDetectionId;
  const d = await stackDrift.detection(ctx.services.db, ctx.accountId, regionOf(p), id);
  if (!d) throw new ApiError('StackDriftDetectionNotFound', { ID: id });
  return {
    DriftDetectionId: d.id,
    StackId: d.stack_id,
    DriftDetectionStatus: d.status,
    DriftDetectionStatusReason: d.status_reason,
    StackDriftStatus: d.stack_drift_status,
    DriftedStackResourceCount: d.drifted_count,
    DriftDetectionTime: d.detection_time,
  };
}

async function listStackResourceDrifts(ctx: RequestContext, p: Params<'ListStackResourceDrifts'>) {
  const { db } = ctx.services;
  const stack = await requireStack(db, ctx, regionOf(p), p.StackId);
  const statuses = p.ResourceDriftStatus;
  const checked = (await stackDrift.checked(db, stack.id)).filter((r) => !statuses?.length || statuses.includes(r.drift_status));
  const { items, NextToken } = tokenPage(checked, p, p.MaxResults ?? 50);
  return { ResourceDrifts: items.map((r) => driftView(stack.id, r)), ...(NextToken ? { NextToken } : {}) };
}

export const stackDriftActions: ActionTable = {
  DetectStackDrift: { handle: detectStackDrift },
  DetectStackResourceDrift: { handle: detectStackResourceDrift },
  GetStackDriftDetectionStatus: { handle: getStackDriftDetectionStatus },
  ListStackResourceDrifts: { handle: listStackResourceDrifts },
};
