import { describe, expect, it } from 'vitest';
import { PipelineError } from '../../shared/errors';
import { loadSettings } from '../../shared/settings/load-settings';
import type { Env } from '../../shared/settings/load-settings';
import { thrownPipelineError } from '../../testing/failures';

const AZURITE =
  'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5PT0=;' +
  'BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;';
const SB =
  'Endpoint=sb://azl.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=abc=';
const CLIENT_ID = '6f1c8a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const AI = `InstrumentationKey=${CLIENT_ID};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/`;

const base: Env = { AzureWebJobsStorage: AZURITE, ServiceBusConnection: SB };

/** The PipelineError thrown by loadSettings, for asserting on its message. */
const failure = (env: Env): PipelineError => thrownPipelineError(() => loadSettings(env), 'settings.invalid');

describe('loadSettings: connection strings', () => {
  it('accepts Azurite storage and a Service Bus connection string, with defaults', () => {
    expect(loadSettings(base)).toEqual({
      storage: { kind: 'connectionString', connectionString: AZURITE },
      serviceBus: { kind: 'connectionString', connectionString: SB },
      logLevel: 'info',
      catchUp: { enabled: true, datagrepperUrl: 'https://apps.fedoraproject.org/datagrepper' },
      builder: { kind: 'local' },
      images: { builds: true, quietMs: 300_000, arch: 'x86_64' },
      publishing: { keepBuilds: 1, graceMs: 600_000, coalesceMs: 10_000 },
      instanceName: 'azl-rebuilder',
      webhookAllowLoopback: false,
      webhooks: {
        retryScheduleMs: [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000],
        disableAfterMs: 5 * 86_400_000,
        logRetentionMs: 30 * 86_400_000,
      },
    });
  });

  it('allows loopback webhook URLs only with AZL_WEBHOOK_ALLOW_LOOPBACK=true', () => {
    expect(loadSettings({ ...base, AZL_WEBHOOK_ALLOW_LOOPBACK: 'true' }).webhookAllowLoopback).toBe(true);
    expect(loadSettings({ ...base, AZL_WEBHOOK_ALLOW_LOOPBACK: 'false' }).webhookAllowLoopback).toBe(false);
    expect(failure({ ...base, AZL_WEBHOOK_ALLOW_LOOPBACK: 'yes' }).message).toMatch(
      /AZL_WEBHOOK_ALLOW_LOOPBACK: must be true or false/,
    );
  });

  it('names the instance from AZL_INSTANCE_NAME, else the function app (WEBSITE_SITE_NAME); refuses a bad name', () => {
    expect(loadSettings({ ...base, WEBSITE_SITE_NAME: 'func-azl-prod' }).instanceName).toBe('func-azl-prod');
    expect(
      loadSettings({ ...base, WEBSITE_SITE_NAME: 'func-azl-prod', AZL_INSTANCE_NAME: 'lab.eu-1' })
        .instanceName,
    ).toBe('lab.eu-1');
    expect(failure({ ...base, AZL_INSTANCE_NAME: 'has space' }).message).toMatch(
      /AZL_INSTANCE_NAME: must be 1-63/,
    );
  });

  it('switches the datagrepper catch-up off, and takes another datagrepper URL', () => {
    const settings = loadSettings({
      ...base,
      AZL_FEDORA_CATCH_UP: 'off',
      AZL_DATAGREPPER_URL: 'http://127.0.0.1:8080/dg',
    });
    expect(settings.catchUp).toEqual({ enabled: false, datagrepperUrl: 'http://127.0.0.1:8080/dg' });
    expect(() => loadSettings({ ...base, AZL_FEDORA_CATCH_UP: 'sometimes' })).toThrow(/AZL_FEDORA_CATCH_UP/);
  });

  it('accepts UseDevelopmentStorage=true, a SAS storage string and an emulator Service Bus string', () => {
    const sas =
      'BlobEndpoint=https://a.blob.core.windows.net;TableEndpoint=https://a.table.core.windows.net;SharedAccessSignature=sv=1&sig=x';
    const emulator =
      'Endpoint=sb://localhost:5672;SharedAccessKeyName=k;SharedAccessKey=v;UseDevelopmentEmulator=true';
    expect(
      loadSettings({ AzureWebJobsStorage: 'UseDevelopmentStorage=true', ServiceBusConnection: emulator })
        .storage.kind,
    ).toBe('connectionString');
    expect(loadSettings({ ...base, AzureWebJobsStorage: sas }).storage.kind).toBe('connectionString');
  });

  it('a connection string wins over identity settings, as in the Functions host', () => {
    const settings = loadSettings({
      ...base,
      AzureWebJobsStorage__accountName: 'azl',
      ServiceBusConnection__fullyQualifiedNamespace: 'x.y',
    });
    expect(settings.storage.kind).toBe('connectionString');
    expect(settings.serviceBus.kind).toBe('connectionString');
  });

  it('reads the optional Application Insights connection string and log level', () => {
    const settings = loadSettings({
      ...base,
      APPLICATIONINSIGHTS_CONNECTION_STRING: ` ${AI} `,
      AZL_LOG_LEVEL: 'DEBUG',
    });
    expect(settings.applicationInsightsConnectionString).toBe(AI);
    expect(settings.logLevel).toBe('debug');
  });

  it('treats blank settings as absent', () => {
    const settings = loadSettings({
      ...base,
      APPLICATIONINSIGHTS_CONNECTION_STRING: '  ',
      AZL_LOG_LEVEL: '',
    });
    expect(settings).not.toHaveProperty('applicationInsightsConnectionString');
    expect(settings.logLevel).toBe('info');
  });
});

