// Parameters of the change-set actions (issue 12), which the shared reference (catalogue.json)
// does not cover: the ROS API reference pages CreateChangeSet, GetChangeSet, ListChangeSets,
// ExecuteChangeSet and DeleteChangeSet (2019-09-10) and the request models of
// @alicloud/ros20190910 (lists flat: Parameters.1.ParameterKey, Status.1). Parameters of features
// localros does not emulate (Parallelism, ReplacementOption, ResourcesToImport, TaintResources,
// TemplateScratchId, …) are accepted and ignored like any undefined parameter.
import type { ParamDef } from './decode.ts';
import { STACK_ACTION_PARAMS } from './stacks/params.ts';

const scalar = (name: string, constraints?: ParamDef['constraints'], required = false): ParamDef => ({
  name,
  type: 'string',
  required,
  style: 'scalar',
  ...(constraints ? { constraints } : {}),
});
const strings = (name: string): ParamDef => ({ name, type: 'array<string>', required: false, style: 'flat' });
const integer = (name: string, constraints: ParamDef['constraints']): ParamDef => ({ name, type: 'integer', required: false, style: 'scalar', constraints });

const REGION = scalar('RegionId', undefined, true);
const CHANGE_SET_ID = scalar('ChangeSetId', undefined, true);
// "Up to 255 characters … must start with a digit or letter … digits, letters, hyphens (-) and
// underscores (_)", as stack names.
const NAME = { minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$' };

// The stack parameters CreateChangeSet shares with CreateStack / UpdateStack.
const shared = (names: string[]): ParamDef[] => {
  const byName = new Map([...STACK_ACTION_PARAMS.CreateStack!, ...STACK_ACTION_PARAMS.UpdateStack!].map((d) => [d.name, d]));
  return names.map((n) => byName.get(n)!);
};

export const CHANGE_SET_ACTION_PARAMS: Record<string, ParamDef[]> = {
  CreateChangeSet: [
    REGION,
    scalar('ChangeSetName', NAME, true),
    scalar('ChangeSetType', { enum: ['CREATE', 'UPDATE'] }),
    scalar('StackId'),
    scalar('StackName', NAME),
    scalar('Description', { maxLength: 1024 }),
    ...shared([
      'TemplateBody',
      'TemplateURL',
      'TemplateId',
      'TemplateVersion',
      'Parameters',
      'UsePreviousParameters',
      'DisableRollback',
      'TimeoutInMinutes',
      'NotificationURLs',
      'StackPolicyBody',
      'StackPolicyURL',
      'StackPolicyDuringUpdateBody',
      'StackPolicyDuringUpdateURL',
      'RamRoleName',
      'ResourceGroupId',
      'ClientToken',
    ]),
  ],
  GetChangeSet: [REGION, CHANGE_SET_ID, { name: 'ShowTemplate', type: 'boolean', required: false, style: 'scalar' }],
  ListChangeSets: [
    REGION,
    scalar('StackId', undefined, true),
    scalar('ChangeSetId'),
    strings('ChangeSetName'),
    strings('Status'),
    strings('ExecutionStatus'),
    integer('PageNumber', { min: 1 }),
    integer('PageSize', { min: 1, max: 50 }),
  ],
  ExecuteChangeSet: [REGION, CHANGE_SET_ID, ...shared(['ClientToken'])],
  DeleteChangeSet: [REGION, CHANGE_SET_ID],
};
