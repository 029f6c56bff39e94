import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Attributes, SpanStatus } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PipelineError } from '../../../shared/errors';
import { counter, histogram, startTelemetry, withSpan } from '../../../infra/telemetry';
import { silentLogger } from '../../../shared/logger';
import type { AzureMonitorOptions, Telemetry } from '../../../infra/telemetry';
import { DISTRO_MODULE, requireFromDistro } from '../../../infra/telemetry/distro';
import { acceptingIngestionClient } from '../../../testing/telemetry/accepting-ingestion-client';

/**
 * The real distro end to end, without a network: in-memory span and metric exporters from the distro's own
 * SDK copies, and a fake HTTP client in place of the ingestion endpoint, which captures the App Insights
 * envelopes the portal would receive.
 */
interface FinishedSpan {
  name: string;
  kind: SpanKind;
  attributes: Attributes;
  status: SpanStatus;
  events: Array<{ name: string }>;
  parentSpanContext?: { spanId: string };
  spanContext(): { spanId: string; traceId: string };
  instrumentationScope: { name: string };
}
interface TraceBase {
  InMemorySpanExporter: new () => { getFinishedSpans(): FinishedSpan[] };
  SimpleSpanProcessor: new (exporter: unknown) => NonNullable<AzureMonitorOptions['spanProcessors']>[number];
}
interface DataPoint {
  value: number | { sum: number; count: number };
  attributes: Attributes;
}
interface ResourceMetrics {
  scopeMetrics: Array<{
    scope: { name: string };
    metrics: Array<{ descriptor: { name: string }; dataPoints: DataPoint[] }>;
  }>;
}
interface SdkMetrics {
  AggregationTemporality: { CUMULATIVE: number };
  InMemoryMetricExporter: new (temporality: number) => { getMetrics(): ResourceMetrics[] };
  PeriodicExportingMetricReader: new (options: {
    exporter: unknown;
    exportIntervalMillis: number;
  }) => NonNullable<AzureMonitorOptions['metricReaders']>[number] & { forceFlush(): Promise<void> };
}
const traceBase = requireFromDistro('@opentelemetry/sdk-trace-base') as TraceBase;
const sdkMetrics = requireFromDistro('@opentelemetry/sdk-metrics') as SdkMetrics;

const spans = new traceBase.InMemorySpanExporter();
const spanProcessor = new traceBase.SimpleSpanProcessor(spans);
const metricExporter = new sdkMetrics.InMemoryMetricExporter(sdkMetrics.AggregationTemporality.CUMULATIVE);
const reader = new sdkMetrics.PeriodicExportingMetricReader({
  exporter: metricExporter,
  exportIntervalMillis: 100_000,
});
const ingestion = acceptingIngestionClient();
const { httpClient } = ingestion;

// Created before telemetry starts, as module-level instruments are: they must still reach the exporter.
const published = counter('azl.test.packages.published');
const buildMs = histogram('azl.test.metadata.duration', { unit: 'ms' });

let telemetry: Telemetry;

beforeAll(() => {
  vi.stubEnv('APPLICATION_INSIGHTS_NO_STATSBEAT', 'true');
  vi.stubEnv('OTEL_SERVICE_NAME', '');
  telemetry = startTelemetry({
    applicationInsightsConnectionString:
      'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://ingestion.test/',
    logger: silentLogger,
    azureMonitor: {
      azureMonitorExporterOptions: { disableOfflineStorage: true, httpClient },
      samplingRatio: 1,
      tracesPerSecond: 0,
      enableLiveMetrics: false,
      enableStandardMetrics: false,
      enablePerformanceCounters: false,
      spanProcessors: [spanProcessor],
      metricReaders: [reader],
    },
  });
});

afterAll(async () => {
  await telemetry.shutdown();
  vi.unstubAllEnvs();
});

