// Parameters of the standalone stack actions, which the shared reference (catalogue.json) does
// not cover: the ROS API reference pages of the same names (2019-09-10) and the request models of
// @alicloud/ros20190910, which put lists on the wire flat (Parameters.1.ParameterKey,
// NotificationURLs.1, RetainResources.1). Parameters of features localros does not emulate
// (Parallelism, CreateOption(s), TemplateScratchId, DryRun, TaintResources, ReplacementOption,
// DeleteOptions, …) are accepted and ignored like any undefined parameter.
import type { ParamDef } from '../decode.ts';
import { bool, CLIENT_TOKEN as CLIENT_TOKEN_RULE, scalar, strings, tagList } from '../param-defs.ts';

const REGION = scalar('RegionId', undefined, true);
const STACK_ID = scalar('StackId', undefined, true);
// "Up to 255 characters … must start with a digit or letter … digits, letters, hyphens (-) and
// underscores (_)".
const STACK_NAME = { minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$' };
const CLIENT_TOKEN = scalar('ClientToken', CLIENT_TOKEN_RULE);
const TEMPLATE_BODY = scalar('TemplateBody', { minBytes: 1, maxBytes: 524288 });
const POLICY_BODY = (name: string) => scalar(name, { minBytes: 1, maxBytes: 16384 });
const TIMEOUT = { name: 'TimeoutInMinutes', type: 'integer', required: false, style: 'scalar', constraints: { min: 10, max: 1440 } } satisfies ParamDef;
const PARAMETERS: ParamDef = {
  name: 'Parameters',
  type: 'array<object>',
  required: false,
  style: 'flat',
  constraints: { maxItems: 200 },
  members: [
    { name: 'ParameterKey', type: 'string', required: true, style: 'flat-member' },
    { name: 'ParameterValue', type: 'string', required: true, style: 'flat-member' },
  ],
};
const TAGS = tagList('Tags');
// A stack policy, given inline or by URL.
const STACK_POLICY = [POLICY_BODY('StackPolicyBody'), scalar('StackPolicyURL', { maxBytes: 1350 })];
const TEMPLATE_SOURCE = [TEMPLATE_BODY, scalar('TemplateURL', { maxBytes: 1024 }), scalar('TemplateId'), scalar('TemplateVersion')];
const RAM_ROLE = scalar('RamRoleName', { maxBytes: 64 });
const ENABLED = { enum: ['Enabled', 'Disabled'] };

export const STACK_ACTION_PARAMS: Record<string, ParamDef[]> = {
  CreateStack: [
    REGION,
    scalar('StackName', STACK_NAME, true),
    ...TEMPLATE_SOURCE,
    PARAMETERS,
    bool('DisableRollback'),
    TIMEOUT,
    strings('NotificationURLs', 5),
    ...STACK_POLICY,
    RAM_ROLE,
    scalar('DeletionProtection', ENABLED),
    scalar('ResourceGroupId'),
    TAGS,
    CLIENT_TOKEN,
  ],
  UpdateStack: [
    REGION,
    STACK_ID,
    ...TEMPLATE_SOURCE,
    PARAMETERS,
    bool('UsePreviousParameters'),
    bool('DisableRollback'),
    TIMEOUT,
    ...STACK_POLICY,
    POLICY_BODY('StackPolicyDuringUpdateBody'),
    scalar('StackPolicyDuringUpdateURL', { maxBytes: 1350 }),
    RAM_ROLE,
    scalar('ResourceGroupId'),
    TAGS,
    CLIENT_TOKEN,
  ],
  DeleteStack: [REGION, STACK_ID, bool('RetainAllResources'), strings('RetainResources'), RAM_ROLE],
  ContinueCreateStack: [REGION, STACK_ID, ...TEMPLATE_SOURCE, PARAMETERS, RAM_ROLE, scalar('Mode', { enum: ['Recreate', 'Ignore'] }), strings('RecreatingResources'), bool('DryRun')],
  CancelUpdateStack: [REGION, STACK_ID, scalar('CancelType', { enum: ['Quick', 'Safe'] })],
  CancelStackOperation: [REGION, STACK_ID, scalar('CancelType', { enum: ['Quick', 'Safe'] }), strings('AllowedStackOperations')],
  PreviewStack: [
    REGION,
    scalar('StackName', STACK_NAME),
    scalar('StackId'),
    ...TEMPLATE_SOURCE,
    PARAMETERS,
    bool('UsePreviousParameters'),
    bool('DisableRollback'),
    TIMEOUT,
    ...STACK_POLICY,
    CLIENT_TOKEN,
  ],
  GetStackResource: [REGION, STACK_ID, scalar('LogicalResourceId', undefined, true), bool('ShowResourceAttributes'), strings('ResourceAttributes'), CLIENT_TOKEN],
  SetDeletionProtection: [REGION, STACK_ID, scalar('DeletionProtection', ENABLED, true)],
  GetStackPolicy: [REGION, STACK_ID],
  SetStackPolicy: [REGION, STACK_ID, ...STACK_POLICY],
  SignalResource: [
    REGION,
    STACK_ID,
    scalar('LogicalResourceId', undefined, true),
    scalar('UniqueId', { minLength: 1, maxLength: 64 }, true),
    scalar('Status', { enum: ['SUCCESS', 'FAILURE', 'WARNING'] }, true),
    CLIENT_TOKEN,
  ],
};
