// Parameters of the resource-type actions, which the shared reference (catalogue.json) does not
// cover: ROS API reference pages ListResourceTypes, GetResourceType and GetResourceTypeTemplate
// (2019-09-10), as @alicloud/ros20190910 puts them on the wire (query, scalars).
import type { ParamDef } from './decode.ts';
import { scalar } from './param-defs.ts';

export const RESOURCE_TYPE_ACTION_PARAMS: Record<string, ParamDef[]> = {
  ListResourceTypes: [
    scalar('EntityType', { enum: ['All', 'Resource', 'DataSource', 'Module'] }),
    scalar('Provider', { enum: ['ROS', 'Self'] }),
    scalar('ResourceType'),
  ],
  GetResourceType: [scalar('ResourceType', undefined, true), scalar('VersionId')],
  GetResourceTypeTemplate: [scalar('ResourceType', undefined, true), scalar('VersionId')],
};