describe('startTelemetry with Application Insights on', () => {
  it('loads the distro only now', () => {
    expect(telemetry.enabled).toBe(true);
    expect(require.cache[require.resolve(DISTRO_MODULE)]).toBeDefined();
  });

  it('exports spans recorded through withSpan, with nesting, exceptions and status', async () => {
    const failure = PipelineError.permanent('publish.artifact-mismatch', 'checksum mismatch', {
      file: 'a.rpm',
    });
    await expect(
      withSpan('publish repo', { 'azl.repo': 'base' }, async () => {
        await withSpan('process build-requests', { 'messaging.system': 'servicebus' }, () => 'ok', {
          kind: SpanKind.CONSUMER,
        });
        throw failure;
      }),
    ).rejects.toBe(failure);
    await spanProcessor.forceFlush(); // the simple processor exports asynchronously

    const finished = spans.getFinishedSpans();
    const parent = finished.find((span) => span.name === 'publish repo');
    const child = finished.find((span) => span.name === 'process build-requests');
    expect(parent?.instrumentationScope.name).toBe('azl-rebuilder');
    expect(parent?.attributes).toMatchObject({
      'azl.repo': 'base',
      'error.type': 'publish.artifact-mismatch',
      'azl.error.retryable': false,
    });
    expect(parent?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'checksum mismatch' });
    expect(parent?.events.map((event) => event.name)).toEqual(['exception']);
    expect(child?.kind).toBe(SpanKind.CONSUMER);
    expect(child?.status.code).toBe(SpanStatusCode.UNSET);
    expect(child?.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId);
  });

  it('exports metrics recorded through the helpers', async () => {
    published.add(3, { repo: 'base' });
    buildMs.record(1234, { repo: 'base' });
    await reader.forceFlush();
    const points = new Map(
      metricExporter
        .getMetrics()
        .flatMap((resource) => resource.scopeMetrics.filter((scope) => scope.scope.name === 'azl-rebuilder'))
        .flatMap((scope) =>
          scope.metrics.map((metric) => [metric.descriptor.name, metric.dataPoints[0]] as const),
        ),
    );
    expect(points.get('azl.test.packages.published')).toMatchObject({
      value: 3,
      attributes: { repo: 'base' },
    });
    expect(points.get('azl.test.metadata.duration')?.value).toMatchObject({ sum: 1234, count: 1 });
  });

  it('sends App Insights envelopes on shutdown, named for the service', async () => {
    const startedAt = performance.now();
    await telemetry.shutdown();
    expect(performance.now() - startedAt).toBeLessThan(2_000);
    const envelopes = ingestion.envelopes();
    const authorizations = ingestion.requests.map((request) => request.authorization);
    const byType = (type: string) => envelopes.filter((envelope) => envelope.data.baseType === type);
    // INTERNAL spans become dependencies, CONSUMER spans requests, correlated by operation id and parent id.
    const [dependency] = byType('RemoteDependencyData');
    const [request] = byType('RequestData');
    expect(dependency?.data.baseData).toMatchObject({ name: 'publish repo', success: false });
    expect(request?.tags['ai.operation.parentId']).toBe(dependency?.data.baseData.id);
    expect(request?.tags['ai.operation.id']).toBe(dependency?.tags['ai.operation.id']);
    expect(byType('ExceptionData').map((e) => e.data.baseData.exceptions?.[0])).toEqual([
      expect.objectContaining({ typeName: 'publish.artifact-mismatch', message: 'checksum mismatch' }),
    ]);
    const metricNames = byType('MetricData').flatMap(
      (e) => e.data.baseData.metrics?.map((m) => m.name) ?? [],
    );
    expect(metricNames).toEqual(
      expect.arrayContaining(['azl.test.packages.published', 'azl.test.metadata.duration']),
    );
    expect(envelopes.every((envelope) => envelope.tags['ai.cloud.role'] === 'azl-rebuilder')).toBe(true);
    // Without APPLICATIONINSIGHTS_AUTHENTICATION_STRING the instrumentation key alone (in the envelopes).
    expect(authorizations.length).toBeGreaterThan(0);
    expect(authorizations.every((authorization) => authorization === undefined)).toBe(true);
  });

  it('is off again after shutdown: spans no longer record', async () => {
    await withSpan('after shutdown', {}, (span) => expect(span.isRecording()).toBe(false));
  });
});
