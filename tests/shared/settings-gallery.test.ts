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
const GALLERY_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-azl/providers/Microsoft.Compute/galleries/azl_previews`;
const ACCOUNT_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-azl/providers/Microsoft.Storage/storageAccounts/azlpub01`;

/** The settings.invalid error for `env`, or a failure when loadSettings accepts it. */
const failure = (env: Env): PipelineError => thrownPipelineError(() => loadSettings(env), 'settings.invalid');

describe('gallery settings: AZL_GALLERY_ID and friends', () => {
  it('are off without AZL_GALLERY_ID', () => {
    expect(loadSettings(base).gallery).toBeUndefined();
    expect(loadSettings({ ...base, AZL_GALLERY_EOL_DAYS: '7' }).gallery).toBeUndefined();
  });

  it('parse the gallery id into its parts, with the defaults', () => {
    expect(
      loadSettings({ ...base, AZL_GALLERY_ID: GALLERY_ID, AZL_GALLERY_STORAGE_ACCOUNT_ID: ACCOUNT_ID })
        .gallery,
    ).toEqual({
      gallery: {
        resourceId: GALLERY_ID,
        subscriptionId: SUBSCRIPTION,
        resourceGroup: 'rg-azl',
        galleryName: 'azl_previews',
      },
      endOfLifeDays: 30,
      publisher: 'azl-rebuilder',
      offer: 'azurelinux-preview',
      storageAccountId: ACCOUNT_ID,
      armEndpoint: 'https://management.azure.com',
    });
  });

  it('read the end-of-life days, identifier, ARM endpoint and identity', () => {
    const gallery = loadSettings({
      ...base,
      AZL_GALLERY_ID: GALLERY_ID.toLowerCase(),
      AZL_GALLERY_STORAGE_ACCOUNT_ID: ACCOUNT_ID,
      AZL_GALLERY_EOL_DAYS: '7',
      AZL_GALLERY_PUBLISHER: 'contoso',
      AZL_GALLERY_OFFER: 'azl-nightly',
      AZL_ARM_ENDPOINT: 'https://management.usgovcloudapi.net/',
      AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000001',
    }).gallery;
    expect(gallery).toMatchObject({
      gallery: { galleryName: 'azl_previews', resourceGroup: 'rg-azl' },
      endOfLifeDays: 7,
      publisher: 'contoso',
      offer: 'azl-nightly',
      armEndpoint: 'https://management.usgovcloudapi.net',
      clientId: '00000000-0000-0000-0000-000000000001',
    });
  });

  it.each([
    ['AZL_GALLERY_ID', GALLERY_ID.replace('galleries', 'images'), 'must be a gallery resource id'],
    ['AZL_GALLERY_ID', GALLERY_ID.replace(SUBSCRIPTION, 'my-subscription'), 'must be a gallery resource id'],
    ['AZL_GALLERY_ID', `${GALLERY_ID}/images/vm-base`, 'must be a gallery resource id'],
    ['AZL_GALLERY_ID', GALLERY_ID.replace('azl_previews', 'azl-previews'), 'must be a gallery resource id'],
    ['AZL_GALLERY_EOL_DAYS', '0', 'must be at least 1'],
    ['AZL_GALLERY_EOL_DAYS', '2.5', 'must be a whole number of days'],
    ['AZL_GALLERY_EOL_DAYS', 'month', 'must be a number of days'],
    ['AZL_GALLERY_PUBLISHER', 'my publisher', 'must be 1-64 letters, digits, -, . or _'],
    ['AZL_GALLERY_STORAGE_ACCOUNT_ID', GALLERY_ID, 'must be a storage account resource id'],
  ])('%s=%s is a settings error naming the setting', (setting, value, problem) => {
    const error = failure({
      ...base,
      AZL_GALLERY_ID: GALLERY_ID,
      AZL_GALLERY_STORAGE_ACCOUNT_ID: ACCOUNT_ID,
      [setting]: value,
    });
    expect(error.message).toContain(`${setting}: ${problem}`);
    expect(error.context).toMatchObject({ component: 'settings', settings: setting });
  });

  it('need the storage account the VHDs are in: AZL_GALLERY_ID alone is a settings error naming it', () => {
    const error = failure({ ...base, AZL_GALLERY_ID: GALLERY_ID });
    expect(error.message).toContain('AZL_GALLERY_STORAGE_ACCOUNT_ID: missing (required with AZL_GALLERY_ID)');
  });

  it('report a malformed ARM endpoint once when the builder reads it too', () => {
    const error = failure({
      ...base,
      AZL_GALLERY_ID: GALLERY_ID,
      AZL_GALLERY_STORAGE_ACCOUNT_ID: ACCOUNT_ID,
      AZL_BUILDER: 'container-apps-job',
      AZL_CONTAINER_APPS_JOB_ID: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-azl/providers/Microsoft.App/jobs/azl-build`,
      AZL_CONTAINER_APPS_JOB_IMAGE: 'azlacr.azurecr.io/azl:1',
      AZL_ARM_ENDPOINT: 'http://management.example',
    });
    expect(error.context.settings).toBe('AZL_ARM_ENDPOINT');
  });
});