describe('loadSettings: identity-based connections', () => {
  it('derives public-cloud URLs from the account name', () => {
    const settings = loadSettings({
      AzureWebJobsStorage__accountName: 'azlstore01',
      AzureWebJobsStorage__credential: 'managedidentity',
      AzureWebJobsStorage__clientId: CLIENT_ID,
      ServiceBusConnection__fullyQualifiedNamespace: 'AZL.servicebus.windows.net',
      ServiceBusConnection__clientId: CLIENT_ID,
    });
    expect(settings.storage).toEqual({
      kind: 'identity',
      blobUrl: 'https://azlstore01.blob.core.windows.net',
      tableUrl: 'https://azlstore01.table.core.windows.net',
      clientId: CLIENT_ID,
    });
    expect(settings.serviceBus).toEqual({
      kind: 'identity',
      fullyQualifiedNamespace: 'azl.servicebus.windows.net',
      clientId: CLIENT_ID,
    });
  });

  it('uses explicit service URIs (trailing slash dropped) and allows http only on loopback', () => {
    const settings = loadSettings({
      ServiceBusConnection: SB,
      AzureWebJobsStorage__blobServiceUri: 'https://s.blob.core.windows.net/',
      AzureWebJobsStorage__tableServiceUri: 'http://127.0.0.1:10002/devstoreaccount1',
    });
    expect(settings.storage).toEqual({
      kind: 'identity',
      blobUrl: 'https://s.blob.core.windows.net',
      tableUrl: 'http://127.0.0.1:10002/devstoreaccount1',
    });
  });

  it('explicit URIs win over the account name, one at a time', () => {
    const settings = loadSettings({
      ServiceBusConnection: SB,
      AzureWebJobsStorage__accountName: 'azl',
      AzureWebJobsStorage__tableServiceUri: 'https://tables.example.net',
    });
    expect(settings.storage).toMatchObject({
      blobUrl: 'https://azl.blob.core.windows.net',
      tableUrl: 'https://tables.example.net',
    });
  });
});

