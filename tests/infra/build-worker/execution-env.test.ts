import { expect, test } from 'vitest';
import { executionEnv } from '../../../infra/build-worker/compose-building';

test('a build execution gets the identity forms of both storage accounts, never a connection string', () => {
  const env = executionEnv({
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    AzureWebJobsStorage__accountName: 'azlmain01',
    AZL_PUBLISHING_STORAGE: 'UseDevelopmentStorage=true',
    AZL_PUBLISHING_STORAGE__accountName: 'azlpub01',
    AZL_PUBLISHING_STORAGE__blobServiceUri: 'https://azlpub01.blob.core.windows.net',
    AZL_PUBLISHING_STORAGE__credential: 'managedidentity',
    AZL_PUBLISHING_STORAGE__clientId: '6f1c8a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
  });
  expect(env).toEqual({
    AZL_BUILDER: 'local',
    AZL_FEDORA_CATCH_UP: 'off',
    AzureWebJobsStorage__accountName: 'azlmain01',
    AZL_PUBLISHING_STORAGE__accountName: 'azlpub01',
    AZL_PUBLISHING_STORAGE__blobServiceUri: 'https://azlpub01.blob.core.windows.net',
    AZL_PUBLISHING_STORAGE__credential: 'managedidentity',
    AZL_PUBLISHING_STORAGE__clientId: '6f1c8a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
  });
});
