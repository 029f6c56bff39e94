import { InvocationContext } from '@azure/functions';
import { describe, expect, test } from 'vitest';
import { buildFunction } from '../../functions/build';
import { planFunction } from '../../functions/plan';
import { PipelineError } from '../../shared/errors';
import { queues } from '../../shared/messaging/entities';
import { METRICS, CUSTOM_EVENTS } from '../../shared/telemetry/catalogue';
import { fakeServices } from '../../testing/fakes/services';
import { recordingTelemetry } from '../../testing/fakes/telemetry';
import { taggedEvent } from '../../testing/fixtures/upstream-events';

/**
 * The Service Bus functions' telemetry, over the in-memory twin of the port: the span each invocation runs
 * in (parented on the message's trace context, or on the host's invocation), the queue wait, and a failure
 * on the last delivery counted as dead-lettered.
 */
const upstream = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const host = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

function invocation(trigger: Record<string, unknown>, traceParent?: string): InvocationContext {
  return new InvocationContext({
    invocationId: 'inv-1',
    functionName: 'plan',
    triggerMetadata: { messageId: 'm-1', deliveryCount: 1, ...trigger },
    ...(traceParent ? { traceContext: { traceParent, traceState: '', attributes: {} } } : {}),
    logHandler: () => undefined,
  });
}

function planWith(recorded = recordingTelemetry()) {
  const services = fakeServices({ telemetry: recorded.telemetry });
  return { handler: planFunction(() => Promise.resolve(services)).handler, recorded };
}

describe('Service Bus function telemetry', () => {
  test("processes the message in a CONSUMER span whose parent is the message's traceparent", async () => {
    const { handler, recorded } = planWith();
    const trigger = { applicationProperties: { traceparent: upstream, 'Diagnostic-Id': upstream } };
    await handler(taggedEvent('m-1'), invocation(trigger));
    expect(recorded.spans).toMatchObject([
      {
        name: 'process ingest',
        kind: 'consumer',
        traceId: '0af7651916cd43dd8448eb211c80319c',
        parentSpanId: 'b7ad6b7169203331',
        attributes: {
          'messaging.system': 'servicebus',
          'messaging.operation.type': 'process',
          'messaging.destination.name': 'ingest',
          'messaging.message.id': 'm-1',
          'messaging.servicebus.message.delivery_count': 1,
          'faas.trigger': 'pubsub',
        },
        ended: true,
      },
    ]);
  });

  test('reads a Diagnostic-Id in traceparent form when there is no traceparent', async () => {
    const { handler, recorded } = planWith();
    await handler(taggedEvent('m-1'), invocation({ applicationProperties: { 'Diagnostic-Id': upstream } }));
    expect(recorded.spans[0]).toMatchObject({ kind: 'consumer', parentSpanId: 'b7ad6b7169203331' });
  });

  test('starts a new trace when the message carries no (or an unreadable) context', async () => {
    const { handler, recorded } = planWith();
    await handler(taggedEvent('m-1'), invocation({ applicationProperties: { 'Diagnostic-Id': '|abc.1.' } }));
    expect(recorded.spans[0]).toMatchObject({ kind: 'consumer' });
    expect(recorded.spans[0]?.parentSpanId).toBeUndefined();
  });

  test("under a host that opened the invocation's request, the span is its INTERNAL child (no second request)", async () => {
    const { handler, recorded } = planWith();
    const trigger = { applicationProperties: { traceparent: upstream } };
    await handler(taggedEvent('m-1'), invocation(trigger, host));
    expect(recorded.spans[0]).toMatchObject({
      kind: 'internal',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      parentSpanId: '00f067aa0ba902b7',
    });
  });

  test('records how long the message waited in its queue', async () => {
    const { handler, recorded } = planWith();
    const enqueuedTimeUtc = new Date(Date.now() - 60_000).toISOString();
    await handler(taggedEvent('m-1'), invocation({ enqueuedTimeUtc }));
    const [wait] = recorded.metricsNamed(METRICS.queueWait.name);
    expect(wait?.dimensions).toEqual({ queue: 'ingest' });
    expect(wait?.value).toBeGreaterThanOrEqual(60_000);
  });

  test('a failure on the last delivery is counted as dead-lettered, with its code; earlier ones are not', async () => {
    const recorded = recordingTelemetry();
    const failure = PipelineError.transient('build.not-configured', 'no build worker');
    const services = fakeServices({ telemetry: recorded.telemetry });
    const { handler } = buildFunction(() => Promise.resolve(services));
    const request = {
      planId: 'plan-1',
      component: 'curl',
      fingerprint: `sha256:${'a'.repeat(64)}`,
      wave: 0,
      priority: 0,
      reasons: [],
      requestedAt: '2026-12-01T10:00:00Z',
    };
    const delivery = (deliveryCount: number) =>
      new InvocationContext({
        invocationId: `inv-${deliveryCount}`,
        functionName: 'build',
        triggerMetadata: { messageId: 'b-1', deliveryCount, sessionId: 'curl' },
        logHandler: () => undefined,
      });
    await expect(handler(request, delivery(1))).rejects.toMatchObject({ code: failure.code });
    expect(recorded.metricsNamed(METRICS.deadLettered.name)).toEqual([]);
    await expect(handler(request, delivery(queues.builds.maxDeliveryCount))).rejects.toMatchObject({
      code: failure.code,
    });
    expect(recorded.metricsNamed(METRICS.deadLettered.name)).toEqual([
      {
        name: 'azl.messages.dead_lettered',
        value: 1,
        dimensions: { queue: 'builds', error_code: failure.code },
      },
    ]);
    expect(recorded.eventsNamed(CUSTOM_EVENTS.messageDeadLettered.name)).toMatchObject([
      { properties: { queue: 'builds', message_id: 'b-1', error_code: 'build.not-configured' } },
    ]);
    expect(recorded.spans.at(-1)).toMatchObject({ errorType: 'build.not-configured', ended: true });
  });
});