describe('loadSettings: errors name every setting', () => {
  it('names both missing connections in one error', () => {
    const error = failure({});
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(
      'AzureWebJobsStorage: missing (set AzureWebJobsStorage, or AzureWebJobsStorage__accountName, or ' +
        'AzureWebJobsStorage__blobServiceUri and AzureWebJobsStorage__tableServiceUri)',
    );
    expect(error.message).toContain(
      'ServiceBusConnection: missing (set ServiceBusConnection or ServiceBusConnection__fullyQualifiedNamespace)',
    );
    expect(error.context.settings).toBe('AzureWebJobsStorage,ServiceBusConnection');
  });

  it('reports every malformed identity setting by its exact name', () => {
    const error = failure({
      AzureWebJobsStorage__accountName: 'Not_An_Account',
      AzureWebJobsStorage__blobServiceUri: 'http://s.blob.core.windows.net',
      AzureWebJobsStorage__credential: 'password',
      AzureWebJobsStorage__clientId: 'me',
      ServiceBusConnection__fullyQualifiedNamespace: 'sb://azl.servicebus.windows.net/',
      ServiceBusConnection__clientId: 'nope',
      AZL_LOG_LEVEL: 'verbose',
    });
    expect(error.context.settings).toBe(
      [
        'AzureWebJobsStorage__accountName',
        'AzureWebJobsStorage__blobServiceUri',
        'AzureWebJobsStorage__credential',
        'AzureWebJobsStorage__clientId',
        'ServiceBusConnection__fullyQualifiedNamespace',
        'ServiceBusConnection__clientId',
        'AZL_LOG_LEVEL',
      ].join(','),
    );
    expect(error.message).toContain('AzureWebJobsStorage__blobServiceUri: must use https');
    expect(error.message).toContain('ServiceBusConnection__fullyQualifiedNamespace: must be a host name');
    expect(error.message).toContain('AZL_LOG_LEVEL: must be one of debug, info, warn, error (got "verbose")');
  });

  it('asks for the missing half of a URI pair', () => {
    const error = failure({
      ServiceBusConnection: SB,
      AzureWebJobsStorage__blobServiceUri: 'https://s.blob.core.windows.net',
    });
    expect(error.message).toBe(
      'invalid app settings: AzureWebJobsStorage__tableServiceUri: missing (set it together with ' +
        'AzureWebJobsStorage__blobServiceUri, or set AzureWebJobsStorage__accountName)',
    );
  });

  it.each([
    ['AzureWebJobsStorage', 'AccountName=a', 'is not a usable storage connection string'],
    ['AzureWebJobsStorage', 'just-a-secret', 'is not a connection string'],
    [
      'AzureWebJobsStorage',
      'UseDevelopmentStorage=true;BlobEndpoint=http://10.0.0.4:10000',
      'BlobEndpoint must use https',
    ],
    ['ServiceBusConnection', 'SharedAccessKeyName=k;SharedAccessKey=v', 'has no Endpoint'],
    [
      'ServiceBusConnection',
      'Endpoint=https://azl.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=v',
      'malformed Endpoint',
    ],
    [
      'ServiceBusConnection',
      'Endpoint=sb://azl.servicebus.windows.net/;SharedAccessKeyName=k',
      'SharedAccessKeyName and SharedAccessKey together',
    ],
    [
      'ServiceBusConnection',
      'Endpoint=sb://a.b/;SharedAccessSignature=s;SharedAccessKey=v;SharedAccessKeyName=k',
      'not have both',
    ],
    [
      'APPLICATIONINSIGHTS_CONNECTION_STRING',
      'IngestionEndpoint=https://x.example',
      'no valid InstrumentationKey',
    ],
    [
      'APPLICATIONINSIGHTS_CONNECTION_STRING',
      `InstrumentationKey=${CLIENT_ID};IngestionEndpoint=http://x.example`,
      'IngestionEndpoint must use https',
    ],
  ])('%s = %j is rejected (%s) without echoing the value', (name, value, problem) => {
    const error = failure({ ...base, [name]: value });
    expect(error.message).toContain(`${name}: `);
    expect(error.message).toContain(problem);
    expect(error.message).not.toContain(value);
    expect(error.context.settings).toBe(name);
  });

  it('rejects identity URLs with a query (a SAS belongs elsewhere) or credentials', () => {
    const error = failure({
      ServiceBusConnection: SB,
      AzureWebJobsStorage__blobServiceUri: 'https://s.blob.core.windows.net/?sig=secret',
      AzureWebJobsStorage__tableServiceUri: 'https://user:pw@s.table.core.windows.net',
    });
    expect(error.message).not.toContain('secret');
    expect(error.message.match(/must not carry credentials, a query or a fragment/g)).toHaveLength(2);
  });

  it('survives JSON, so the reason can be recorded', () => {
    const error = failure({});
    expect(PipelineError.fromJSON(JSON.parse(JSON.stringify(error)))).toEqual(error);
  });
});

