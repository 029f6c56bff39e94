import { pipelineTelemetry } from '../../shared/telemetry/pipeline-telemetry';
import type { PipelineTelemetry } from '../../shared/telemetry/pipeline-telemetry';
import { otelTelemetrySink } from './otel-sink';
import { otelTracing } from './otel-tracing';

/**
 * The pipeline's telemetry port over OpenTelemetry. Safe to build while export is off: every instrument and
 * span is a no-op until `startTelemetry` registers the distro's providers, and follows them from then on.
 */
export function otelPipelineTelemetry(): PipelineTelemetry {
  return pipelineTelemetry(otelTelemetrySink(), otelTracing);
}
