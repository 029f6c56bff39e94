import { createRequire } from 'node:module';
import type * as AzureMonitor from '@azure/monitor-opentelemetry';

/**
 * Access to the Azure Monitor OpenTelemetry distro, kept behind functions so that importing the telemetry
 * module never loads it: the distro and its SDK (hundreds of modules) take about two seconds to load, which
 * is only worth paying when Application Insights export is on.
 */
export type AzureMonitorDistro = Pick<typeof AzureMonitor, 'useAzureMonitor' | 'shutdownAzureMonitor'>;
export type AzureMonitorOptions = AzureMonitor.AzureMonitorOpenTelemetryOptions;

export const DISTRO_MODULE = '@azure/monitor-opentelemetry';

export function loadAzureMonitor(): AzureMonitorDistro {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy by design (see above)
  return require(DISTRO_MODULE) as AzureMonitorDistro;
}

/**
 * Loads a module as the distro itself resolves it (e.g. '@opentelemetry/sdk-metrics'). The distro nests its
 * own OpenTelemetry SDK copies; processors, readers and resources handed to it must come from those exact
 * copies or they do not match. Resolving does not load the distro.
 */
export function requireFromDistro(id: string): unknown {
  return createRequire(require.resolve(DISTRO_MODULE))(id);
}
