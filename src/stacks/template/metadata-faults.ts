// Fault injection for testers, a localros invention: resource Metadata
//   "LocalRos::Fail": "message"  -> creating or updating the resource fails with that message;
//   "LocalRos::DelayMs": 500     -> creating or updating the resource takes that long.
// The engine reads these through readFaultInjection; templates without them behave as ROS would.
import { ApiError } from '../../protocol/errors.ts';
import type { ResourceDef } from './types.ts';

export const FAIL_KEY = 'LocalRos::Fail';
export const DELAY_KEY = 'LocalRos::DelayMs';
// One hour: longer delays are almost certainly typos and would stall an operation for good.
export const MAX_DELAY_MS = 3_600_000;

export interface FaultInjection {
  readonly failMessage?: string;
  readonly delayMs?: number;
}

// Shared by every resource that injects nothing: a deploy keeps its plan, a fault per resource,
// while it runs (an empty object each was ~56 bytes a resource; issue 18).
const NO_FAULT: FaultInjection = Object.freeze({});

export function readFaultInjection(logicalId: string, def: ResourceDef): FaultInjection {
  const metadata = def.Metadata ?? {};
  const fail = metadata[FAIL_KEY];
  const delay = metadata[DELAY_KEY];
  if (fail === undefined && delay === undefined) return NO_FAULT;
  if (fail !== undefined && (typeof fail !== 'string' || fail === '')) {
    throw new ApiError('InvalidTemplate', { reason: `Metadata "${FAIL_KEY}" of resource ${logicalId} must be a non-empty string` });
  }
  if (delay !== undefined && (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0 || delay > MAX_DELAY_MS)) {
    throw new ApiError('InvalidTemplate', {
      reason: `Metadata "${DELAY_KEY}" of resource ${logicalId} must be an integer from 0 to ${MAX_DELAY_MS}`,
    });
  }
  return { ...(fail !== undefined ? { failMessage: fail } : {}), ...(delay !== undefined ? { delayMs: delay } : {}) };
}
