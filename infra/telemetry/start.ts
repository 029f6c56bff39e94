import type { TokenCredential } from '@azure/core-auth';
import { PipelineError, describeError } from '../../shared/errors';
import { parseAuthenticationString } from '../../shared/telemetry/authentication-string';
import type { AppInsightsAuthentication } from '../../shared/telemetry/authentication-string';
import { managedIdentityCredential } from './credential';
import { bridgeGlobalApi, clearGlobalApi } from './api-bridge';
import { loadAzureMonitor, requireFromDistro } from './distro';
import type { AzureMonitorDistro, AzureMonitorOptions } from './distro';
import type { Logger } from '../../shared/logger';
import { SERVICE_NAME } from './tracing';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { diagnosticsTo, exportWarner } from './export-warnings';
import type { ExportWarner } from './export-warnings';
import { reportingHttpClient } from './reporting-http-client';

export interface TelemetryOptions {
  /** APPLICATIONINSIGHTS_CONNECTION_STRING; absent or blank keeps telemetry off. */
  readonly applicationInsightsConnectionString?: string;
  /**
   * APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `Authorization=AAD[;ClientId=<GUID>]` makes export authenticate
   * with a managed identity (Entra), as a component with local authentication disabled requires. Absent or
   * blank: the instrumentation key alone. Read only while export is on; malformed, `startTelemetry` throws.
   */
  readonly applicationInsightsAuthenticationString?: string;
  /** Builds the credential for the authentication string; tests inject a fake. Default: a managed identity. */
  readonly createCredential?: (authentication: AppInsightsAuthentication) => TokenCredential;
  readonly logger: Logger;
  /**
   * Extra distro options, merged over ours: sampling, instrumentations, and for tests in-memory
   * `spanProcessors`/`metricReaders` or `azureMonitorExporterOptions.httpClient`. Processors and readers must
   * be built from the distro's own SDK copies (`requireFromDistro`).
   */
  readonly azureMonitor?: AzureMonitorOptions;
  /** Where the distro comes from; tests inject a fake. Default: `require` on first use. */
  readonly loadDistro?: () => AzureMonitorDistro;
  /** The App Insights cloud role name (`service.name`). OTEL_SERVICE_NAME, when set, wins. */
  readonly serviceName?: string;
  /** Export trouble is logged once per this period (default `EXPORT_WARNING_PERIOD_MS`). */
  readonly exportWarningPeriodMs?: number;
}

export interface Telemetry {
  readonly enabled: boolean;
  /** Flushes and stops export; safe to call more than once. Never throws (failures are logged). */
  shutdown(): Promise<void>;
}

let running = false;

/**
 * Switches on Application Insights export, only when a connection string is given. Call it once, early,
 * before the modules whose calls should be traced are loaded (the distro patches http on start). With the
 * export off, nothing is loaded and the helpers stay no-ops.
 *
 * A malformed authentication string throws (`settings.invalid`), before anything is loaded, as a malformed
 * connection string does (the distro refuses it): the app fails at startup, where the mistake is plain to see,
 * rather than running with every export rejected by an ingestion endpoint that accepts only Entra tokens.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  const connectionString = options.applicationInsightsConnectionString?.trim();
  if (!connectionString) {
    options.logger.info(
      'telemetry: Application Insights export off (APPLICATIONINSIGHTS_CONNECTION_STRING not set)',
    );
    return { enabled: false, shutdown: async () => undefined };
  }
  if (running) {
    throw PipelineError.permanent(
      'telemetry.already_started',
      'telemetry is already running; shut it down first',
      {
        component: 'telemetry',
      },
    );
  }
  const authenticationString = options.applicationInsightsAuthenticationString?.trim();
  const authentication = authenticationString ? parseAuthenticationString(authenticationString) : undefined;
  const credential =
    authentication && (options.createCredential ?? managedIdentityCredential)(authentication);
  const distro = (options.loadDistro ?? loadAzureMonitor)();
  const warner = exportWarner(options.logger, {
    ...(options.exportWarningPeriodMs === undefined ? {} : { periodMs: options.exportWarningPeriodMs }),
  });
  distro.useAzureMonitor(distroOptions(connectionString, credential, warner, options));
  const { bridgedFrom } = bridgeGlobalApi();
  // After the bridge (which drops the distro's console diagnostics with its registration): export trouble
  // becomes one warning per period on our logger instead.
  diag.setLogger(diagnosticsTo(warner), { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  running = true;
  options.logger.info('telemetry: Application Insights export on', {
    ingestionEndpoint: /IngestionEndpoint=([^;]+)/i.exec(connectionString)?.[1] ?? 'default',
    authentication: describeAuthentication(authentication),
    ...(bridgedFrom ? { bridgedOpenTelemetryApi: bridgedFrom } : {}),
  });
  let stopping: Promise<void> | undefined;
  return { enabled: true, shutdown: () => (stopping ??= stop(distro, options.logger)) };
}

/**
 * The credential goes in `azureMonitorExporterOptions`, where the trace, metric and log exporters read it
 * (each adds a bearer-token policy for Azure Monitor to its ingestion requests), as does live metrics.
 */
function distroOptions(
  connectionString: string,
  credential: TokenCredential | undefined,
  warner: ExportWarner,
  options: TelemetryOptions,
): AzureMonitorOptions {
  const extra = options.azureMonitor ?? {};
  const resource = process.env.OTEL_SERVICE_NAME
    ? {}
    : { resource: serviceResource(options.serviceName ?? SERVICE_NAME) };
  return {
    ...resource,
    ...extra,
    azureMonitorExporterOptions: {
      ...extra.azureMonitorExporterOptions,
      // Every ingestion request watched: export trouble is one warning per period (see export-warnings.ts).
      httpClient: reportingHttpClient(warner, extra.azureMonitorExporterOptions?.httpClient),
      connectionString,
      ...(credential ? { credential } : {}),
    },
  };
}

function describeAuthentication(authentication: AppInsightsAuthentication | undefined): string {
  if (!authentication) return 'instrumentation key';
  return authentication.clientId === undefined
    ? 'Entra, system-assigned managed identity'
    : `Entra, managed identity ${authentication.clientId}`;
}

/** Built with the distro's own `@opentelemetry/resources` so the Resource matches its SDK. */
function serviceResource(serviceName: string): AzureMonitorOptions['resource'] {
  const resources = requireFromDistro('@opentelemetry/resources') as {
    resourceFromAttributes(attributes: Record<string, string>): NonNullable<AzureMonitorOptions['resource']>;
  };
  return resources.resourceFromAttributes({ 'service.name': serviceName });
}

async function stop(distro: AzureMonitorDistro, logger: Logger): Promise<void> {
  try {
    await distro.shutdownAzureMonitor();
  } catch (error) {
    logger.warn('telemetry: shutdown failed; some telemetry may be lost', { error: describeError(error) });
  } finally {
    clearGlobalApi();
    running = false;
  }
}
