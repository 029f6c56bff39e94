import type { TokenCredential } from '@azure/core-auth';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTelemetry } from '../../../infra/telemetry';
import type {
  AzureMonitorDistro,
  AzureMonitorOptions,
  Telemetry,
  TelemetryOptions,
} from '../../../infra/telemetry';
import type { LogFields } from '../../../shared/logger';
import type { AppInsightsAuthentication } from '../../../shared/telemetry/authentication-string';

const CONNECTION =
  'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://ingest.example/';

/** A distro that records what it is given instead of exporting anything. */
function fakeDistro(shutdown: () => Promise<void> = async () => undefined) {
  const started: AzureMonitorOptions[] = [];
  const distro: AzureMonitorDistro = {
    useAzureMonitor: (options) => void started.push(options ?? {}),
    shutdownAzureMonitor: vi.fn(shutdown),
  };
  return { distro, started };
}

function captureLogger() {
  const lines: Array<{ level: string; message: string; fields?: LogFields }> = [];
  const at = (level: string) => (message: string, fields?: LogFields) =>
    void lines.push({ level, message, fields });
  const logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  };
  return { logger, lines };
}

afterEach(() => vi.unstubAllEnvs());

describe('startTelemetry with a connection string (fake distro)', () => {
  it('passes the connection string, names the service and keeps the caller options', async () => {
    const { distro, started } = fakeDistro();
    const { logger, lines } = captureLogger();
    vi.stubEnv('OTEL_SERVICE_NAME', '');
    const telemetry = startTelemetry({
      applicationInsightsConnectionString: ` ${CONNECTION} `,
      logger,
      loadDistro: () => distro,
      azureMonitor: { samplingRatio: 0.5, azureMonitorExporterOptions: { disableOfflineStorage: true } },
    });
    expect(telemetry.enabled).toBe(true);
    const options = started[0];
    expect(options?.samplingRatio).toBe(0.5);
    expect(options?.azureMonitorExporterOptions).toEqual({
      disableOfflineStorage: true,
      connectionString: CONNECTION,
      // Every ingestion request through the client that reports export trouble (export-failures.test.ts).
      httpClient: expect.objectContaining({ sendRequest: expect.any(Function) }),
    });
    expect(options?.resource?.attributes['service.name']).toBe('azl-rebuilder');
    expect(lines[0]).toMatchObject({
      message: 'telemetry: Application Insights export on',
      fields: { ingestionEndpoint: 'https://ingest.example/' },
    });
    expect(JSON.stringify(lines)).not.toContain('InstrumentationKey');
    await telemetry.shutdown();
  });

  it('leaves the service name to OTEL_SERVICE_NAME when it is set', async () => {
    const { distro, started } = fakeDistro();
    vi.stubEnv('OTEL_SERVICE_NAME', 'custom');
    const telemetry = startTelemetry({
      applicationInsightsConnectionString: CONNECTION,
      logger: captureLogger().logger,
      loadDistro: () => distro,
    });
    expect(started[0]?.resource).toBeUndefined();
    await telemetry.shutdown();
  });

  it('refuses a second start until the first is shut down', async () => {
    const { distro } = fakeDistro();
    const options = {
      applicationInsightsConnectionString: CONNECTION,
      logger: captureLogger().logger,
      loadDistro: () => distro,
    };
    const first = startTelemetry(options);
    expect(() => startTelemetry(options)).toThrow(
      expect.objectContaining({ code: 'telemetry.already_started' }),
    );
    await first.shutdown();
    const second = startTelemetry(options);
    await second.shutdown();
  });

  it('shuts down once, and logs instead of throwing when the distro fails to', async () => {
    const { distro } = fakeDistro(() => Promise.reject(new Error('flush timed out')));
    const { logger, lines } = captureLogger();
    const telemetry = startTelemetry({
      applicationInsightsConnectionString: CONNECTION,
      logger,
      loadDistro: () => distro,
    });
    await Promise.all([telemetry.shutdown(), telemetry.shutdown()]);
    await telemetry.shutdown();
    expect(distro.shutdownAzureMonitor).toHaveBeenCalledTimes(1);
    expect(lines.at(-1)).toMatchObject({ level: 'warn', fields: { error: 'flush timed out' } });
  });
});

