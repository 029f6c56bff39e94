import { InvocationContext } from '@azure/functions';
import { describe, expect, test } from 'vitest';
import { withRedeliveryBackoff } from '../../functions/redelivery';
import type { ServiceBusQueueFunction, TimerFunction } from '../../functions/table';
import { PipelineError } from '../../shared/errors';
import { silentLogger } from '../../shared/logger';
import { capturedLogs } from './captured-logs';

const context = (deliveryCount: number) =>
  new InvocationContext({
    invocationId: 'inv',
    functionName: 'plan',
    triggerMetadata: { messageId: 'm1', deliveryCount },
    logHandler: () => undefined,
  });

const failing = (error: unknown): ServiceBusQueueFunction => ({
  kind: 'serviceBusQueue',
  name: 'plan',
  connection: 'ServiceBusConnection',
  queueName: 'ingest',
  isSessionsEnabled: false,
  handler: async () => {
    throw error;
  },
});

const logger = () => Promise.resolve(silentLogger);

describe('withRedeliveryBackoff', () => {
  const backoff = { baseMs: 1_000, maxMs: 8_000 };

  test('a transient failure waits longer with each delivery before the error reaches the host', async () => {
    const waits: number[] = [];
    const error = PipelineError.transient('storage.unavailable', 'storage get failed: ECONNREFUSED');
    const fn = withRedeliveryBackoff(failing(error), {
      logger,
      backoff,
      sleep: async (ms) => void waits.push(ms),
    });
    for (const delivery of [1, 2, 3, 5]) {
      await expect(fn.handler({}, context(delivery))).rejects.toBe(error);
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  test('a permanent failure goes back at once', async () => {
    const waits: number[] = [];
    const error = PipelineError.permanent('message.invalid', 'component: bad name');
    const fn = withRedeliveryBackoff(failing(error), {
      logger,
      backoff,
      sleep: async (ms) => void waits.push(ms),
    });
    await expect(fn.handler({}, context(1))).rejects.toBe(error);
    await expect(
      withRedeliveryBackoff(failing(new Error('boom')), {
        logger,
        sleep: async (ms) => void waits.push(ms),
      }).handler({}, context(1)),
    ).rejects.toThrow('boom');
    expect(waits).toEqual([]);
  });

  test('success passes through, and entries that are not Service Bus triggers are left as they are', async () => {
    const succeeding: ServiceBusQueueFunction = { ...failing(undefined), handler: async () => 'done' };
    const fn = withRedeliveryBackoff(succeeding, { logger });
    expect(await fn.handler({}, context(1))).toBe('done');
    const timer: TimerFunction = {
      kind: 'timer',
      name: 't',
      schedule: '0 * * * * *',
      runOnStartup: false,
      handler: async () => undefined,
    };
    expect(withRedeliveryBackoff(timer, { logger })).toBe(timer);
  });

  test('the wait is logged as one fixed message, with the message, delivery, wait and error as fields', async () => {
    const { logger: json, lines } = capturedLogs();
    const error = PipelineError.transient('storage.unavailable', 'storage get failed: ECONNREFUSED');
    const fn = withRedeliveryBackoff(failing(error), {
      logger: () => Promise.resolve(json),
      backoff,
      sleep: async () => undefined,
    });
    for (const delivery of [1, 3]) await expect(fn.handler({}, context(delivery))).rejects.toBe(error);
    expect(new Set(lines.map((l) => l.msg))).toEqual(
      new Set(['transient failure; the message goes back after a wait']),
    );
    expect(lines.map((l) => [l.level, l['messageId'], l['deliveryCount'], l['waitMs']])).toEqual([
      ['warn', 'm1', 1, 1_000],
      ['warn', 'm1', 3, 4_000],
    ]);
    expect(lines[0]).toMatchObject({
      functionName: 'plan',
      invocationId: 'inv',
      error: { code: 'storage.unavailable', retryable: true },
    });
  });
});
