// What a fault rule may look like, for the control plane and the console alike.
import { z } from 'zod';
import { describeIssue } from '../config/load.ts';
import type { NewFault } from '../engine/faults.ts';

const faultSchema = z.strictObject({
  match: z
    .strictObject({
      accountId: z.string().min(1).optional(),
      regionId: z.string().min(1).optional(),
      stackGroupName: z.string().min(1).optional(),
      stackName: z.string().min(1).optional(),
      logicalResourceId: z.string().min(1).optional(),
      resourceType: z.string().min(1).optional(),
      action: z.enum(['CREATE', 'UPDATE', 'DELETE']).optional(),
    })
    .prefault({}),
  effect: z.enum(['fail', 'hold', 'delay']),
  message: z.string().min(1).max(1024).optional(),
  delayMs: z.number().int().min(0).max(86_400_000).optional(),
  times: z.number().int().min(1).optional(),
});

export class FaultInputError extends Error {
  override readonly name = 'FaultInputError';
}

export function parseFault(body: unknown): NewFault {
  const parsed = faultSchema.safeParse(body);
  if (!parsed.success) throw new FaultInputError(parsed.error.issues.map(describeIssue).join('; '));
  if (parsed.data.effect === 'delay' && parsed.data.delayMs === undefined) throw new FaultInputError('"delayMs" is required with effect "delay"');
  return parsed.data;
}

// Hosts that only this machine can reach; the control plane and the console are open there.
export const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;
