// What one stack action leaves behind (simulate.ts computes it, stack-writer.ts stores it), and
// the wording of its statuses.
import type { StackEvent } from '../../store/repos/stack-events.ts';
import type { StackResource } from '../../store/repos/stack-resources.ts';
import type { Phase } from './deploy-work.ts';
import type { JsonObject, JsonValue, OutputItem, PlannedResource, PseudoParameters, ResolvedParameters, StackOutputLookup, Template } from '../template/index.ts';

export type StackAction = 'CREATE' | 'UPDATE' | 'DELETE';

export const STACK_RESOURCE_TYPE = 'ALIYUN::ROS::Stack';
// Heat, whose engine ROS keeps, reports every ordinary resource transition with this reason; so
// do the ROS API reference examples (ListStackResources, ListStackEvents).
export const STATE_CHANGED = 'state changed';
export const RETAINED = 'state changed (DeletionPolicy is Retain, the resource was kept)';
export const TIMED_OUT = 'Resource action timed out';
// GetStack's documented example: "Stack successfully created".
export const SUCCESS: Record<StackAction, string> = {
  CREATE: 'Stack successfully created',
  UPDATE: 'Stack successfully updated',
  DELETE: 'Stack successfully deleted',
};

export const startedReason = (action: StackAction): string => `Stack ${action} started`;

export interface DeployedTemplate {
  // Count already expanded.
  template: Template;
  conditions?: Record<string, boolean>;
  parameters: ResolvedParameters;
  // The planned resources, whose DependsOn and DeletionPolicy the stack keeps.
  planned?: Readonly<Record<string, PlannedResource>>;
}

export interface SimulationInput {
  action: StackAction;
  stackId: string;
  stackName: string;
  pseudo: PseudoParameters;
  // What the action deploys; for DELETE the stack's current template, when it can be read.
  target?: DeployedTemplate;
  // UPDATE: what the stack held before, for the outputs of a rolled-back update.
  previous?: DeployedTemplate;
  existing: readonly StackResource[];
  phases: readonly Phase[];
  disableRollback: boolean;
  // Other stacks' outputs, read before the action, for Fn::GetStackOutput.
  stackOutputs?: StackOutputLookup;
  // Runs ALIYUN::ROS::Stack resources as real child stacks (standalone stacks); without it they
  // are simulated like any other resource.
  nested?: NestedStackRunner;
  // Makes wait conditions wait for real signals (standalone stacks); without it they complete at once.
  waits?: WaitConditionRunner;
}

// Where a WaitCondition stands: still waiting (until the clock time `untilMs`), or ended at the
// offset `endMs` of the action.
export type WaitState =
  | { kind: 'pending'; untilMs: number }
  | { kind: 'done'; endMs: number; attributes: Record<string, JsonValue> }
  | { kind: 'failed'; endMs: number; reason: string };

export interface WaitConditionRunner {
  // The URL, Headers and CLI attributes of a WaitConditionHandle.
  handleAttributes(logicalId: string): Record<string, JsonValue>;
  // A WaitCondition on the handle `handle` (logical id) that starts at the offset `atMs`.
  wait(handle: string, count: number, timeoutMs: number, atMs: number): WaitState;
}

// What a resource of type ALIYUN::ROS::Stack became: its child stack (physical id) and the
// child's outputs as attributes, or why the child failed.
export type NestedOutcome = { ok: true; physicalId: string; attributes: Record<string, JsonValue> } | { ok: false; reason: string };

export interface NestedStackRunner {
  // Creates (physicalId null) or updates the child stack; `atMs` is the offset in the parent's action.
  deploy(logicalId: string, physicalId: string | null, properties: JsonObject, atMs: number): NestedOutcome;
  // Deletes the child stack (the parent deletes its resource).
  remove(logicalId: string, physicalId: string, atMs: number): void;
  // The parent rolls back: what the children of this action did is undone.
  rollback(atMs: number): void;
}

export interface Timing {
  startMs: number;
  stackOperationMs: number;
  // Control-plane delay faults: the action starts this much later.
  faultDelayMs: number;
  timeoutMs: number;
  // A control-plane fail fault: the stack fails as a whole with this message, no resource touched.
  failMessage?: string;
}

export interface Deployment {
  ok: boolean;
  status: string;
  statusReason: string;
  // A rolled-back update: the stack keeps its previous template and parameters.
  keepsPrevious: boolean;
  resources: StackResource[];
  events: StackEvent[];
  outputs: OutputItem[];
  durationMs: number;
  startTime: string;
  endTime: string;
  // The action stopped at a wait condition still waiting, until this clock time at the latest:
  // the deployment is what the stack shows meanwhile (status *_IN_PROGRESS).
  waitingUntilMs?: number;
}

export const timeoutReason = (action: string, timeoutMs: number): string => `Stack ${action} timed out after ${Math.round(timeoutMs / 60_000)} minute(s)`;
