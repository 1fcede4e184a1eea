// Reading a fault rule from a request body, for the control plane and the console alike.
import { describeIssue } from '../config/load.ts';
import { faultSpecSchema, type NewFault } from '../domain/fault.ts';

export class FaultInputError extends Error {
  override readonly name = 'FaultInputError';
}

export function parseFault(body: unknown): NewFault {
  const parsed = faultSpecSchema.safeParse(body);
  if (!parsed.success) throw new FaultInputError(parsed.error.issues.map(describeIssue).join('; '));
  if (parsed.data.effect === 'delay' && parsed.data.delayMs === undefined) throw new FaultInputError('"delayMs" is required with effect "delay"');
  return parsed.data;
}
