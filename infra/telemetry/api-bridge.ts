import { context, diag, metrics, propagation, trace } from '@opentelemetry/api';
import type { ContextManager, MeterProvider, TextMapPropagator, TracerProvider } from '@opentelemetry/api';

/**
 * Why this exists: the distro registers its providers through its own nested `@opentelemetry/api` (1.9.x,
 * the range its SDK 2.x declares), while the app imports the top-level 1.10.0. The API only lets a copy read
 * a global registered by a copy of the same or a newer minor version, so 1.10.0 sees no-op providers and
 * every span and metric the app records would be dropped silently.
 *
 * `bridgeGlobalApi` re-registers the distro's providers through the app's (newer) API copy. Both copies can
 * read a 1.10 registration, so the SDK's own instrumentation keeps working too. It does nothing when the app
 * already sees the distro's providers (for example once both use the same API version).
 */
const GLOBAL_API_KEY = Symbol.for('opentelemetry.js.api.1');

interface GlobalApiSlot {
  readonly version?: string;
  readonly trace?: TracerProvider;
  readonly metrics?: MeterProvider;
  readonly context?: ContextManager;
  readonly propagation?: TextMapPropagator;
}

type GlobalHolder = Record<symbol, GlobalApiSlot | undefined>;

/** Returns the version of the API copy that had registered the providers when a bridge was needed. */
export function bridgeGlobalApi(): { bridgedFrom?: string } {
  const holder = globalThis as unknown as GlobalHolder;
  const slot = holder[GLOBAL_API_KEY];
  if (slot?.metrics === undefined || metrics.getMeterProvider() === slot.metrics) return {};
  delete holder[GLOBAL_API_KEY];
  if (slot.context) context.setGlobalContextManager(slot.context);
  if (slot.propagation) propagation.setGlobalPropagator(slot.propagation);
  if (slot.trace) trace.setGlobalTracerProvider(slot.trace);
  metrics.setGlobalMeterProvider(slot.metrics);
  return { bridgedFrom: slot.version ?? 'unknown' };
}

/** Removes every registered provider, so later lookups get no-ops and a later start registers cleanly. */
export function clearGlobalApi(): void {
  trace.disable();
  metrics.disable();
  propagation.disable();
  context.disable();
  diag.disable();
}