describe('AZL_RAWHIDE_RELEASE', () => {
  const base = {
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    ServiceBusConnection: 'Endpoint=sb://127.0.0.1:5672;SharedAccessKeyName=a;SharedAccessKey=b',
  };
  it('is read as a release number', () => {
    expect(loadSettings({ ...base, AZL_RAWHIDE_RELEASE: '44' }).rawhideRelease).toBe(44);
    expect(loadSettings(base).rawhideRelease).toBeUndefined();
  });
  it('names the setting when it is not a number', () => {
    expect(() => loadSettings({ ...base, AZL_RAWHIDE_RELEASE: 'rawhide' })).toThrow(/AZL_RAWHIDE_RELEASE/);
  });
});

describe('AZL_PUBLISH_COMMIT_DELAY_MS', () => {
  const base = {
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    ServiceBusConnection: 'Endpoint=sb://127.0.0.1:5672;SharedAccessKeyName=a;SharedAccessKey=b',
  };
  it('is read as milliseconds; absent or 0 means no delay', () => {
    expect(loadSettings({ ...base, AZL_PUBLISH_COMMIT_DELAY_MS: '1500' }).publishCommitDelayMs).toBe(1500);
    expect(loadSettings({ ...base, AZL_PUBLISH_COMMIT_DELAY_MS: '0' }).publishCommitDelayMs).toBeUndefined();
    expect(loadSettings(base).publishCommitDelayMs).toBeUndefined();
  });
  it('names the setting when it is not a number of milliseconds', () => {
    expect(() => loadSettings({ ...base, AZL_PUBLISH_COMMIT_DELAY_MS: 'slow' })).toThrow(
      /AZL_PUBLISH_COMMIT_DELAY_MS/,
    );
  });
});

describe('loadSettings: burst coalescing of planning passes', () => {
  const planning = { ...base, AZL_DISTRO_DIR: 'distro' };
  it('waits for 20 s of quiet, at most 300 s, unless told otherwise', () => {
    expect(loadSettings(planning).planner?.burst).toEqual({ quietMs: 20_000, maxWaitMs: 300_000 });
    expect(
      loadSettings({ ...planning, AZL_PLANNER_QUIET_SECONDS: '0', AZL_PLANNER_MAX_WAIT_SECONDS: '60' })
        .planner?.burst,
    ).toEqual({ quietMs: 0, maxWaitMs: 60_000 });
  });

  it('refuses a maximum wait shorter than the quiet period, naming both settings', () => {
    const error = failure({
      ...planning,
      AZL_PLANNER_QUIET_SECONDS: '30',
      AZL_PLANNER_MAX_WAIT_SECONDS: '10',
    });
    expect(error.message).toMatch(/AZL_PLANNER_MAX_WAIT_SECONDS.*AZL_PLANNER_QUIET_SECONDS \(30\)/);
    expect(failure({ ...planning, AZL_PLANNER_QUIET_SECONDS: 'soon' }).message).toMatch(
      /AZL_PLANNER_QUIET_SECONDS/,
    );
  });
});
