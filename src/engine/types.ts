// Domain vocabulary of stack groups (semantics.md §1–§4).
export type OperationAction = 'CREATE' | 'UPDATE' | 'DELETE' | 'DETECT_DRIFT';
export type OperationStatus = 'QUEUED' | 'RUNNING' | 'STOPPING' | 'SUCCEEDED' | 'FAILED' | 'STOPPED';
export type ResultStatus = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
export type InstanceStatus = 'CURRENT' | 'OUTDATED' | 'INOPERABLE';
export type PermissionModel = 'SELF_MANAGED' | 'SERVICE_MANAGED';


export interface Parameter {
  ParameterKey: string;
  ParameterValue: string;
}

export interface Tag {
  Key: string;
  Value?: string;
}

export interface OperationPreferences {
  FailureToleranceCount?: number;
  FailureTolerancePercentage?: number;
  MaxConcurrentCount?: number;
  MaxConcurrentPercentage?: number;
  RegionConcurrencyType?: 'SEQUENTIAL' | 'PARALLEL';
}

// What an operation deploys, frozen when it is accepted so that a resumed operation deploys
// exactly what it would have deployed before the restart.
export interface RunSpec {
  templateBody: string;
  parameters: Parameter[];
  disableRollback: boolean;
  timeoutInMinutes: number;
  // ImportStacksToStackGroup: the targets adopt existing stacks instead of deploying.
  adoptStacks?: boolean;
}

// TimeoutInMinutes when the caller gives none (ros-api.md defaults).
export const DEFAULT_TIMEOUT_MINUTES = 60;

export const STOP_REASON = 'User initiated stop';
// The AWS StackSets wording; ROS publishes none (semantics.md §14.10).
export const TOLERANCE_REASON = 'Cancelled since failure tolerance has exceeded';
export const GROUP_UPDATED_REASON = 'Stack group updated, instance not updated';
