import { SpanKind } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { serviceBusAttributes, serviceBusSpanKind, serviceBusSpanName } from '../../../infra/telemetry';

describe('Service Bus messaging conventions', () => {
  it('names spans "{operation} {destination}" and picks the kind from the operation type', () => {
    expect(serviceBusSpanName({ operation: 'process', destination: 'build-requests' })).toBe(
      'process build-requests',
    );
    expect(serviceBusSpanKind('send')).toBe(SpanKind.PRODUCER);
    expect(serviceBusSpanKind('schedule')).toBe(SpanKind.PRODUCER);
    expect(serviceBusSpanKind('process')).toBe(SpanKind.CONSUMER);
    expect(serviceBusSpanKind('dead_letter')).toBe(SpanKind.CLIENT);
    expect(serviceBusSpanKind('peek')).toBe(SpanKind.CLIENT);
  });

  it('sets the required attributes and only the optional ones given', () => {
    expect(
      serviceBusAttributes({
        operation: 'complete',
        destination: 'events',
        subscription: 'webhooks',
        deliveryCount: 2,
      }),
    ).toEqual({
      'messaging.system': 'servicebus',
      'messaging.operation.name': 'complete',
      'messaging.operation.type': 'settle',
      'messaging.destination.name': 'events',
      'messaging.destination.subscription.name': 'webhooks',
      'messaging.servicebus.message.delivery_count': 2,
    });
    expect(
      serviceBusAttributes({
        operation: 'send',
        destination: 'q',
        messageId: 'm1',
        serverAddress: 'azl.servicebus.windows.net',
      }),
    ).toMatchObject({
      'messaging.operation.type': 'send',
      'messaging.message.id': 'm1',
      'server.address': 'azl.servicebus.windows.net',
    });
  });
});