describe('startTelemetry with an authentication string (fake distro)', () => {
  const CLIENT_ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
  const running: Telemetry[] = [];
  /** startTelemetry, shut down after the test even when it fails, so one failure does not fail the next. */
  const start = (options: TelemetryOptions): Telemetry => {
    const telemetry = startTelemetry(options);
    running.push(telemetry);
    return telemetry;
  };
  afterEach(async () => {
    await Promise.all(running.splice(0).map((telemetry) => telemetry.shutdown()));
  });

  /** Records what each credential was built for; the credential itself is only handed over. */
  function credentialFactory() {
    const builtFor: AppInsightsAuthentication[] = [];
    const createCredential = (authentication: AppInsightsAuthentication): TokenCredential => {
      builtFor.push(authentication);
      return { getToken: async () => ({ token: 'fake', expiresOnTimestamp: Date.now() + 3_600_000 }) };
    };
    return { builtFor, createCredential };
  }

  it('hands the exporter a credential for the user-assigned identity named by ClientId', async () => {
    const { distro, started } = fakeDistro();
    const { builtFor, createCredential } = credentialFactory();
    const { logger, lines } = captureLogger();
    start({
      applicationInsightsConnectionString: CONNECTION,
      applicationInsightsAuthenticationString: ` Authorization=AAD;ClientId=${CLIENT_ID} `,
      createCredential,
      logger,
      loadDistro: () => distro,
      azureMonitor: { azureMonitorExporterOptions: { disableOfflineStorage: true } },
    });
    expect(builtFor).toEqual([{ clientId: CLIENT_ID }]);
    const exporterOptions = started[0]?.azureMonitorExporterOptions;
    expect(exporterOptions).toMatchObject({ connectionString: CONNECTION, disableOfflineStorage: true });
    await expect(exporterOptions?.credential?.getToken('scope')).resolves.toMatchObject({ token: 'fake' });
    expect(lines[0]?.fields).toMatchObject({ authentication: `Entra, managed identity ${CLIENT_ID}` });
  });

  it('uses the system-assigned identity for Authorization=AAD alone', async () => {
    const { distro, started } = fakeDistro();
    const { builtFor, createCredential } = credentialFactory();
    const { logger, lines } = captureLogger();
    start({
      applicationInsightsConnectionString: CONNECTION,
      applicationInsightsAuthenticationString: 'Authorization=AAD',
      createCredential,
      logger,
      loadDistro: () => distro,
    });
    expect(builtFor).toEqual([{}]);
    expect(started[0]?.azureMonitorExporterOptions?.credential).toBeDefined();
    expect(lines[0]?.fields).toMatchObject({ authentication: 'Entra, system-assigned managed identity' });
  });

  it.each([
    ['without the setting', {}],
    ['with a blank one', { applicationInsightsAuthenticationString: '  ' }],
  ])('passes no credential %s', (_, authentication) => {
    const { distro, started } = fakeDistro();
    const { builtFor, createCredential } = credentialFactory();
    const { logger, lines } = captureLogger();
    start({
      applicationInsightsConnectionString: CONNECTION,
      ...authentication,
      createCredential,
      logger,
      loadDistro: () => distro,
    });
    expect(builtFor).toEqual([]);
    expect(started[0]?.azureMonitorExporterOptions).not.toHaveProperty('credential');
    expect(lines[0]?.fields).toMatchObject({ authentication: 'instrumentation key' });
  });

  it('fails at startup on a malformed string, naming the setting, before loading the distro', () => {
    const loadDistro = vi.fn();
    expect(() =>
      startTelemetry({
        applicationInsightsConnectionString: CONNECTION,
        applicationInsightsAuthenticationString: 'Authorization=AAD;ClientId=not-a-guid',
        logger: captureLogger().logger,
        loadDistro,
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'settings.invalid',
        message: expect.stringContaining('APPLICATIONINSIGHTS_AUTHENTICATION_STRING'),
      }),
    );
    expect(loadDistro).not.toHaveBeenCalled();
    // Nothing was left running: the next start succeeds.
    const { distro } = fakeDistro();
    const telemetry = start({
      applicationInsightsConnectionString: CONNECTION,
      logger: captureLogger().logger,
      loadDistro: () => distro,
    });
    expect(telemetry.enabled).toBe(true);
  });

  it('ignores the setting while export is off (no connection string)', () => {
    const loadDistro = vi.fn();
    const telemetry = start({
      applicationInsightsAuthenticationString: 'Authorization=AAD;ClientId=not-a-guid',
      logger: captureLogger().logger,
      loadDistro,
    });
    expect(telemetry.enabled).toBe(false);
    expect(loadDistro).not.toHaveBeenCalled();
  });
});
