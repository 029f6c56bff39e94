import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { describe, expect, it, vi } from 'vitest';
import { PipelineError } from '../../../shared/errors';
import { activeTraceId, counter, histogram, startTelemetry, withSpan } from '../../../infra/telemetry';
import type { AzureMonitorOptions } from '../../../infra/telemetry';
import type { LogFields } from '../../../shared/logger';
import { DISTRO_MODULE } from '../../../infra/telemetry/distro';

/** A span processor that would record every span it saw, were it ever registered. */
function recordingProcessor(): {
  processor: NonNullable<AzureMonitorOptions['spanProcessors']>[number];
  ended: string[];
} {
  const ended: string[] = [];
  const processor = {
    onStart: () => undefined,
    onEnd: (span: { name: string }) => void ended.push(span.name),
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  } as unknown as NonNullable<AzureMonitorOptions['spanProcessors']>[number];
  return { processor, ended };
}

describe('startTelemetry without a connection string', () => {
  it('stays off, never loads the distro, and the helpers export nothing', async () => {
    const loadDistro = vi.fn();
    const lines: Array<[string, LogFields | undefined]> = [];
    const logger = { info: (m: string, f?: LogFields) => void lines.push([m, f]) } as never;
    const { processor, ended } = recordingProcessor();
    const published = counter('azl.test.published');

    const telemetry = startTelemetry({
      applicationInsightsConnectionString: '  ',
      logger,
      loadDistro,
      azureMonitor: { spanProcessors: [processor] },
    });

    expect(telemetry.enabled).toBe(false);
    expect(loadDistro).not.toHaveBeenCalled();
    expect(require.cache[require.resolve(DISTRO_MODULE)]).toBeUndefined();
    expect(lines[0]?.[0]).toContain('Application Insights export off');

    const result = await withSpan('off work', { a: 1 }, (span) => {
      expect(span.isRecording()).toBe(false);
      expect(activeTraceId()).toBeUndefined();
      published.add(1);
      histogram('azl.test.duration', { unit: 'ms' }).record(5);
      return 42;
    });
    expect(result).toBe(42);
    expect(ended).toEqual([]);
    await telemetry.shutdown();
    expect(require.cache[require.resolve(DISTRO_MODULE)]).toBeUndefined();
  });
});

describe('withSpan without a provider', () => {
  it('returns async results and rethrows failures unchanged', async () => {
    await expect(withSpan('async', {}, async () => 'done', { kind: SpanKind.CONSUMER })).resolves.toBe(
      'done',
    );
    const failure = PipelineError.transient('storage.unavailable', 'storage is down');
    await expect(
      withSpan('failing', {}, () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
  });

  it('marks a span failed with the PipelineError code', async () => {
    const calls: unknown[][] = [];
    const span = new Proxy(
      {},
      {
        get:
          (_, method) =>
          (...args: unknown[]) =>
            void calls.push([method, ...args]),
      },
    );
    const tracer = { startActiveSpan: (_n: string, _o: unknown, fn: (s: unknown) => unknown) => fn(span) };
    const spy = vi.spyOn(trace, 'getTracer').mockReturnValue(tracer as never);
    try {
      await expect(
        withSpan('x', {}, () => Promise.reject(PipelineError.permanent('rpm.bad-magic', 'bad header'))),
      ).rejects.toThrow('bad header');
    } finally {
      spy.mockRestore();
    }
    expect(calls.map((call) => call[0])).toEqual(['recordException', 'setStatus', 'setAttributes', 'end']);
    expect(calls[1]?.[1]).toEqual({ code: SpanStatusCode.ERROR, message: 'bad header' });
    expect(calls[2]?.[1]).toEqual({ 'error.type': 'rpm.bad-magic', 'azl.error.retryable': false });
  });
});
