import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../shared/settings/load-settings';
import { APPLICATIONINSIGHTS_AUTHENTICATION_STRING } from '../../shared/telemetry/authentication-string';
import type { Settings } from '../../shared/settings/load-settings';
import {
  SAMPLE_IDENTITY,
  SAMPLE_MODULE_OUTPUTS,
  sampleReference,
} from '../../testing/arm/deployment-samples';
import {
  compileBicep,
  deployedResources,
  deploymentContext,
  moduleParameters,
  moduleTemplate,
} from '../../testing/arm/template';
import { evaluateTemplateValue } from '../../testing/arm/expression';
import type { ArmTemplate, DeployedResource } from '../../testing/arm/template';
import type { ArmValue } from '../../testing/arm/expression';

/**
 * The app settings bicep/main.bicep gives the function app, evaluated as a deployment would (module outputs
 * and the identity from testing/arm/deployment-samples.ts), read by the same `loadSettings` the app runs at
 * start-up: every setting it requires is there and valid, none is one the code does not read, and every
 * connection is the identity-based form.
 */
const ROOT = join(__dirname, '..', '..');

/** Settings the Flex Consumption plan rejects or ignores (azure-platform research note, §1). */
const FLEX_REJECTED = [
  'FUNCTIONS_WORKER_RUNTIME',
  'FUNCTIONS_EXTENSION_VERSION',
  'WEBSITE_RUN_FROM_PACKAGE',
  'WEBSITE_CONTENTSHARE',
  'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
  'WEBSITE_NODE_DEFAULT_VERSION',
  'SCM_DO_BUILD_DURING_DEPLOYMENT',
  'ENABLE_ORYX_BUILD',
  'WEBSITE_TIME_ZONE',
  'TZ',
  'AzureWebJobsStorage',
  'ServiceBusConnection',
];

/**
 * Settings the code reads outside `loadSettings`: the telemetry bootstrap reads its authentication before
 * anything else loads (functions/bootstrap.ts).
 */
const READ_ELSEWHERE = new Set<string>([APPLICATIONINSIGHTS_AUTHENTICATION_STRING]);

let template: ArmTemplate;
let appSettings: Record<string, string>;

/** Runs `loadSettings` over `env`, recording every name it reads. */
function readNames(env: Record<string, string>): { settings: Settings; read: Set<string> } {
  const read = new Set<string>();
  const recording = new Proxy(env, {
    get(target, name) {
      if (typeof name === 'string') read.add(name);
      return target[name as string];
    },
  });
  return { settings: loadSettings(recording), read };
}

function settingsFor(parameters: Record<string, ArmValue>): Record<string, string> {
  const context = deploymentContext(template, { environmentName: 'azl', ...parameters }, sampleReference);
  const passed = moduleParameters(template, 'function-app', context);
  const settings = passed['appSettings'];
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new Error('appSettings is not an object');
  }
  for (const [name, value] of Object.entries(settings)) {
    if (typeof value !== 'string') throw new Error(`${name} is not a string: ${JSON.stringify(value)}`);
  }
  return settings as Record<string, string>;
}

beforeAll(() => {
  template = compileBicep(join(ROOT, 'bicep', 'main.bicep')).template;
  appSettings = settingsFor({});
}, 60_000);

describe('the deployment samples', () => {
  it('name exactly the outputs each module has', () => {
    for (const [module, outputs] of Object.entries(SAMPLE_MODULE_OUTPUTS)) {
      expect(Object.keys(moduleTemplate(template, module).outputs ?? {}).sort(), module).toEqual(
        Object.keys(outputs).sort(),
      );
    }
  });
});

