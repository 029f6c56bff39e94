import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../shared/settings/load-settings';
import { SAMPLE_IDENTITY, SAMPLE_MODULE_OUTPUTS } from '../../testing/arm/deployment-samples';
import { useMainTemplate } from '../../testing/arm/main-template';
import type { ArmValue } from '../../testing/arm/expression';
import { ofType, propertiesOf, valueIn } from '../../testing/arm/template';
import type { DeployedResource } from '../../testing/arm/template';

/**
 * The optional image builder job of bicep/main.bicep (`imageBuilds`, `IMAGE_BUILDS` in azd), compiled by the
 * real CLI and evaluated as a deployment would with the samples of testing/arm/deployment-samples.ts.
 */
const JOB = 'Microsoft.App/jobs';

const main = useMainTemplate();
const { deploy, appSettingsFor } = main;
const imageJobs = (resources: readonly DeployedResource[]) =>
  ofType(resources, JOB).filter((job) => job.path === 'main/image-build-job');

describe('the image builder job', () => {
  it('is deployed only when imageBuilds is on', () => {
    expect(main.template().parameters?.['imageBuilds']).toMatchObject({ type: 'bool', defaultValue: false });
    expect(imageJobs(deploy())).toEqual([]);
    expect(imageJobs(deploy({ imageBuilds: true }))).toHaveLength(1);
  });

  it("runs manually in the builder's environment, pulls from its registry with the identity, never retried", () => {
    const [job] = imageJobs(deploy({ imageBuilds: true })) as [DeployedResource];
    expect(valueIn(job, job.resource.name)).toBe('caj-image-azl');
    const properties = propertiesOf(job) as {
      environmentId: string;
      configuration: Record<string, ArmValue>;
      template: { containers: { name: string; resources: { cpu: number; memory: string } }[] };
    };
    expect(properties.environmentId).toBe(SAMPLE_MODULE_OUTPUTS['build-job']?.['environmentId']);
    expect(properties.configuration).toMatchObject({
      triggerType: 'Manual',
      replicaRetryLimit: 0,
      replicaTimeout: 7200,
      registries: [{ server: SAMPLE_MODULE_OUTPUTS['build-job']?.['registryLoginServer'] }],
    });
    expect(properties.template.containers).toMatchObject([
      { name: 'image-builder', resources: { cpu: 4, memory: '8Gi' } },
    ]);
  });

  it('lets the identity read and start it and read its executions, on the job only', () => {
    const resources = deploy({ imageBuilds: true }).filter((r) => r.path === 'main/image-build-job');
    const [role] = ofType(resources, 'Microsoft.Authorization/roleDefinitions') as [DeployedResource];
    expect(propertiesOf(role)['permissions']).toEqual([
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
    const assignments = ofType(resources, 'Microsoft.Authorization/roleAssignments');
    expect(assignments).toHaveLength(1);
    const [assignment] = assignments as [DeployedResource];
    expect(propertiesOf(assignment)['principalId']).toBe(SAMPLE_IDENTITY.principalId);
    expect(String(valueIn(assignment, assignment.resource.scope))).toMatch(
      /Microsoft\.App\/jobs\/caj-image-azl$/,
    );
  });
});

describe('the AZL_IMAGE_BUILDER settings', () => {
  it('name the job, image, container and size when on, as the pipeline reads them', () => {
    const settings = loadSettings(appSettingsFor({ imageBuilds: true }));
    expect(settings.imageBuilder).toMatchObject({
      kind: 'container-apps-job',
      job: { resourceId: SAMPLE_MODULE_OUTPUTS['image-build-job']?.['jobId'], jobName: 'caj-image-azl' },
      image: SAMPLE_MODULE_OUTPUTS['image-build-job']?.['image'],
      containerName: 'image-builder',
      resources: { cpu: 4, memory: '8Gi' },
      clientId: SAMPLE_IDENTITY.clientId,
    });
  });

  it('say off when off: the function app builds no image (it has no dnf, mkfs or kiwi-ng)', () => {
    const app = appSettingsFor({});
    expect(app['AZL_IMAGE_BUILDER']).toBe('off');
    expect(app['AZL_IMAGE_BUILDER_JOB_ID']).toBe('');
    const settings = loadSettings(app);
    expect(settings.imageBuilder).toBeUndefined();
    expect(settings.images.builds).toBe(false);
  });
});
