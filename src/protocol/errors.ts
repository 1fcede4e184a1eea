// The one catalogue of wire errors. Codes, statuses and message templates follow
// the cloud's documented gateway errors, ROS common errors and stack-group and template errors
// (spec/ros-api.json, `commonErrors` and each action's `errors`). Handlers throw `new ApiError('Code', { placeholder: value })`; the dispatcher
// renders the envelope. Templates use `{name}` placeholders; a missing argument is left visible.

export const ERROR_CATALOGUE = {
  // Gateway: routing, authentication, freshness.
  'InvalidAction.NotFound': { status: 404, message: 'Specified api is not found, please check your url and method.' },
  MissingAction: { status: 400, message: 'Action is mandatory for this action.' },
  MissingVersion: { status: 400, message: 'Version is mandatory for this action.' },
  MissingAccessKeyId: { status: 400, message: 'AccessKeyId is mandatory for this action.' },
  MissingSignature: { status: 400, message: 'Signature is mandatory for this action.' },
  MissingSignatureNonce: { status: 400, message: 'SignatureNonce is mandatory for this action.' },
  MissingTimestamp: { status: 400, message: 'Timestamp is mandatory for this action.' },
  InvalidVersion: { status: 400, message: 'Specified parameter Version is not valid.' },
  'InvalidParameter.Format': { status: 400, message: 'Specified parameter format is not valid.' },
  'InvalidAccessKeyId.NotFound': { status: 404, message: 'Specified access key is not found.' },
  'InvalidTimeStamp.Format': { status: 400, message: 'Specified time stamp or date value is not well formatted.' },
  'InvalidTimeStamp.Expired': { status: 400, message: 'Specified time stamp or date value is expired.' },
  SignatureNonceUsed: { status: 400, message: 'Specified signature nonce was used already.' },
  InvalidSignatureMethod: { status: 400, message: 'Specified signature method is not valid.' },
  SignatureDoesNotMatch: {
    status: 400,
    message: 'Specified signature is not matched with our calculation. server string to sign is:{stringToSign}',
  },
  IncompleteSignature: { status: 400, message: 'The request signature does not conform to Aliyun standards. {reason}' },
  UnsupportedHTTPMethod: { status: 400, message: 'This http method is not supported.' },
  // Refused before any API handling (docs/fidelity.md: the cloud's gateway answers these with
  // bodies of its own, not documented).
  RequestHeaderTooLarge: { status: 431, message: 'The request headers are larger than the server accepts.' },
  MalformedRequest: { status: 400, message: 'The request could not be read: {reason}.' },
  InternalError: {
    status: 500,
    message: 'The request processing has failed due to some unknown error, exception or failure.',
  },

  // ROS common errors.
  MissingParameter: { status: 400, message: 'The input parameter {name} should be specified.' },
  MissingOneOfParameters: { status: 400, wireCode: 'MissingParameter', message: 'One of the input parameters {names} should be specified.' },
  InvalidParameter: { status: 400, message: 'The specified parameter {name} is invalid, {reason}.' },
  MultipleParameter: { status: 400, message: 'Only one of the input parameters {names} can be specified.' },
  InvalidIdempotenceParameter: { status: 400, message: 'The specified parameters are different from before.' },
  LastTokenProcessing: { status: 400, message: 'The last token request is processing.' },
  RequestLimitExceeded: { status: 400, message: 'Request limit exceeded: {reason}.' },
  NotSupported: { status: 400, message: '{feature} is not supported.' },

  // Template validation (CreateStackGroup / UpdateStackGroup and the stack APIs).
  CircularDependency: { status: 400, message: 'Circular Dependency Found: {reason}.' },
  InvalidSchema: { status: 400, message: '{reason}.' },
  InvalidTemplate: { status: 400, message: '{reason}.' },
  InvalidTemplateAttribute: { status: 400, message: 'The Referenced Attribute ({resource} {name}) is incorrect.' },
  InvalidTemplatePropertyType: { status: 400, message: 'The specified value type of ({resource} {section}) is incorrect.' },
  InvalidTemplateReference: { status: 400, message: 'The specified reference "{name}" (in {referencer}) is incorrect.' },
  InvalidTemplateSection: { status: 400, message: 'The template section is invalid: {section}.' },
  InvalidTemplateVersion: { status: 400, message: 'The template version is invalid: {reason}.' },
  UnknownUserParameter: { status: 400, message: 'The Parameter ({name}) was not defined in template.' },
  UserParameterMissing: { status: 400, message: 'The Parameter {name} was not provided.' },
  StackValidationFailed: { status: 400, message: '{reason}.' },
  // Heat's message for a type it does not have, as ROS keeps it [INF].
  ResourceTypeNotFound: { status: 404, message: 'The Resource Type ({type}) could not be found.' },
  // A version of a registered module that is not there [INF: the cloud's code for the type].
  ResourceTypeVersionNotFound: { status: 404, wireCode: 'ResourceTypeNotFound', message: 'The Resource Type ({type}) with version ({version}) could not be found.' },
  TemplateNotFound: { status: 404, message: 'The Template ({ID}) could not be found.' },
  TemplateVersionNotFound: { status: 404, wireCode: 'TemplateNotFound', message: 'The Template {ID} with version {version} could not be found.' },
  ChangeSetNotFound: { status: 404, message: 'The ChangeSet {ID} could not be found.' },
  // Change sets (issue 12): the cloud's names are not published [INF].
  ChangeSetExists: { status: 409, message: 'The ChangeSet ({name}) already exists in Stack {stack}.' },
  InvalidChangeSetStatus: { status: 400, message: 'The ChangeSet {ID} cannot be {action}, its ExecutionStatus is {status}.' },

  // Stack groups, instances, operations.
  StackGroupExists: { status: 409, message: 'The StackGroup ({name}) already exists.' },
  StackGroupNotFound: { status: 404, message: 'The StackGroup ({name}) could not be found.' },
  StackGroupNotEmpty: { status: 400, message: 'The StackGroup ({name}) is not empty.' },
  StackGroupOperationInProgress: { status: 409, message: 'Another Operation on StackGroup ({name}) is in progress.' },
  StackGroupOperationNotFound: { status: 404, message: 'The StackGroupOperation ({OperationId}) could not be found.' },
  StackInstanceExists: { status: 409, message: 'The StackInstance ({instance}) already exists.' },
  StackInstanceNotFound: { status: 404, message: 'The StackInstance could not be found.' },
  StackNotFound: { status: 404, message: 'The Stack ({name}) could not be found.' },

  // Standalone stacks (issue 12; the ROS API reference pages of the stack actions).
  StackExists: { status: 409, message: 'The Stack ({name}) already exists.' },
  ActionInProgress: { status: 409, message: 'Stack {name} already has an action ({action}) in progress.' },
  // A wait condition handle's URL with a wrong signature [INF: the cloud's wording is not published].
  InvalidWaitConditionSignature: { status: 403, wireCode: 'Forbidden', message: 'The signature of wait condition handle {handle} is not valid.' },
  StackResourceNotFound: { status: 404, message: 'The Resource ({resource}) could not be found in Stack {name}.' },
  // Not published for DeleteStack; modelled on SetDeletionProtection's documented error.
  'InvalidOperation.DeletionProtection': { status: 400, message: 'Fail to delete stack {ID}, the stack has deletion protection enabled.' },
  'InvalidOperation.SetDeletionProtection': { status: 400, message: 'Fail to set deletion protection for {type} {ID}, {reason}.' },
  // A stack of a stack instance is changed through its group only.
  StackManagedByStackGroup: { status: 400, wireCode: 'NotSupported', message: '{action} of a stack that belongs to stack group {group} is not supported.' },
  // An action that needs the stack in another state (ContinueCreateStack, cancels).
  'InvalidStackStatus': { status: 400, wireCode: 'InvalidParameter', message: 'The specified parameter StackId is invalid, {reason}.' },

  // Stack drift (issue 12).
  StackDriftDetectionNotFound: { status: 404, message: 'The StackDriftDetection ({ID}) could not be found.' },
} as const satisfies Record<string, { status: number; message: string; wireCode?: string }>;

export type ErrorName = keyof typeof ERROR_CATALOGUE;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: string;
  readonly status: number;

  constructor(
    readonly entry: ErrorName,
    readonly args: Record<string, string | number> = {},
  ) {
    const def: { status: number; message: string; wireCode?: string } = ERROR_CATALOGUE[entry];
    super(renderTemplate(def.message, args));
    this.code = def.wireCode ?? entry;
    this.status = def.status;
  }
}

export function renderTemplate(template: string, args: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in args ? String(args[key]) : whole)).trim();
}

export const invalidParameter = (name: string, reason: string): ApiError =>
  new ApiError('InvalidParameter', { name, reason });
