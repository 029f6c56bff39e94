import { MessagingError, ServiceBusError } from '@azure/service-bus';
import type { ServiceBusErrorCode } from '@azure/service-bus';
import { describe, expect, test } from 'vitest';
import { classifyServiceBusError, deadLetterError, serviceBusCall } from '../../../infra/servicebus';
import { PipelineError } from '../../../shared/errors';

const queue = { queue: 'builds' };

function sdkError(code: ServiceBusErrorCode, retryable: boolean): ServiceBusError {
  const error = new ServiceBusError(`the service said ${code}\nTrackingId: 123`, code);
  error.retryable = retryable;
  return error;
}

describe('classifyServiceBusError', () => {
  test.each([
    ['MessagingEntityNotFound', false, 'servicebus.entity-not-found', false],
    ['MessageLockLost', false, 'servicebus.lock-lost', false],
    ['SessionLockLost', false, 'servicebus.lock-lost', false],
    ['SessionCannotBeLocked', false, 'servicebus.session-locked', true],
    ['ServiceTimeout', true, 'servicebus.unavailable', true],
    ['ServiceBusy', true, 'servicebus.unavailable', true],
    ['ServiceCommunicationProblem', false, 'servicebus.unavailable', true],
    ['GeneralError', true, 'servicebus.unavailable', true],
    ['GeneralError', false, 'servicebus.failed', false],
    ['MessageSizeExceeded', false, 'servicebus.message-too-large', false],
    ['UnauthorizedAccess', true, 'servicebus.unauthorized', false],
    ['QuotaExceeded', false, 'servicebus.failed', false],
    ['MessageNotFound', false, 'servicebus.failed', false],
    ['MessagingEntityDisabled', true, 'servicebus.failed', true],
  ] as const)('%s (SDK retryable: %s) becomes %s', (sdkCode, sdkRetryable, code, retryable) => {
    const classified = classifyServiceBusError(sdkError(sdkCode, sdkRetryable), 'send', queue);
    expect(classified).toBeInstanceOf(PipelineError);
    expect(classified).toMatchObject({
      code,
      retryable,
      context: { queue: 'builds', operation: 'send', errorCode: sdkCode },
    });
    expect(classified.message).toBe(`service bus send on builds failed: the service said ${sdkCode}`);
    expect(classified.cause).toBeInstanceOf(ServiceBusError);
  });

  test('context names a topic subscription, its dead-letter queue and the narrowing fields', () => {
    const place = {
      topic: 'events',
      subscription: 'webhooks',
      deadLetter: true,
      messageId: 'm1',
      sessionId: undefined,
    };
    const classified = classifyServiceBusError(sdkError('MessageLockLost', false), 'complete', place);
    expect(classified.context).toEqual({
      topic: 'events',
      subscription: 'webhooks',
      deadLetter: true,
      messageId: 'm1',
      operation: 'complete',
      errorCode: 'MessageLockLost',
    });
    expect(classified.message).toMatch(
      /^service bus complete on events\/subscriptions\/webhooks\/\$deadletterqueue/,
    );
  });

  test('network failures, also wrapped, and credential failures are servicebus.unavailable', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5671'), { code: 'ECONNREFUSED' });
    const wrapped = new Error('connection failed', { cause: refused });
    const credential = Object.assign(new Error('no managed identity endpoint'), {
      name: 'CredentialUnavailableError',
    });
    for (const error of [refused, wrapped, credential]) {
      expect(classifyServiceBusError(error, 'receive', queue)).toMatchObject({
        code: 'servicebus.unavailable',
        retryable: true,
      });
    }
  });

  test('a bare core-amqp MessagingError is mapped like the SDK maps it', () => {
    const error = new MessagingError('entity gone');
    error.code = 'MessagingEntityNotFoundError';
    expect(classifyServiceBusError(error, 'send', queue)).toMatchObject({
      code: 'servicebus.entity-not-found',
      context: { errorCode: 'MessagingEntityNotFound' },
    });
  });

  test('anything else is servicebus.failed, retryable only when marked so; PipelineErrors pass through', async () => {
    expect(classifyServiceBusError(new TypeError('bad argument'), 'send', queue)).toMatchObject({
      code: 'servicebus.failed',
      retryable: false,
    });
    const marked = Object.assign(new Error('aggregate'), { retryable: true });
    expect(classifyServiceBusError(marked, 'send', queue).retryable).toBe(true);
    expect(classifyServiceBusError('a string', 'send', queue).message).toContain('a string');
    const original = PipelineError.transient('storage.unavailable', 'already classified');
    expect(classifyServiceBusError(original, 'send', queue)).toBe(original);
    await expect(
      serviceBusCall('peek', queue, () => Promise.reject(sdkError('ServiceBusy', true))),
    ).rejects.toMatchObject({ code: 'servicebus.unavailable', context: { operation: 'peek' } });
  });
});

describe('deadLetterError', () => {
  test('rebuilds a PipelineError only from a matching reason and JSON description', () => {
    const error = PipelineError.permanent('message.invalid', 'missing topic', { field: 'topic' });
    const description = JSON.stringify(error);
    expect(
      deadLetterError({ deadLetterReason: 'message.invalid', deadLetterDescription: description })?.toJSON(),
    ).toEqual(error.toJSON());
    expect(
      deadLetterError({ deadLetterReason: 'other', deadLetterDescription: description }),
    ).toBeUndefined();
    expect(
      deadLetterError({ deadLetterReason: 'message.invalid', deadLetterDescription: '{"trunc' }),
    ).toBeUndefined();
    expect(
      deadLetterError({ deadLetterReason: 'MaxDeliveryCountExceeded', deadLetterDescription: 'too many' }),
    ).toBeUndefined();
    expect(deadLetterError({})).toBeUndefined();
  });

  test('reads a reason written by another version, with a code this one does not know', () => {
    const older = {
      name: 'PipelineError',
      code: 'ingest.schema',
      message: 'missing topic',
      retryable: false,
    };
    const restored = deadLetterError({
      deadLetterReason: 'ingest.schema',
      deadLetterDescription: JSON.stringify({ ...older, context: { field: 'topic' } }),
    });
    expect(restored).toBeInstanceOf(PipelineError);
    expect(restored?.toJSON()).toEqual({ ...older, context: { field: 'topic' } });
  });
});