describe('the function app settings in the compiled template', () => {
  it('load with the settings module: every required setting is there and valid', () => {
    expect(() => loadSettings(appSettings)).not.toThrow();
  });

  it('sets no setting the code does not read, and none Flex Consumption rejects', () => {
    const { read } = readNames(appSettings);
    const unknown = Object.keys(appSettings).filter((name) => !read.has(name) && !READ_ELSEWHERE.has(name));
    expect(unknown, 'settings nothing reads').toEqual([]);
    expect(Object.keys(appSettings).filter((name) => FLEX_REJECTED.includes(name))).toEqual([]);
  });

  it('connects to storage, Service Bus and Application Insights with the one identity, never a key', () => {
    const { settings } = readNames(appSettings);
    expect(settings.storage).toEqual({
      kind: 'identity',
      blobUrl: 'https://stabc.blob.core.windows.net',
      tableUrl: 'https://stabc.table.core.windows.net',
      clientId: SAMPLE_IDENTITY.clientId,
    });
    expect(settings.serviceBus).toEqual({
      kind: 'identity',
      fullyQualifiedNamespace: 'sb-azl-abc.servicebus.windows.net',
      clientId: SAMPLE_IDENTITY.clientId,
    });
    // The anonymous containers go to the publishing account, with the same identity.
    expect(settings.publishingStorage).toEqual({
      kind: 'identity',
      blobUrl: 'https://stpubabc.blob.core.windows.net',
      clientId: SAMPLE_IDENTITY.clientId,
    });
    expect(appSettings['AzureWebJobsStorage__credential']).toBe('managedidentity');
    expect(appSettings['ServiceBusConnection__credential']).toBe('managedidentity');
    expect(settings.applicationInsightsConnectionString).toMatch(/^InstrumentationKey=/);
    expect(appSettings['APPLICATIONINSIGHTS_AUTHENTICATION_STRING']).toBe(
      `Authorization=AAD;ClientId=${SAMPLE_IDENTITY.clientId}`,
    );
    for (const [name, value] of Object.entries(appSettings)) {
      expect(value, name).not.toMatch(/AccountKey=|SharedAccessKey|SharedAccessSignature|sig=/i);
    }
  });

  it('builds in the Container Apps job with its image, container, size and the identity', () => {
    const { settings } = readNames(appSettings);
    expect(settings.builder).toMatchObject({
      kind: 'container-apps-job',
      job: { resourceId: SAMPLE_MODULE_OUTPUTS['build-job']?.['jobId'], jobName: 'caj-build-azl' },
      image: 'crabc.azurecr.io/azl-rebuilder-builder:latest',
      containerName: 'builder',
      resources: { cpu: 2, memory: '4Gi' },
      clientId: SAMPLE_IDENTITY.clientId,
    });
  });

  it('plans from the packaged distribution tree and follows Fedora with the catch-up on', () => {
    const { settings } = readNames(appSettings);
    expect(settings.planner?.distroDir).toBe('distro');
    expect(settings.planner?.dependencies).toBeUndefined();
    expect(settings.catchUp.enabled).toBe(true);
    expect(settings.rawhideRelease).toBeUndefined();
  });

  it('passes the optional parameters through as settings the code accepts', () => {
    const { settings } = readNames(
      settingsFor({
        rawhideRelease: 45,
        dependencyRepodata:
          'https://dl.fedoraproject.org/pub/fedora/linux/development/rawhide/Everything/x86_64/os',
        dependencySourceRepodata:
          'https://dl.fedoraproject.org/pub/fedora/linux/development/rawhide/Everything/source/tree',
        dependencyTrackedTags: 'f45-build,f45-updates',
        fedoraCatchUp: 'off',
        logLevel: 'debug',
        builderCpuCores: 4,
      }),
    );
    expect(settings.rawhideRelease).toBe(45);
    expect(settings.planner?.dependencies?.trackedTags).toEqual(['f45-build', 'f45-updates']);
    expect(settings.catchUp.enabled).toBe(false);
    expect(settings.logLevel).toBe('debug');
    expect(settings.builder).toMatchObject({ resources: { cpu: 4 } });
  });
});

describe('the Fedora bridge container settings in the compiled template', () => {
  it('load with the settings module, connect with the identity and hold nothing unknown', () => {
    const context = deploymentContext(
      template,
      { environmentName: 'azl', fedoraBridge: true },
      sampleReference,
    );
    const [bridge] = deployedResources(template, context).filter(
      (r) => r.resource.type === 'Microsoft.App/containerApps',
    );
    expect(bridge).toBeDefined();
    const properties = evaluateTemplateValue(
      bridge?.resource.properties,
      (bridge as DeployedResource).context,
    ) as {
      template: { containers: { env: { name: string; value: string }[] }[] };
    };
    const env = Object.fromEntries(
      (properties.template.containers[0]?.env ?? []).map(({ name, value }) => [name, value]),
    );
    const { settings, read } = readNames(env);
    expect(Object.keys(env).filter((name) => !read.has(name) && !READ_ELSEWHERE.has(name))).toEqual([]);
    expect(settings.storage).toMatchObject({ kind: 'identity', clientId: SAMPLE_IDENTITY.clientId });
    expect(settings.serviceBus).toMatchObject({ kind: 'identity', clientId: SAMPLE_IDENTITY.clientId });
    // It only ingests: no planning and no builds of its own.
    expect(settings.planner).toBeUndefined();
    expect(settings.builder).toEqual({ kind: 'local' });
  });
});
