import type { ArmValue } from './expression';

/**
 * What Azure would hand back while deploying bicep/main.bicep: each module's outputs and the identity's
 * properties, in the shapes Azure uses. The deployment tests check that these keys are exactly the modules'
 * outputs, so a sample cannot stand in for an output that does not exist.
 */
export const SAMPLE_IDENTITY = {
  clientId: '6f1c2a9e-3b7d-4e0a-9c55-1d2e3f4a5b6c',
  principalId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
} as const;

const SUBSCRIPTION = '11111111-2222-4333-8444-555555555555';
const GROUP = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-azl`;

export const SAMPLE_MODULE_OUTPUTS: Readonly<Record<string, Readonly<Record<string, ArmValue>>>> = {
  monitoring: {
    workspaceId: `${GROUP}/providers/Microsoft.OperationalInsights/workspaces/log-azl`,
    applicationInsightsId: `${GROUP}/providers/Microsoft.Insights/components/appi-azl`,
    connectionString:
      'InstrumentationKey=3c8f1e2d-5a4b-4c3d-9e8f-7a6b5c4d3e2f;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;LiveEndpoint=https://westeurope.livediagnostics.monitor.azure.com/;ApplicationId=9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
  },
  'service-bus': {
    fullyQualifiedNamespace: 'sb-azl-abc.servicebus.windows.net',
    id: `${GROUP}/providers/Microsoft.ServiceBus/namespaces/sb-azl-abc`,
  },
  'state-storage': {
    name: 'stabc',
    blobEndpoint: 'https://stabc.blob.core.windows.net/',
    id: `${GROUP}/providers/Microsoft.Storage/storageAccounts/stabc`,
  },
  'publishing-storage': {
    name: 'stpubabc',
    blobEndpoint: 'https://stpubabc.blob.core.windows.net/',
    id: `${GROUP}/providers/Microsoft.Storage/storageAccounts/stpubabc`,
  },
  'build-job': {
    registryName: 'crabc',
    registryLoginServer: 'crabc.azurecr.io',
    jobId: `${GROUP}/providers/Microsoft.App/jobs/caj-build-azl`,
    image: 'crabc.azurecr.io/azl-rebuilder-builder:latest',
    memory: '4Gi',
    environmentId: `${GROUP}/providers/Microsoft.App/managedEnvironments/cae-azl`,
  },
  'function-app': { name: 'func-azl-abc', defaultHostName: 'func-azl-abc.azurewebsites.net' },
  'fedora-bridge': { name: 'ca-bridge-azl' },
  'image-build-job': {
    jobId: `${GROUP}/providers/Microsoft.App/jobs/caj-image-azl`,
    image: 'crabc.azurecr.io/azl-rebuilder-image-builder:latest',
    memory: '8Gi',
  },
  'event-grid': {
    endpoint: 'https://evgt-azl-abc.westeurope-1.eventgrid.azure.net/api/events',
    id: `${GROUP}/providers/Microsoft.EventGrid/topics/evgt-azl-abc`,
  },
  'compute-gallery': {
    id: `${GROUP}/providers/Microsoft.Compute/galleries/gal_azl_abc`,
    name: 'gal_azl_abc',
  },
  'gallery-publisher': {},
  'gallery-source': {},
  workbook: {},
  alerts: {},
};

/** `reference(id)` as a deployment of main.bicep would answer it, from the samples above. */
export function sampleReference(resourceId: string): ArmValue {
  const module = /\/providers\/Microsoft\.Resources\/deployments\/([^/]+)$/.exec(resourceId)?.[1];
  if (module !== undefined) {
    const outputs = SAMPLE_MODULE_OUTPUTS[module];
    if (!outputs) throw new Error(`no sample outputs for module ${module}`);
    return { outputs: Object.fromEntries(Object.entries(outputs).map(([k, value]) => [k, { value }])) };
  }
  if (resourceId.includes('/providers/Microsoft.ManagedIdentity/userAssignedIdentities/')) {
    return { ...SAMPLE_IDENTITY };
  }
  const registry = /\/providers\/Microsoft\.ContainerRegistry\/registries\/([^/]+)$/.exec(resourceId)?.[1];
  if (registry !== undefined) return { loginServer: `${registry}.azurecr.io` };
  throw new Error(`no sample for reference(${resourceId})`);
}
