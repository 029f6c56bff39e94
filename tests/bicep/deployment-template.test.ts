import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { serviceBusEntities, storageEntities } from '../../scripts/deployment-entities';
import { SAMPLE_IDENTITY, sampleReference } from '../../testing/arm/deployment-samples';
import { evaluateTemplateValue } from '../../testing/arm/expression';
import type { ArmValue } from '../../testing/arm/expression';
import {
  compileBicep,
  deployedResources,
  deploymentContext,
  moduleTemplate,
  ofType,
  propertiesOf,
  valueIn,
} from '../../testing/arm/template';
import type { ArmTemplate, DeployedResource } from '../../testing/arm/template';

/**
 * What Azure would receive: bicep/main.bicep compiled by the real CLI (scripts/bicep.sh, which fails on any
 * warning), read as ARM JSON and, where a value depends on the deployment, evaluated as ARM would with the
 * module outputs of testing/arm/deployment-samples.ts.
 */
const ROOT = join(__dirname, '..', '..');

let text: string;
let template: ArmTemplate;

beforeAll(() => {
  ({ text, template } = compileBicep(join(ROOT, 'bicep', 'main.bicep')));
}, 60_000);

const deploy = (parameters: Record<string, ArmValue> = {}): DeployedResource[] =>
  deployedResources(
    template,
    deploymentContext(template, { environmentName: 'azl', ...parameters }, sampleReference),
  );
const value = valueIn;
/** The resource type of an id: `…/providers/Microsoft.Storage/storageAccounts/st/blobServices/default` → `Microsoft.Storage/storageAccounts/blobServices`. */
const typeOfId = (id: string): string => {
  const [namespace, ...segments] = id.slice(id.lastIndexOf('/providers/') + '/providers/'.length).split('/');
  return [namespace, ...segments.filter((_, i) => i % 2 === 0)].join('/');
};
const lastSegment = (name: ArmValue): string => String(name).split('/').pop() ?? '';

// Built-in roles (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
const ROLES = {
  serviceBusDataOwner: '090c5cfd-751d-490a-894a-3ce6f1109419',
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
};
const PRIVILEGED_ROLES = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  userAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  roleBasedAccessControlAdministrator: 'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
};

const byScopeAndRole = (a: { scope: string; role: string }, b: { scope: string; role: string }): number =>
  `${a.scope} ${a.role}`.localeCompare(`${b.scope} ${b.role}`);

