import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTelemetry } from '../../../infra/telemetry';
import type { AzureMonitorDistro, AzureMonitorOptions } from '../../../infra/telemetry';
import type { LogFields } from '../../../shared/logger';

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
