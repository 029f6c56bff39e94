/**
 * Telemetry for the pipeline: structured logs (`logger`), OpenTelemetry spans and metrics (no-ops until
 * `startTelemetry` switches Application Insights export on), Service Bus messaging attributes, and the
 * OpenTelemetry implementation of the shared/ port (`otelPipelineTelemetry`).
 */
export { createJsonLogger } from './logger';
export type { JsonLoggerOptions, LogSink } from './logger';
export { SERVICE_NAME, activeTraceId, getTracer, recordFailure, withSpan } from './tracing';
export type { WithSpanOptions } from './tracing';
export { counter, getMeter, histogram, upDownCounter } from './metrics';
export { serviceBusAttributes, serviceBusSpanKind, serviceBusSpanName } from './messaging';
export type { ServiceBusOperation, ServiceBusSpanInput } from './messaging';
export { startTelemetry } from './start';
export type { Telemetry, TelemetryOptions } from './start';
export type { AzureMonitorDistro, AzureMonitorOptions } from './distro';
export { otelPipelineTelemetry } from './otel-pipeline-telemetry';
export { currentTraceContext, otelTracing } from './otel-tracing';
export { withoutLibraryTracing } from './suppress-library-tracing';
export { EXPORT_WARNING_PERIOD_MS, diagnosticsTo, exportWarner } from './export-warnings';
export type { ExportWarner } from './export-warnings';
