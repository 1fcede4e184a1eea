// Parameters of the template library actions, which the shared reference (catalogue.json) does
// not cover. Taken from the ROS API reference pages CreateTemplate, GetTemplate, ListTemplates,
// UpdateTemplate and DeleteTemplate (2019-09-10) and from how @alicloud/ros20190910 puts them on
// the wire (TemplateBody in the form body, lists flat: Tags.N.Key, Tag.N.Key). Parameters left
// out (ListTemplates Filters, CreateTemplate ValidationOptions, UpdateTemplate RotateStrategy)
// are ignored like any undefined parameter.
import type { ParamDef } from './decode.ts';
import { scalar, tagList } from './param-defs.ts';

// "Up to 255 characters … must start with a digit, letter, or Chinese character … digits,
// letters, Chinese characters, hyphens (-), and underscores (_)".
const TEMPLATE_NAME = { minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5_-]{0,254}$' };
const TEMPLATE_BODY = { minBytes: 1, maxBytes: 524288 };
const TEMPLATE_URL = { maxBytes: 1024 };
const DESCRIPTION = { maxLength: 256 };
const ENABLED = { enum: ['Enabled', 'Disabled'] };
const STACK_GROUP_NAME = { minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$' };

export const EXTRA_ACTION_PARAMS: Record<string, ParamDef[]> = {
  CreateTemplate: [
    scalar('TemplateName', TEMPLATE_NAME, true),
    scalar('TemplateBody', TEMPLATE_BODY),
    scalar('TemplateURL', TEMPLATE_URL),
    scalar('Description', DESCRIPTION),
    scalar('ResourceGroupId'),
    tagList('Tags'),
  ],
  GetTemplate: [
    scalar('RegionId'),
    scalar('TemplateId'),
    scalar('TemplateVersion'),
    scalar('StackId'),
    scalar('ChangeSetId'),
    scalar('StackGroupName', STACK_GROUP_NAME),
    scalar('TemplateStage', { enum: ['Processed', 'Original'] }),
    scalar('IncludePermission', ENABLED),
    scalar('IncludeTags', ENABLED),
  ],
  ListTemplates: [
    scalar('TemplateName', TEMPLATE_NAME),
    scalar('ShareType', { enum: ['Private', 'Shared', 'Official'] }),
    scalar('ResourceGroupId'),
    scalar('IncludeTags', ENABLED),
    tagList('Tag'),
    { name: 'PageNumber', type: 'integer', required: false, style: 'scalar', constraints: { min: 1 } },
    { name: 'PageSize', type: 'integer', required: false, style: 'scalar', constraints: { min: 1, max: 50 } },
  ],
  UpdateTemplate: [
    scalar('TemplateId', undefined, true),
    scalar('TemplateBody', TEMPLATE_BODY),
    scalar('TemplateURL', TEMPLATE_URL),
    scalar('TemplateName', TEMPLATE_NAME),
    scalar('Description', DESCRIPTION),
    { name: 'IsDraft', type: 'boolean', required: false, style: 'scalar' },
  ],
  DeleteTemplate: [scalar('TemplateId', undefined, true)],
};
