// `localros/testing`: start a localros server from a test and drive it. See docs/testing.md.
export { startLocalRos, type LocalRos, type LocalRosConfig, type RosClientOverrides, type StartLocalRosOptions } from './local-ros.ts';
export {
  ControlPlaneError,
  createFaults,
  type Fault,
  type FaultEffect,
  type FaultHandle,
  type FaultMatch,
  type FaultOptions,
  type Faults,
  type FaultSpec,
  type HeldTarget,
  type HoldHandle,
  type WaitOptions,
} from '../client/control-plane.ts';
export { createRosClient, $ROS, type Credentials, type RosClient, type RosClientOptions } from '../client/ros-client.ts';
export { localRosEnv } from '../client/env.ts';
export { createResourceDirectory, type FolderNode, type ResourceDirectory } from './resource-directory.ts';
