import { metrics } from '@opentelemetry/api';
import type {
  Counter,
  Histogram,
  Meter,
  MeterProvider,
  MetricOptions,
  UpDownCounter,
} from '@opentelemetry/api';
import { SERVICE_NAME } from './tracing';

/** The pipeline's meter from whatever provider is registered now (a no-op one while telemetry is off). */
export function getMeter(): Meter {
  return metrics.getMeterProvider().getMeter(SERVICE_NAME);
}

/**
 * Instruments made from the no-op meter stay no-ops forever, and modules create theirs at import time,
 * before telemetry starts. So each helper re-creates its instrument whenever the registered provider
 * changes; the SDK returns the same underlying instrument for the same name.
 */
function lazily<T>(create: (meter: Meter) => T): () => T {
  let provider: MeterProvider | undefined;
  let instrument: T | undefined;
  return () => {
    const current = metrics.getMeterProvider();
    if (instrument === undefined || current !== provider) {
      provider = current;
      instrument = create(current.getMeter(SERVICE_NAME));
    }
    return instrument;
  };
}

/** A monotonic sum, e.g. `counter('azl.packages.published').add(3, { repo })` (App Insights customMetrics). */
export function counter(name: string, options?: MetricOptions): Counter {
  const get = lazily((meter) => meter.createCounter(name, options));
  return { add: (value, attributes, context) => get().add(value, attributes, context) };
}

/** A distribution, e.g. durations: `histogram('azl.repo.metadata.duration', { unit: 'ms' }).record(1234)`. */
export function histogram(name: string, options?: MetricOptions): Histogram {
  const get = lazily((meter) => meter.createHistogram(name, options));
  return { record: (value, attributes, context) => get().record(value, attributes, context) };
}

/** A sum that can go down, e.g. builds in flight. */
export function upDownCounter(name: string, options?: MetricOptions): UpDownCounter {
  const get = lazily((meter) => meter.createUpDownCounter(name, options));
  return { add: (value, attributes, context) => get().add(value, attributes, context) };
}
