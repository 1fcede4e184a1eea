// The fault vocabulary, defined once: the control plane and the console validate with this
// schema, and the engine, the store, the testing library and the CLI use the types inferred
// from it.
import { z } from 'zod';

export const faultMatchSchema = z.strictObject({
  /** Only target actions of this account. */
  accountId: z.string().min(1).optional(),
  /** Only target actions in this region. */
  regionId: z.string().min(1).optional(),
  /** Only target actions of this stack group. */
  stackGroupName: z.string().min(1).optional(),
  /** Only actions of this standalone stack. */
  stackName: z.string().min(1).optional(),
  /** Only this resource of a standalone stack, by logical id. */
  logicalResourceId: z.string().min(1).optional(),
  /** Only resources of this type in a standalone stack. */
  resourceType: z.string().min(1).optional(),
  /** Only this kind of stack action. */
  action: z.enum(['CREATE', 'UPDATE', 'DELETE']).optional(),
});

// `delayMs` is required with `delay`: checked by the control plane's parseFault, which words it.
export const faultSpecSchema = z.strictObject({
  /** The target actions a fault applies to: every given field must match. */
  match: faultMatchSchema.prefault({}),
  /** `fail` fails the action, `hold` keeps it RUNNING until the fault is deleted, `delay` adds `delayMs`. */
  effect: z.enum(['fail', 'hold', 'delay']),
  /** With `fail`: the StatusReason of the failed targets. */
  message: z.string().min(1).max(1024).optional(),
  /** With `delay`: milliseconds added to each matching stack action. */
  delayMs: z.number().int().min(0).max(86_400_000).optional(),
  /** How many target actions the fault applies to; unlimited when unset. */
  times: z.number().int().min(1).optional(),
});

/** The target actions a fault applies to: every given field must match. */
export type FaultMatch = z.infer<typeof faultMatchSchema>;
export type FaultEffect = z.infer<typeof faultSpecSchema>['effect'];
/** A fault as `POST /_localros/faults` takes it (`match` may be left out: every target). */
export type FaultSpec = z.input<typeof faultSpecSchema>;
/** A fault spec as parsed: `match` always present. */
export type NewFault = z.output<typeof faultSpecSchema>;

/** A target action a hold keeps RUNNING. */
export interface HeldTarget {
  operationId: string;
  accountId: string;
  regionId: string;
  /** A standalone stack's operation holds its stack. */
  stackId?: string;
}

/** A fault as stored and as `GET /_localros/faults` lists it (without `held`). */
export interface StoredFault {
  id: string;
  match: FaultMatch;
  effect: FaultEffect;
  message: string | null;
  delayMs: number | null;
  timesRemaining: number | null;
  createTime: string;
}
