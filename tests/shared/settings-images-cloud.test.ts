import { describe, expect, it } from 'vitest';
import type { PipelineError } from '../../shared/errors';
import { loadSettings } from '../../shared/settings/load-settings';
import type { Env } from '../../shared/settings/load-settings';
import { thrownPipelineError } from '../../testing/failures';

const base: Env = {
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  ServiceBusConnection: 'Endpoint=sb://127.0.0.1:5672;SharedAccessKeyName=a;SharedAccessKey=b',
};
const SUBSCRIPTION = '34adfa4f-cedf-4dc0-ba29-b6d1a69ab345';
const JOB_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-azl/providers/Microsoft.App/jobs/azl-Image-Build`;
const cloud: Env = {
  ...base,
  AZL_IMAGE_BUILDER: 'container-apps-job',
  AZL_IMAGE_BUILDER_JOB_ID: JOB_ID,
  AZL_IMAGE_BUILDER_IMAGE: 'azlacr.azurecr.io/azl-rebuilder-image-builder:7',
};

const failure = (env: Env): PipelineError => thrownPipelineError(() => loadSettings(env), 'settings.invalid');
/** The problems the one settings.invalid error lists, `<setting>: <problem>` each. */
const issues = (env: Env): string[] =>
  failure(env)
    .message.replace(/^invalid app settings: /, '')
    .split('; ');

describe('image builder settings: AZL_IMAGE_BUILDER and friends', () => {
  it('build locally when AZL_IMAGE_BUILDER is absent or local, whatever else is set', () => {
    expect(loadSettings(base).imageBuilder).toBeUndefined();
    expect(loadSettings({ ...base, AZL_IMAGE_BUILDER: 'local' }).imageBuilder).toBeUndefined();
    expect(
      loadSettings({ ...base, AZL_IMAGE_BUILDER: 'local', AZL_IMAGE_BUILDER_JOB_ID: JOB_ID }).imageBuilder,
    ).toBeUndefined();
  });

  it('parse the job id and default the container name to the job name, lower-cased', () => {
    expect(loadSettings(cloud).imageBuilder).toEqual({
      kind: 'container-apps-job',
      job: {
        resourceId: JOB_ID,
        subscriptionId: SUBSCRIPTION,
        resourceGroup: 'rg-azl',
        jobName: 'azl-Image-Build',
      },
      armEndpoint: 'https://management.azure.com',
      image: 'azlacr.azurecr.io/azl-rebuilder-image-builder:7',
      containerName: 'azl-image-build',
    });
  });

  it('read the container, resources, ARM endpoint and identity', () => {
    expect(
      loadSettings({
        ...cloud,
        AZL_IMAGE_BUILDER_CONTAINER: 'kiwi',
        AZL_IMAGE_BUILDER_CPU: '4',
        AZL_IMAGE_BUILDER_MEMORY: '8Gi',
        AZL_ARM_ENDPOINT: 'https://management.usgovcloudapi.net/',
        AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000001',
      }).imageBuilder,
    ).toMatchObject({
      containerName: 'kiwi',
      resources: { cpu: 4, memory: '8Gi' },
      armEndpoint: 'https://management.usgovcloudapi.net',
      clientId: '00000000-0000-0000-0000-000000000001',
    });
  });

  it('is independent of the package builder (AZL_BUILDER stays local)', () => {
    const settings = loadSettings(cloud);
    expect(settings.builder).toEqual({ kind: 'local' });
    expect(settings.imageBuilder?.job.jobName).toBe('azl-Image-Build');
  });

  it('refuse container-apps-job without a job id or an image, naming each', () => {
    const { AZL_IMAGE_BUILDER_JOB_ID: _job, AZL_IMAGE_BUILDER_IMAGE: _image, ...bare } = cloud;
    expect(issues(bare)).toEqual([
      'AZL_IMAGE_BUILDER_JOB_ID: missing (required when AZL_IMAGE_BUILDER=container-apps-job)',
      'AZL_IMAGE_BUILDER_IMAGE: missing (required when AZL_IMAGE_BUILDER=container-apps-job)',
    ]);
  });

  it.each([
    ['AZL_IMAGE_BUILDER', 'kiwi', 'must be local, container-apps-job or off'],
    [
      'AZL_IMAGE_BUILDER_JOB_ID',
      JOB_ID.replace('Microsoft.App/jobs', 'Microsoft.App/containerApps'),
      'must be a job resource id',
    ],
    ['AZL_IMAGE_BUILDER_IMAGE', 'not an image!', 'must be a container image reference'],
    ['AZL_IMAGE_BUILDER_CONTAINER', 'Kiwi_Builder', 'must be a container name'],
  ])('refuse a malformed %s', (name, value, problem) => {
    expect(issues({ ...cloud, [name]: value }).join('; ')).toContain(`${name}: ${problem}`);
  });

  it('report a malformed job id even while local (a deployment sets them all, blank when off)', () => {
    expect(issues({ ...base, AZL_IMAGE_BUILDER: 'local', AZL_IMAGE_BUILDER_JOB_ID: 'caj-image' })[0]).toMatch(
      /^AZL_IMAGE_BUILDER_JOB_ID: must be a job resource id/,
    );
    expect(
      loadSettings({
        ...base,
        AZL_IMAGE_BUILDER: 'local',
        AZL_IMAGE_BUILDER_JOB_ID: '',
        AZL_IMAGE_BUILDER_CPU: '',
      }).imageBuilder,
    ).toBeUndefined();
  });

  it('want CPU and memory together', () => {
    expect(issues({ ...cloud, AZL_IMAGE_BUILDER_CPU: '4' })).toContain(
      'AZL_IMAGE_BUILDER_MEMORY: missing (set AZL_IMAGE_BUILDER_CPU and AZL_IMAGE_BUILDER_MEMORY together)',
    );
  });

  it('report a malformed shared ARM endpoint once, with the package builder on too', () => {
    const reported = issues({
      ...cloud,
      AZL_BUILDER: 'container-apps-job',
      AZL_CONTAINER_APPS_JOB_ID: JOB_ID.replace('azl-Image-Build', 'azl-build'),
      AZL_CONTAINER_APPS_JOB_IMAGE: 'azlacr.azurecr.io/azl-rebuilder:1',
      AZL_ARM_ENDPOINT: 'not a url',
    });
    expect(reported.filter((issue) => issue.startsWith('AZL_ARM_ENDPOINT:'))).toHaveLength(1);
  });
});