describe('the compiled deployment', () => {
  it('creates the Service Bus entities shared/messaging/entities.ts defines, as they are generated', () => {
    const bus = moduleTemplate(template, 'service-bus');
    const loaded = Object.values(bus.variables ?? {}).find(
      (v) => typeof v === 'object' && v !== null && 'queues' in v,
    );
    expect(loaded).toEqual(serviceBusEntities());
    const resources = deploy();
    const entities = serviceBusEntities();
    const queues = ofType(resources, 'Microsoft.ServiceBus/namespaces/queues');
    expect(queues.map((q) => lastSegment(value(q, q.resource.name)))).toEqual(
      entities.queues.map((q) => q.name),
    );
    expect(queues.map(propertiesOf)).toEqual(entities.queues.map((q) => q.properties));
    const topics = ofType(resources, 'Microsoft.ServiceBus/namespaces/topics');
    expect(topics.map(propertiesOf)).toEqual(entities.topics.map((t) => t.properties));
    const subscriptions = ofType(resources, 'Microsoft.ServiceBus/namespaces/topics/subscriptions');
    expect(subscriptions.length).toBe(entities.topics.reduce((n, t) => n + t.subscriptions.length, 0));
  });

  it('keeps state private and lets anonymous clients read only the publishing containers', () => {
    const loaded = Object.values(template.variables ?? {}).find(
      (v) => typeof v === 'object' && v !== null && 'tables' in v,
    );
    expect(loaded).toEqual(storageEntities());
    const resources = deploy();
    const accounts = ofType(resources, 'Microsoft.Storage/storageAccounts');
    expect(accounts.map((a) => a.path)).toEqual(['main/state-storage', 'main/publishing-storage']);
    for (const account of accounts) {
      expect(propertiesOf(account)).toMatchObject({
        allowSharedKeyAccess: false,
        defaultToOAuthAuthentication: true,
        minimumTlsVersion: 'TLS1_2',
        supportsHttpsTrafficOnly: true,
      });
    }
    const [stateAccount, publishingAccount] = accounts.map(propertiesOf);
    expect(stateAccount?.['allowBlobPublicAccess']).toBe(false);
    expect(publishingAccount?.['allowBlobPublicAccess']).toBe(true);
    const containers = ofType(resources, 'Microsoft.Storage/storageAccounts/blobServices/containers').map(
      (c) => ({
        account: c.path,
        name: lastSegment(value(c, c.resource.name)),
        access: propertiesOf(c)['publicAccess'],
      }),
    );
    const publishing = storageEntities().containers.filter((c) => c.publicAccess !== 'None');
    const anonymous = containers.filter((c) => c.access !== 'None');
    expect(anonymous).toEqual(
      publishing.map((c) => ({ account: 'main/publishing-storage', name: c.name, access: c.publicAccess })),
    );
    expect(containers.filter((c) => c.account === 'main/publishing-storage')).toEqual(anonymous);
    // The host's deployment package sits with the state, private.
    expect(containers).toContainEqual({ account: 'main/state-storage', name: 'app-package', access: 'None' });
    const tables = ofType(resources, 'Microsoft.Storage/storageAccounts/tableServices/tables');
    expect(new Set(tables.map((t) => t.path))).toEqual(new Set(['main/state-storage']));
    expect(tables.length).toBe(storageEntities().tables.length);
  });

  it("deletes a build's files and rejected messages from the state account after their retention periods, and nothing else", () => {
    const expiring = (parameter: string) =>
      storageEntities()
        .containers.filter((c) => c.expiresAfter === parameter)
        .map((c) => c.name);
    expect(expiring('artifactRetentionDays')).toEqual(['artifacts']);
    expect(expiring('quarantineRetentionDays')).toEqual(['quarantine']);
    expect(storageEntities().containers.filter((c) => c.expiresAfter !== '').length).toBe(2);
    const policies = (parameters: Record<string, ArmValue> = {}) =>
      ofType(deploy(parameters), 'Microsoft.Storage/storageAccounts/managementPolicies').map((p) => ({
        account: p.path,
        name: lastSegment(value(p, p.resource.name)),
        rules: (propertiesOf(p)['policy'] as { rules: unknown[] }).rules,
      }));
    const expire = (name: string, container: string, days: number) => ({
      name,
      enabled: true,
      type: 'Lifecycle',
      definition: {
        filters: { blobTypes: ['blockBlob'], prefixMatch: [`${container}/`] },
        actions: { baseBlob: { delete: { daysAfterCreationGreaterThan: days } } },
      },
    });
    const artifacts = (days: number) => expire('expire-artifacts', 'artifacts', days);
    const quarantine = (days: number) => expire('expire-quarantine', 'quarantine', days);
    const onState = (...rules: unknown[]) => [{ account: 'main/state-storage', name: 'default', rules }];
    expect(policies()).toEqual(onState(artifacts(30), quarantine(90)));
    expect(policies({ artifactRetentionDays: 365, quarantineRetentionDays: 7 })).toEqual(
      onState(artifacts(365), quarantine(7)),
    );
    // 0 keeps them: the rule is left out, rather than one that deletes a blob the day it is written ...
    expect(policies({ artifactRetentionDays: 0 })).toEqual(onState(quarantine(90)));
    expect(policies({ quarantineRetentionDays: 0 })).toEqual(onState(artifacts(30)));
    // ... and with no rule left, there is no policy at all.
    expect(policies({ artifactRetentionDays: 0, quarantineRetentionDays: 0 })).toEqual([]);
  });

  it('gives the identity exactly the data-plane roles its clients need, each on its resource', () => {
    const resources = deploy({ fedoraBridge: true });
    const assignments = ofType(resources, 'Microsoft.Authorization/roleAssignments').map((a) => {
      const properties = propertiesOf(a);
      return {
        scope: String(value(a, a.resource.scope)),
        role: lastSegment(properties['roleDefinitionId'] ?? ''),
        principalId: properties['principalId'],
        principalType: properties['principalType'],
      };
    });
    for (const assignment of assignments) {
      expect(assignment.principalId).toBe(SAMPLE_IDENTITY.principalId);
      expect(assignment.principalType).toBe('ServicePrincipal');
    }
    const idOf = (type: string, path?: string): string => {
      const found = ofType(resources, type).filter((r) => path === undefined || r.path === path);
      expect(found, type).toHaveLength(1);
      const [resource] = found as [DeployedResource];
      const name = lastSegment(value(resource, resource.resource.name));
      return String(value(resource, `[resourceId('${type}', '${name}')]`));
    };
    const [starter] = ofType(resources, 'Microsoft.Authorization/roleDefinitions') as [DeployedResource];
    const needs = [
      { scope: idOf('Microsoft.Insights/components'), role: ROLES.monitoringMetricsPublisher },
      // Send, receive, and the management API's backlog reads (health, dashboard).
      { scope: idOf('Microsoft.ServiceBus/namespaces'), role: ROLES.serviceBusDataOwner },
      {
        scope: idOf('Microsoft.Storage/storageAccounts', 'main/state-storage'),
        role: ROLES.storageBlobDataOwner,
      },
      {
        scope: idOf('Microsoft.Storage/storageAccounts', 'main/state-storage'),
        role: ROLES.storageTableDataContributor,
      },
      {
        scope: idOf('Microsoft.Storage/storageAccounts', 'main/publishing-storage'),
        role: ROLES.storageBlobDataContributor,
      },
      { scope: idOf('Microsoft.ContainerRegistry/registries'), role: ROLES.acrPull },
      { scope: idOf('Microsoft.App/jobs'), role: String(value(starter, starter.resource.name)) },
    ];
    expect(assignments.map(({ scope, role }) => ({ scope, role })).sort(byScopeAndRole)).toEqual(
      needs.sort(byScopeAndRole),
    );
    // Names are deterministic: deploying again updates an assignment, never duplicates it.
    for (const a of ofType(resources, 'Microsoft.Authorization/roleAssignments')) {
      expect(String(a.resource.name)).toMatch(/^\[guid\(/);
    }
    for (const [name, id] of Object.entries(PRIVILEGED_ROLES)) expect(text, name).not.toContain(id);
  });

  it('starts builds with a custom role that can only read the job, start it and read its executions', () => {
    const [definition] = ofType(deploy(), 'Microsoft.Authorization/roleDefinitions');
    const properties = propertiesOf(definition as DeployedResource);
    expect(properties['permissions']).toEqual([
      {
        actions: [
          'Microsoft.App/jobs/read',
          'Microsoft.App/jobs/start/action',
          'Microsoft.App/jobs/executions/read',
        ],
        notActions: [],
        dataActions: [],
        notDataActions: [],
      },
    ]);
    expect(properties['assignableScopes']).toEqual([expect.stringMatching(/\/resourceGroups\/[^/]+$/)]);
  });

  it('runs the functions on Flex Consumption with Node 20 and an identity-read deployment container', () => {
    const resources = deploy();
    const [plan] = ofType(resources, 'Microsoft.Web/serverfarms');
    expect(plan?.resource.sku).toEqual({ name: 'FC1', tier: 'FlexConsumption' });
    expect(propertiesOf(plan as DeployedResource)).toEqual({ reserved: true });
    const [site] = ofType(resources, 'Microsoft.Web/sites');
    expect(site?.resource.kind).toBe('functionapp,linux');
    const properties = propertiesOf(site as DeployedResource);
    expect(properties['functionAppConfig']).toEqual({
      deployment: {
        storage: {
          type: 'blobContainer',
          value: 'https://stabc.blob.core.windows.net/app-package',
          authentication: {
            type: 'UserAssignedIdentity',
            userAssignedIdentityResourceId: expect.stringContaining('/userAssignedIdentities/id-azl'),
          },
        },
      },
      scaleAndConcurrency: { instanceMemoryMB: 2048, maximumInstanceCount: 100 },
      runtime: { name: 'node', version: '20' },
    });
    expect(properties['httpsOnly']).toBe(true);
    // Flex takes the runtime from functionAppConfig; the classic site settings are rejected there.
    expect(Object.keys(properties['siteConfig'] as object).sort()).toEqual(['ftpsState', 'minTlsVersion']);
    expect(value(site as DeployedResource, site?.resource.tags)).toMatchObject({ 'azd-service-name': 'api' });
    const basicAuth = ofType(resources, 'Microsoft.Web/sites/basicPublishingCredentialsPolicies');
    expect(basicAuth.map(propertiesOf)).toEqual([{ allow: false }, { allow: false }]);
  });

  it('checks the sizes it is given before anything is deployed', () => {
    const parameters = template.parameters ?? {};
    expect(parameters['functionInstanceMemoryMB']?.allowedValues).toEqual([512, 2048, 4096]);
    expect(parameters['functionMaximumInstances']).toMatchObject({ minValue: 40, maxValue: 1000 });
    expect(parameters['builderCpuCores']?.allowedValues).toEqual([1, 2, 4]);
    expect(parameters['environmentName']).toMatchObject({ minLength: 3, maxLength: 20 });
    const site = ofType(
      deploy({ functionInstanceMemoryMB: 4096, functionMaximumInstances: 40 }),
      'Microsoft.Web/sites',
    );
    expect(propertiesOf(site[0] as DeployedResource)['functionAppConfig']).toMatchObject({
      scaleAndConcurrency: { instanceMemoryMB: 4096, maximumInstanceCount: 40 },
    });
  });

  it('builds in a manually started job that pulls its image with the identity', () => {
    const resources = deploy({ builderCpuCores: 4 });
    const [registry] = ofType(resources, 'Microsoft.ContainerRegistry/registries');
    expect(propertiesOf(registry as DeployedResource)).toEqual({
      adminUserEnabled: false,
      anonymousPullEnabled: false,
    });
    const [job] = ofType(resources, 'Microsoft.App/jobs');
    const properties = propertiesOf(job as DeployedResource);
    expect(properties['configuration']).toMatchObject({
      triggerType: 'Manual',
      replicaRetryLimit: 0,
      replicaTimeout: 14400,
      registries: [{ identity: expect.stringContaining('/userAssignedIdentities/id-azl') }],
    });
    expect(properties['template']).toMatchObject({
      // A placeholder until the registry holds the builder image; each execution names the real one.
      containers: [
        {
          name: 'builder',
          image: 'mcr.microsoft.com/k8se/quickstart-jobs:latest',
          resources: { cpu: 4, memory: '8Gi' },
        },
      ],
    });
    expect(value(job as DeployedResource, job?.resource.identity)).toMatchObject({ type: 'UserAssigned' });
    const [environment] = ofType(resources, 'Microsoft.App/managedEnvironments');
    expect(propertiesOf(environment as DeployedResource)['appLogsConfiguration']).toEqual({
      destination: 'azure-monitor',
    });
  });

  it('runs the Fedora bridge only when asked, as one replica of the CLI image', () => {
    expect(ofType(deploy(), 'Microsoft.App/containerApps')).toEqual([]);
    const [bridge] = ofType(deploy({ fedoraBridge: true }), 'Microsoft.App/containerApps');
    const properties = propertiesOf(bridge as DeployedResource);
    expect(properties['template']).toMatchObject({
      containers: [
        { name: 'bridge', image: 'crabc.azurecr.io/azl-rebuilder-builder:latest', args: ['bridge'] },
      ],
      scale: { minReplicas: 1, maxReplicas: 1 },
    });
    expect(properties['configuration']).not.toHaveProperty('ingress');
  });

  it('turns local authentication off on Service Bus, Application Insights and Log Analytics', () => {
    const resources = deploy();
    const [namespace] = ofType(resources, 'Microsoft.ServiceBus/namespaces');
    expect(propertiesOf(namespace as DeployedResource)).toMatchObject({
      disableLocalAuth: true,
      minimumTlsVersion: '1.2',
    });
    const [component] = ofType(resources, 'Microsoft.Insights/components');
    expect(propertiesOf(component as DeployedResource)).toMatchObject({
      DisableLocalAuth: true,
      WorkspaceResourceId: expect.stringContaining('/workspaces/'),
    });
    const [workspace] = ofType(resources, 'Microsoft.OperationalInsights/workspaces');
    expect(propertiesOf(workspace as DeployedResource)).toMatchObject({
      features: { disableLocalAuth: true },
    });
  });

  it('sends diagnostics from the function app, Service Bus, both accounts and the job environment to the workspace', () => {
    const settings = ofType(deploy(), 'Microsoft.Insights/diagnosticSettings').map((d) => ({
      scope: typeOfId(String(value(d, d.resource.scope))),
      workspaceId: propertiesOf(d)['workspaceId'],
    }));
    expect(settings.map((s) => s.scope).sort()).toEqual(
      [
        'Microsoft.App/managedEnvironments',
        'Microsoft.ServiceBus/namespaces',
        'Microsoft.Storage/storageAccounts',
        'Microsoft.Storage/storageAccounts',
        'Microsoft.Storage/storageAccounts/blobServices',
        'Microsoft.Storage/storageAccounts/blobServices',
        'Microsoft.Storage/storageAccounts/tableServices',
        'Microsoft.Web/sites',
      ].sort(),
    );
    for (const setting of settings) expect(setting.workspaceId).toContain('/workspaces/log-azl');
  });

  it("outputs the API base URL, the repository base URL and the identity's client id", () => {
    const context = deploymentContext(template, { environmentName: 'azl' }, sampleReference);
    const outputs = Object.fromEntries(
      Object.entries(template.outputs ?? {}).map(([name, output]) => [
        name,
        evaluateTemplateValue(output.value, context),
      ]),
    );
    expect(outputs).toMatchObject({
      API_BASE_URL: 'https://func-azl-abc.azurewebsites.net/api',
      REPOSITORY_BASE_URL: 'https://stpubabc.blob.core.windows.net/repos',
      AZURE_IDENTITY_CLIENT_ID: SAMPLE_IDENTITY.clientId,
      AZURE_CONTAINER_REGISTRY_ENDPOINT: 'crabc.azurecr.io',
    });
  });

  it('holds no secret: no listKeys call, no connection string with a key, no shared access signature', () => {
    expect(text).not.toMatch(
      /\b(listKeys|listConnectionStrings|listAccountSas|listServiceSas)\(|SharedAccessKey|AccountKey=/i,
    );
    // The one mention of listKeys is the permission a gallery image version's caller must hold on the VHD's
    // account (bicep/modules/gallery-source.bicep), which the gallery service checks; nothing calls it.
    expect(text.match(/[\w./]*listKeys[\w./]*/gi)).toEqual([
      'Microsoft.Storage/storageAccounts/listKeys/action',
    ]);
  });
});
