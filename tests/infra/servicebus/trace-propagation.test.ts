import { context } from '@opentelemetry/api';
import type { ContextManager } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireFromDistro } from '../../../infra/telemetry/distro';
import { MessageSender } from '../../../infra/servicebus';
import { otelTracing } from '../../../infra/telemetry/otel-tracing';
import { allEntities } from '../../../shared/messaging/entities';
import { parseTraceparent } from '../../../shared/telemetry/trace-context';
import { useLocalBroker } from '../../../testing/broker/local-broker';

/**
 * W3C trace context crosses Service Bus in the application properties, on the local broker: what a sender
 * sends inside a span, the receiver reads as `traceparent` and `Diagnostic-Id` of the same trace. No
 * exporter here, only the async context manager that `startTelemetry` registers: the span is OpenTelemetry's
 * non-recording one, which passes its parent's context on unchanged.
 */
const broker = useLocalBroker({ entities: allEntities });
const upstream = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
let sender: MessageSender | undefined;

beforeAll(() => {
  const { AsyncLocalStorageContextManager } = requireFromDistro('@opentelemetry/context-async-hooks') as {
    AsyncLocalStorageContextManager: new () => ContextManager;
  };
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterAll(() => context.disable());

afterEach(async () => {
  await sender?.close();
  sender = undefined;
});

async function receiveOne() {
  const receiver = broker.client.createReceiver('ingest', { receiveMode: 'receiveAndDelete' });
  try {
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
    return message;
  } finally {
    await receiver.close();
  }
}

describe('trace context over Service Bus', () => {
  it('a message sent within a trace carries it as traceparent and Diagnostic-Id', async () => {
    sender = new MessageSender(broker.client, { queue: 'ingest' });
    await otelTracing.span('process ingest', {}, () => sender!.send({ messageId: 'traced-1', body: {} }), {
      kind: 'consumer',
      parent: { traceparent: upstream },
    });
    const message = await receiveOne();
    const properties = message?.applicationProperties ?? {};
    expect(parseTraceparent(properties['traceparent'])?.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(properties['Diagnostic-Id']).toBe(properties['traceparent']);
  });

  it('a message that carries a context keeps it; one sent outside any trace carries none', async () => {
    sender = new MessageSender(broker.client, { queue: 'ingest' });
    const own = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await otelTracing.span(
      'pass',
      {},
      () => sender!.send({ messageId: 'traced-2', body: {}, applicationProperties: { traceparent: own } }),
      { parent: { traceparent: upstream } },
    );
    expect((await receiveOne())?.applicationProperties?.['traceparent']).toBe(own);

    await sender.send({ messageId: 'untraced', body: {} });
    const properties = (await receiveOne())?.applicationProperties ?? {};
    expect(properties['traceparent']).toBeUndefined();
    expect(properties['Diagnostic-Id']).toBeUndefined();
  });
});
