import { describe, expect, it } from 'vitest';
import { PipelineError } from '../../shared/errors';
import { loadSettings } from '../../shared/settings/load-settings';
import type { Env } from '../../shared/settings/load-settings';

const base: Env = {
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  ServiceBusConnection: 'Endpoint=sb://localhost:5672;SharedAccessKeyName=k;SharedAccessKey=v',
};
const SUBSCRIPTION = '34adfa4f-cedf-4dc0-ba29-b6d1a69ab345';
const JOB_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-azl/providers/Microsoft.App/jobs/azl-build`;
const cloud: Env = {
  ...base,
  AZL_BUILDER: 'container-apps-job',
  AZL_CONTAINER_APPS_JOB_ID: JOB_ID,
  AZL_CONTAINER_APPS_JOB_IMAGE: 'azlacr.azurecr.io/azl-rebuilder:1.2.3',
};

function problems(env: Env): string {
  try {
    loadSettings(env);
  } catch (error) {
    if (PipelineError.is(error, 'settings.invalid'))
      return `${error.message} [${String(error.context.settings)}]`;
    throw error;
  }
  throw new Error('expected settings.invalid');
}

describe('loadSettings: the builder', () => {
  it('builds locally by default, and ignores cloud settings then', () => {
    expect(loadSettings(base).builder).toEqual({ kind: 'local' });
    expect(loadSettings({ ...base, AZL_BUILDER: 'local', AZURE_CLIENT_ID: 'not-a-guid' }).builder).toEqual({
      kind: 'local',
    });
  });

  it('reads a Container Apps Job builder: the job id split into its parts, defaults for the rest', () => {
    expect(loadSettings(cloud).builder).toEqual({
      kind: 'container-apps-job',
      job: {
        resourceId: JOB_ID,
        subscriptionId: SUBSCRIPTION,
        resourceGroup: 'rg-azl',
        jobName: 'azl-build',
      },
      armEndpoint: 'https://management.azure.com',
      image: 'azlacr.azurecr.io/azl-rebuilder:1.2.3',
      containerName: 'azl-build',
    });
  });

  it('takes the ARM endpoint, container name, resources and a user-assigned identity', () => {
    const clientId = '6f1c8a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
    const builder = loadSettings({
      ...cloud,
      AZL_ARM_ENDPOINT: 'https://management.usgovcloudapi.net/',
      AZL_CONTAINER_APPS_JOB_CONTAINER: 'rebuilder',
      AZL_CONTAINER_APPS_JOB_CPU: '2',
      AZL_CONTAINER_APPS_JOB_MEMORY: '4Gi',
      AZURE_CLIENT_ID: clientId,
    }).builder;
    expect(builder).toMatchObject({
      armEndpoint: 'https://management.usgovcloudapi.net',
      containerName: 'rebuilder',
      resources: { cpu: 2, memory: '4Gi' },
      clientId,
    });
  });

  it('names an unknown builder', () => {
    expect(problems({ ...base, AZL_BUILDER: 'kubernetes' })).toMatch(
      /AZL_BUILDER: must be local, container-apps-job or synthetic/,
    );
  });

  it('requires the job id and image for the cloud builder, naming each', () => {
    const message = problems({ ...base, AZL_BUILDER: 'container-apps-job' });
    expect(message).toMatch(
      /AZL_CONTAINER_APPS_JOB_ID: missing \(required when AZL_BUILDER=container-apps-job\)/,
    );
    expect(message).toMatch(/AZL_CONTAINER_APPS_JOB_IMAGE: missing/);
  });

  it.each([
    ['a container app, not a job', JOB_ID.replace('/jobs/', '/containerApps/')],
    ['no subscription guid', JOB_ID.replace(SUBSCRIPTION, 'my-subscription')],
    ['a bare job name', 'azl-build'],
    ['a trailing segment', `${JOB_ID}/executions/x`],
    ['a group ending in a period', JOB_ID.replace('rg-azl', 'rg.')],
  ])('rejects a job id with %s, naming the setting', (_why, id) => {
    expect(problems({ ...cloud, AZL_CONTAINER_APPS_JOB_ID: id })).toMatch(
      /AZL_CONTAINER_APPS_JOB_ID: must be a job resource id/,
    );
  });

  it('accepts a job id whatever the case of its fixed segments, as ARM does', () => {
    const id = JOB_ID.replace('resourceGroups', 'resourcegroups').replace('Microsoft.App', 'microsoft.app');
    expect(loadSettings({ ...cloud, AZL_CONTAINER_APPS_JOB_ID: id }).builder).toMatchObject({
      job: { jobName: 'azl-build', resourceGroup: 'rg-azl' },
    });
  });

  it('names a malformed ARM endpoint, client id, resources and container name', () => {
    const message = problems({
      ...cloud,
      AZL_ARM_ENDPOINT: 'http://management.azure.com',
      AZURE_CLIENT_ID: 'not-a-guid',
      AZL_CONTAINER_APPS_JOB_CPU: '2',
      AZL_CONTAINER_APPS_JOB_CONTAINER: 'Has_Capitals',
    });
    expect(message).toMatch(/AZL_ARM_ENDPOINT: must use https/);
    expect(message).toMatch(/AZURE_CLIENT_ID: must be a client id/);
    expect(message).toMatch(/AZL_CONTAINER_APPS_JOB_MEMORY: missing \(set AZL_CONTAINER_APPS_JOB_CPU and/);
    expect(message).toMatch(/AZL_CONTAINER_APPS_JOB_CONTAINER: must be a container name/);
  });
});

describe('loadSettings: the synthetic builder', () => {
  const synthetic: Env = { ...base, AZL_BUILDER: 'synthetic', AZL_ALLOW_SYNTHETIC_BUILDER: '1' };

  it('is refused unless AZL_ALLOW_SYNTHETIC_BUILDER=1, naming AZL_BUILDER and the setting that allows it', () => {
    for (const allow of [undefined, '0', 'true', 'yes']) {
      const message = problems({ ...base, AZL_BUILDER: 'synthetic', AZL_ALLOW_SYNTHETIC_BUILDER: allow });
      expect(message).toMatch(/AZL_BUILDER: synthetic .* refused unless AZL_ALLOW_SYNTHETIC_BUILDER=1/);
      expect(message).toMatch(/\[AZL_BUILDER\]$/);
    }
  });

  it('builds in 10 ms and never fails by default; takes a duration and a failure rate', () => {
    expect(loadSettings(synthetic).builder).toEqual({ kind: 'synthetic', buildMs: 10, failureRate: 0 });
    expect(
      loadSettings({ ...synthetic, AZL_SYNTHETIC_BUILD_MS: '0', AZL_SYNTHETIC_FAILURE_RATE: '0.05' }).builder,
    ).toEqual({ kind: 'synthetic', buildMs: 0, failureRate: 0.05 });
  });

  it('names a malformed duration and failure rate', () => {
    const message = problems({
      ...synthetic,
      AZL_SYNTHETIC_BUILD_MS: '-5',
      AZL_SYNTHETIC_FAILURE_RATE: '1.5',
    });
    expect(message).toMatch(/AZL_SYNTHETIC_BUILD_MS: must be 0 or more milliseconds/);
    expect(message).toMatch(/AZL_SYNTHETIC_FAILURE_RATE: must be a fraction of builds from 0 to 1/);
    expect(problems({ ...synthetic, AZL_SYNTHETIC_BUILD_MS: 'soon' })).toMatch(
      /AZL_SYNTHETIC_BUILD_MS: must be a number of milliseconds/,
    );
  });
});
