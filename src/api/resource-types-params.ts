// Parameters of the resource-type actions, which the shared reference (catalogue.json) does not
// cover: ROS API reference pages ListResourceTypes, GetResourceType, GetResourceTypeTemplate and
// the MODULE actions (RegisterResourceType & co.) (2019-09-10), as @alicloud/ros20190910 puts
// them on the wire (query, scalars).
import type { ParamDef } from './decode.ts';
import { scalar } from './param-defs.ts';

const integer = (name: string, constraints: ParamDef['constraints']): ParamDef => ({ name, type: 'integer', required: false, style: 'scalar', constraints });

export const RESOURCE_TYPE_ACTION_PARAMS: Record<string, ParamDef[]> = {
  ListResourceTypes: [
    scalar('EntityType', { enum: ['All', 'Resource', 'DataSource', 'Module'] }),
    scalar('Provider', { enum: ['ROS', 'Self'] }),
    scalar('ResourceType'),
  ],
  GetResourceType: [scalar('ResourceType', undefined, true), scalar('VersionId')],
  GetResourceTypeTemplate: [scalar('ResourceType', undefined, true), scalar('VersionId')],
  RegisterResourceType: [
    scalar('EntityType', { enum: ['Module'] }, true),
    scalar('ResourceType', undefined, true),
    scalar('TemplateBody', { minBytes: 1, maxBytes: 524288 }),
    scalar('TemplateURL', { maxBytes: 1024 }),
    scalar('Description', { maxLength: 512 }),
    scalar('ClientToken', { maxLength: 64 }),
  ],
  ListResourceTypeVersions: [scalar('ResourceType', undefined, true)],
  ListResourceTypeRegistrations: [
    scalar('EntityType', { enum: ['Module'] }),
    scalar('ResourceType'),
    scalar('RegistrationId'),
    scalar('Status', { enum: ['IN_PROGRESS', 'COMPLETE', 'FAILED'] }),
    integer('PageNumber', { min: 1, default: 1 }),
    integer('PageSize', { min: 1, max: 50, default: 10 }),
  ],
  SetResourceType: [scalar('ResourceType', undefined, true), scalar('VersionId'), scalar('DefaultVersionId'), scalar('Description', { maxLength: 512 })],
  DeregisterResourceType: [scalar('ResourceType', undefined, true), scalar('VersionId')],
};
