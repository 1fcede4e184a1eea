// The actions of @alicloud/ros20190910 that localros does not emulate, each with why. They are
// known actions (unlike a misspelt one, which answers InvalidAction.NotFound as the gateway
// does): the call is authenticated, then answered `NotSupported` (400) with the reason. The
// README's action table lists them with the same reasons (test/sdk/action-table.test.ts).
import { ApiError } from '../protocol/errors.ts';
import type { CompiledAction } from '../protocol/dispatch.ts';

const AI = 'the ROS AI assistant runs a language model in the cloud';
const DIAGNOSTICS = 'diagnostics analyse failures of real cloud resources';
const SCRATCH = 'resource scenarios (scratches) read existing cloud resources, which localros does not have';
const SERVICES = 'service activation belongs to the cloud account; localros treats every service as enabled';

export const UNSUPPORTED_ACTIONS: Readonly<Record<string, string>> = {
  CreateAITask: AI,
  GetAITask: AI,
  ListAITasks: AI,
  ListAITaskEvents: AI,
  StartChat: AI,
  StopChat: AI,
  ListChatSessions: AI,
  ListChatMessages: AI,
  CreateDiagnostic: DIAGNOSTICS,
  GetDiagnostic: DIAGNOSTICS,
  ListDiagnostics: DIAGNOSTICS,
  DeleteDiagnostic: DIAGNOSTICS,
  CreateTemplateScratch: SCRATCH,
  GetTemplateScratch: SCRATCH,
  ListTemplateScratches: SCRATCH,
  UpdateTemplateScratch: SCRATCH,
  DeleteTemplateScratch: SCRATCH,
  GenerateTemplateByScratch: SCRATCH,
  UpdateStackTemplateByResources: 'it reads the current configuration of real cloud resources',
  GenerateTemplatePolicy: 'RAM policies are not emulated',
  GetTemplateEstimateCost: 'localros has no prices',
  GetTemplateParameterConstraints: 'it queries the inventory of a real region (zones, instance types)',
  GetTemplateRecommendParameters: 'it queries the inventory of a real region (zones, instance types)',
  ListTemplateVersions: 'not emulated yet (GetTemplate with TemplateVersion reads a version)',
  SetTemplatePermission: 'sharing templates between accounts is not emulated',
  ListStackOperationRisks: 'risk checks inspect real cloud resources',
  ListSummaries: 'usage summaries of the cloud account are not emulated',
  GetFeatureDetails: "it describes the cloud's feature availability by region",
  GetServiceProvisions: SERVICES,
  EnableServices: SERVICES,
  GetServiceAccess: SERVICES,
  EnableServiceAccess: SERVICES,
  MoveResourceGroup: 'resource groups are not emulated (ResourceGroupId is kept as given)',
};

// Dispatch entries that answer NotSupported after authentication; their parameters are not read.
export function unsupportedActions(): Map<string, CompiledAction> {
  return new Map(
    Object.entries(UNSUPPORTED_ACTIONS).map(([name, why]) => [
      name,
      {
        decode: () => ({}),
        def: {
          handle: async () => {
            throw new ApiError('NotSupported', { feature: `${name} (${why})` });
          },
        },
      },
    ]),
  );
}
