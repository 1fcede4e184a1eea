// Parameters of the tag and stack-drift actions, which the shared reference
// (catalogue.json) does not cover. Taken from the ROS API reference pages of each action
// (2019-09-10) and from how @alicloud/ros20190910 puts them on the wire: RPC style, lists flat
// (ResourceId.N, Tag.N.Key, TagKey.N).
import type { ParamDef } from './decode.ts';
import { CLIENT_TOKEN, scalar, strings, tagList } from './param-defs.ts';

// Tag values are checked by the handlers (api/tag-rules.ts), whose messages name the faulty tag.
export const TAG_AND_DRIFT_ACTION_PARAMS: Record<string, ParamDef[]> = {
  TagResources: [scalar('RegionId', undefined, true), scalar('ResourceType', undefined, true), strings('ResourceId', 50, true), tagList('Tag', true)],
  UntagResources: [
    scalar('RegionId', undefined, true),
    scalar('ResourceType', undefined, true),
    strings('ResourceId', 50, true),
    strings('TagKey', 20),
    { name: 'All', type: 'boolean', required: false, style: 'scalar' },
  ],
  ListTagResources: [scalar('RegionId', undefined, true), scalar('ResourceType', undefined, true), strings('ResourceId', 50), tagList('Tag'), scalar('NextToken')],
  ListTagKeys: [scalar('RegionId', undefined, true), scalar('ResourceType', undefined, true), scalar('NextToken')],
  ListTagValues: [scalar('RegionId', undefined, true), scalar('ResourceType', undefined, true), scalar('Key', undefined, true), scalar('NextToken')],

  DetectStackDrift: [scalar('RegionId', undefined, true), scalar('StackId', undefined, true), strings('LogicalResourceId', 200), scalar('ClientToken', CLIENT_TOKEN)],
  DetectStackResourceDrift: [scalar('RegionId', undefined, true), scalar('StackId', undefined, true), scalar('LogicalResourceId', undefined, true), scalar('ClientToken', CLIENT_TOKEN)],
  GetStackDriftDetectionStatus: [scalar('RegionId', undefined, true), scalar('DriftDetectionId', undefined, true)],
  ListStackResourceDrifts: [
    scalar('RegionId', undefined, true),
    scalar('StackId', undefined, true),
    strings('ResourceDriftStatus', 4),
    { name: 'MaxResults', type: 'integer', required: false, style: 'scalar', constraints: { min: 1, max: 100 } },
    scalar('NextToken'),
  ],
};
