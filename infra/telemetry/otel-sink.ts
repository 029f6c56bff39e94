import type { Counter, Histogram, UpDownCounter } from '@opentelemetry/api';
import type * as ApiLogs from '@opentelemetry/api-logs';
import type { MetricDefinition } from '../../shared/telemetry/catalogue';
import type { TelemetrySink } from '../../shared/telemetry/pipeline-telemetry';
import { requireFromDistro } from './distro';
import { counter, histogram, upDownCounter } from './metrics';
import { SERVICE_NAME } from './tracing';

/**
 * Where the catalogue's recordings go with OpenTelemetry: one instrument per metric (its unit and description
 * from the catalogue), and custom events as log records carrying `microsoft.custom_event.name`, which the
 * Azure Monitor exporter sends as `customEvents` (the other attributes become their customDimensions).
 */
export const CUSTOM_EVENT_NAME_ATTRIBUTE = 'microsoft.custom_event.name';

type Instrument = Counter | Histogram | UpDownCounter;

export function otelTelemetrySink(): TelemetrySink {
  const instruments = new Map<string, Instrument>();
  const instrumentOf = (metric: MetricDefinition): Instrument => {
    let instrument = instruments.get(metric.name);
    if (!instrument) {
      const options = { unit: metric.unit, description: metric.description };
      instrument =
        metric.kind === 'histogram'
          ? histogram(metric.name, options)
          : metric.kind === 'counter'
            ? counter(metric.name, options)
            : upDownCounter(metric.name, options);
      instruments.set(metric.name, instrument);
    }
    return instrument;
  };
  return {
    metric: (metric, value, dimensions) => {
      const instrument = instrumentOf(metric);
      if ('record' in instrument) instrument.record(value, dimensions);
      else instrument.add(value, dimensions);
    },
    event: (event, properties) => {
      eventLogger().emit({
        body: event.name,
        attributes: { [CUSTOM_EVENT_NAME_ATTRIBUTE]: event.name, ...properties },
      });
    },
  };
}

/**
 * The logs API copy the distro's SDK registers its provider with (its own nested `@opentelemetry/api-logs`),
 * looked up on every event: the provider changes when telemetry starts or stops. Loading it is cheap (the
 * distro itself is not loaded by resolving it).
 */
function eventLogger(): ApiLogs.Logger {
  const { logs } = requireFromDistro('@opentelemetry/api-logs') as typeof ApiLogs;
  return logs.getLogger(SERVICE_NAME);
}
