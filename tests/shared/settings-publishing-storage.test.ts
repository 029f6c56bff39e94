import { describe, expect, it } from 'vitest';
import type { PipelineError } from '../../shared/errors';
import { loadSettings } from '../../shared/settings/load-settings';
import { withoutPublishingStorage } from '../../shared/settings/publishing-storage';
import type { Env } from '../../shared/settings/load-settings';
import { thrownPipelineError } from '../../testing/failures';

const base: Env = {
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  ServiceBusConnection: 'Endpoint=sb://127.0.0.1:5672;SharedAccessKeyName=a;SharedAccessKey=b',
};
const CLIENT_ID = '6f1c8a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const PUBLISHING_KEYED =
  'DefaultEndpointsProtocol=http;AccountName=azlpublishing;AccountKey=a2V5PT0=;' +
  'BlobEndpoint=http://127.0.0.1:10000/azlpublishing;';

/** The settings.invalid error for `env`, or a failure when loadSettings accepts it. */
const failure = (env: Env): PipelineError => thrownPipelineError(() => loadSettings(env), 'settings.invalid');

describe('publishing storage: AZL_PUBLISHING_STORAGE and its __ forms', () => {
  it('is absent when none is set: the anonymous containers stay in the main account', () => {
    const settings = loadSettings(base);
    expect(settings.publishingStorage).toBeUndefined();
    expect('publishingStorage' in settings).toBe(false);
    // Blank values count as absent (Azure keeps empty app settings around).
    expect(loadSettings({ ...base, AZL_PUBLISHING_STORAGE: ' ' }).publishingStorage).toBeUndefined();
  });

  it('reads a connection string with a blob endpoint only (no table endpoint needed)', () => {
    const sas = 'BlobEndpoint=https://azlpub.blob.core.windows.net;SharedAccessSignature=sv=1&sig=x';
    for (const connectionString of [PUBLISHING_KEYED, sas, 'UseDevelopmentStorage=true']) {
      expect(loadSettings({ ...base, AZL_PUBLISHING_STORAGE: connectionString }).publishingStorage).toEqual({
        kind: 'connectionString',
        connectionString,
      });
    }
  });

  it('a connection string wins over the identity settings, as for AzureWebJobsStorage', () => {
    const settings = loadSettings({
      ...base,
      AZL_PUBLISHING_STORAGE: PUBLISHING_KEYED,
      AZL_PUBLISHING_STORAGE__accountName: 'azlpub',
    });
    expect(settings.publishingStorage?.kind).toBe('connectionString');
  });

  it('derives the blob URL from __accountName, with the user-assigned identity of __clientId', () => {
    const settings = loadSettings({
      ...base,
      AZL_PUBLISHING_STORAGE__accountName: 'azlpub01',
      AZL_PUBLISHING_STORAGE__credential: 'managedidentity',
      AZL_PUBLISHING_STORAGE__clientId: CLIENT_ID,
    });
    expect(settings.publishingStorage).toEqual({
      kind: 'identity',
      blobUrl: 'https://azlpub01.blob.core.windows.net',
      clientId: CLIENT_ID,
    });
  });

  it('takes an explicit __blobServiceUri over the account name, and no client id means the default identity', () => {
    const settings = loadSettings({
      ...base,
      AZL_PUBLISHING_STORAGE__accountName: 'azlpub01',
      AZL_PUBLISHING_STORAGE__blobServiceUri: 'http://127.0.0.1:10000/azlpublishing/',
    });
    expect(settings.publishingStorage).toEqual({
      kind: 'identity',
      blobUrl: 'http://127.0.0.1:10000/azlpublishing',
    });
  });

  it('names the setting when a credential or client id comes without an account', () => {
    const error = failure({ ...base, AZL_PUBLISHING_STORAGE__clientId: CLIENT_ID });
    expect(error.message).toBe(
      'invalid app settings: AZL_PUBLISHING_STORAGE: missing (set AZL_PUBLISHING_STORAGE, or ' +
        'AZL_PUBLISHING_STORAGE__accountName, or AZL_PUBLISHING_STORAGE__blobServiceUri)',
    );
    expect(error.context).toMatchObject({ component: 'settings', settings: 'AZL_PUBLISHING_STORAGE' });
  });

  it('names every malformed identity setting in one error, without echoing the values', () => {
    const error = failure({
      ...base,
      AZL_PUBLISHING_STORAGE__accountName: 'Not_An_Account',
      AZL_PUBLISHING_STORAGE__blobServiceUri: 'http://azlpub.blob.core.windows.net/?sig=secret',
      AZL_PUBLISHING_STORAGE__credential: 'password',
      AZL_PUBLISHING_STORAGE__clientId: 'me',
    });
    expect(error.context.settings).toBe(
      [
        'AZL_PUBLISHING_STORAGE__accountName',
        'AZL_PUBLISHING_STORAGE__blobServiceUri',
        'AZL_PUBLISHING_STORAGE__credential',
        'AZL_PUBLISHING_STORAGE__clientId',
      ].join(','),
    );
    expect(error.message).toContain('AZL_PUBLISHING_STORAGE__accountName: must be a storage account name');
    expect(error.message).toContain('AZL_PUBLISHING_STORAGE__blobServiceUri: must use https');
    expect(error.message).not.toContain('secret');
  });

  it.each([
    ['AccountName=azlpub', 'is not a usable blob storage connection string'],
    ['just-a-secret', 'is not a connection string'],
    ['UseDevelopmentStorage=true;BlobEndpoint=http://10.0.0.4:10000', 'BlobEndpoint must use https'],
  ])('AZL_PUBLISHING_STORAGE = %j is rejected (%s) without echoing the value', (value, problem) => {
    const error = failure({ ...base, AZL_PUBLISHING_STORAGE: value });
    expect(error.message).toContain(`AZL_PUBLISHING_STORAGE: ${problem}`);
    expect(error.message).not.toContain(value);
    expect(error.context.settings).toBe('AZL_PUBLISHING_STORAGE');
  });

  it('is reported together with a problem of the main storage', () => {
    const error = failure({
      ServiceBusConnection: base.ServiceBusConnection,
      AZL_PUBLISHING_STORAGE: 'just-a-secret',
    });
    expect(error.context.settings).toBe('AzureWebJobsStorage,AZL_PUBLISHING_STORAGE');
  });

  it('withoutPublishingStorage, spread over an environment, leaves every form of it unset (the local runtime)', () => {
    const exported: Env = {
      ...base,
      AZL_PUBLISHING_STORAGE: PUBLISHING_KEYED,
      AZL_PUBLISHING_STORAGE__accountName: 'azlpub01',
      AZL_PUBLISHING_STORAGE__blobServiceUri: 'https://azlpub01.blob.core.windows.net',
      AZL_PUBLISHING_STORAGE__credential: 'managedidentity',
      AZL_PUBLISHING_STORAGE__clientId: CLIENT_ID,
    };
    expect(loadSettings(exported).publishingStorage).toBeDefined();
    expect(loadSettings({ ...exported, ...withoutPublishingStorage() }).publishingStorage).toBeUndefined();
  });
});
