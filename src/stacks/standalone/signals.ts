// Signals of wait condition handles, from the handle's URL (wait-condition-route.ts) or from
// SignalResource: stored (migration 019), then the stack's waiting operation is woken, on this
// replica directly and on the others by the cluster bus.
import { ApiError } from '../../protocol/errors.ts';
import { SIGNAL_TOPIC, type ClusterBus } from '../../store/cluster-bus.ts';
import type { Db } from '../../store/db.ts';
import type { Stack } from '../../store/repos/stacks.ts';
import { waitConditions, type WaitSignal } from '../../store/repos/wait-conditions.ts';
import { parseTemplate } from '../template/index.ts';
import { isJsonObject } from '../template/types.ts';
import { SIGNAL_STATUSES, WAIT_CONDITION_TYPE, WAIT_HANDLE_TYPE } from './wait-conditions.ts';

export interface SignalInput {
  id?: string;
  status: string;
  reason?: string;
  data?: string;
}

// The documented curl examples pad the status with spaces (`" SUCCESS "`).
export function signalStatus(raw: unknown): WaitSignal['status'] | undefined {
  const status = typeof raw === 'string' ? raw.trim().toUpperCase() : raw === undefined ? 'SUCCESS' : '';
  return (SIGNAL_STATUSES as readonly string[]).includes(status) ? (status as WaitSignal['status']) : undefined;
}

// The handle a logical id signals: a WaitConditionHandle itself, or the handle of a
// WaitCondition (its `Handle: {Ref: …}`); undefined when it is neither.
export function handleOf(stack: Stack, logicalId: string): string | undefined {
  let resources;
  try {
    resources = parseTemplate(stack.pending?.templateBody ?? stack.template_body).Resources;
  } catch (e) {
    if (e instanceof ApiError) return undefined;
    throw e;
  }
  const def = Object.hasOwn(resources, logicalId) ? resources[logicalId] : undefined;
  if (def?.Type === WAIT_HANDLE_TYPE) return logicalId;
  if (def?.Type !== WAIT_CONDITION_TYPE || !isJsonObject(def.Properties)) return undefined;
  const handle = def.Properties.Handle;
  return isJsonObject(handle) && typeof handle.Ref === 'string' ? handle.Ref : undefined;
}

// In the caller's transaction: the other replicas hear of the signal once it commits.
export async function storeSignal(tx: Db, bus: ClusterBus | undefined, stackId: string, handle: string, s: SignalInput & { status: WaitSignal['status'] }, nowMs: number): Promise<string> {
  await bus?.publish(tx, SIGNAL_TOPIC, stackId);
  return waitConditions.addSignal(tx, stackId, {
    handle,
    status: s.status,
    reason: s.reason ?? null,
    data: s.data ?? null,
    receivedMs: nowMs,
    ...(s.id !== undefined ? { id: s.id } : {}),
  });
}
