// Parameters of the tag, stack-drift and change-set actions, which the shared reference
// (catalogue.json) does not cover. Taken from the ROS API reference pages of each action
// (2019-09-10) and from how @alicloud/ros20190910 puts them on the wire: RPC style, lists flat
// (ResourceId.N, Tag.N.Key, TagKey.N).
import type { ParamDef } from './decode.ts';

const scalar = (name: string, required = false, constraints?: ParamDef['constraints']): ParamDef => ({
  name,
  type: 'string',
  required,
  style: 'scalar',
  ...(constraints ? { constraints } : {}),
});

const strings = (name: string, maxItems: number, required = false): ParamDef => ({ name, type: 'array<string>', required, style: 'flat', constraints: { maxItems } });

// Values are checked by the handlers (api/tag-rules.ts), whose messages name the faulty tag.
const tags = (required: boolean): ParamDef => ({
  name: 'Tag',
  type: 'array<object>',
  required,
  style: 'flat',
  constraints: { maxItems: 20 },
  members: [
    { name: 'Key', type: 'string', required: true, style: 'flat-member' },
    { name: 'Value', type: 'string', required: false, style: 'flat-member' },
  ],
});

const CLIENT_TOKEN = { maxLength: 64, pattern: '^[A-Za-z0-9_-]{1,64}$' };

export const ISSUE12_ACTION_PARAMS: Record<string, ParamDef[]> = {
  TagResources: [scalar('RegionId', true), scalar('ResourceType', true), strings('ResourceId', 50, true), tags(true)],
  UntagResources: [
    scalar('RegionId', true),
    scalar('ResourceType', true),
    strings('ResourceId', 50, true),
    strings('TagKey', 20),
    { name: 'All', type: 'boolean', required: false, style: 'scalar' },
  ],
  ListTagResources: [scalar('RegionId', true), scalar('ResourceType', true), strings('ResourceId', 50), tags(false), scalar('NextToken')],
  ListTagKeys: [scalar('RegionId', true), scalar('ResourceType', true), scalar('NextToken')],
  ListTagValues: [scalar('RegionId', true), scalar('ResourceType', true), scalar('Key', true), scalar('NextToken')],

  DetectStackDrift: [scalar('RegionId', true), scalar('StackId', true), strings('LogicalResourceId', 200), scalar('ClientToken', false, CLIENT_TOKEN)],
  DetectStackResourceDrift: [scalar('RegionId', true), scalar('StackId', true), scalar('LogicalResourceId', true), scalar('ClientToken', false, CLIENT_TOKEN)],
  GetStackDriftDetectionStatus: [scalar('RegionId', true), scalar('DriftDetectionId', true)],
  ListStackResourceDrifts: [
    scalar('RegionId', true),
    scalar('StackId', true),
    strings('ResourceDriftStatus', 4),
    { name: 'MaxResults', type: 'integer', required: false, style: 'scalar', constraints: { min: 1, max: 100 } },
    scalar('NextToken'),
  ],
};
