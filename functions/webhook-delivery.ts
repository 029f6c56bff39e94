import type { InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { parseCloudEvent } from '../shared/events/cloud-event';
import { PipelineError } from '../shared/errors';
import { queues, topics } from '../shared/messaging/entities';
import type { Services, ServicesProvider } from '../shared/services';
import { deliveryMessageSchema } from '../shared/webhooks/delivery';
import { invocationLogger } from './invocation-logger';
import { serviceBusFunction } from './service-bus-function';
import type { TimerFunction } from './table';

/** A CloudEvent from the `events` topic, checked against the catalogue (`events.invalid-payload` otherwise). */
const cloudEventBody = z.unknown().transform((body) => parseCloudEvent(body));

function deliveryOf(services: Services): NonNullable<Services['webhookDelivery']> {
  if (!services.webhookDelivery)
    throw PipelineError.transient('webhook.not-configured', 'this instance keeps no webhook subscriptions');
  return services.webhookDelivery;
}

/**
 * `webhookFanOut` (the `webhooks` subscription of `events`): one `webhook-deliveries` message per enabled
 * endpoint the event matches, so each endpoint's attempts run apart from every other's.
 */
export const webhookFanOutFunction = serviceBusFunction(
  { name: 'webhookFanOut', topic: topics.events, subscription: 'webhooks' },
  cloudEventBody,
  async (event, { services, logger }) => {
    const endpoints = await deliveryOf(services).fanOut(event);
    if (endpoints > 0) logger.info('event fanned out to webhook endpoints', { eventId: event.id, endpoints });
  },
);

/**
 * `webhookDeliver` (the `webhook-deliveries` queue, a session per endpoint): one attempt. What the receiver
 * does never fails the invocation (a failed attempt schedules its retry as a new message); only the
 * pipeline's own storage or messaging failing does, and then Service Bus delivers the message again.
 */
export const webhookDeliverFunction = serviceBusFunction(
  { name: 'webhookDeliver', queue: queues.webhookDeliveries },
  deliveryMessageSchema,
  async (message, { services, logger }) => {
    const outcome = await deliveryOf(services).deliver(message);
    const fields = {
      endpointId: message.endpointId,
      deliveryId: message.deliveryId,
      eventId: message.event.id,
      attempt: message.attempt,
      round: message.round,
    };
    if (outcome.kind === 'not-attempted')
      logger.info('webhook attempt not made', { ...fields, reason: outcome.reason });
    else if (outcome.result === 'delivered') logger.info('webhook delivered', fields);
    else
      logger.warn('webhook attempt failed', {
        ...fields,
        result: outcome.result,
        ...(outcome.nextAttemptAt ? { nextAttemptAt: outcome.nextAttemptAt.toISOString() } : {}),
      });
  },
);

/** `webhookLogSweep`: daily, deletes delivery-log rows older than `AZL_WEBHOOK_LOG_RETENTION`. */
export function webhookLogSweepTimer(services: ServicesProvider): TimerFunction {
  return {
    kind: 'timer',
    name: 'webhookLogSweep',
    schedule: '0 17 3 * * *',
    runOnStartup: false,
    handler: async (_timer, context: InvocationContext): Promise<void> => {
      const { webhookDelivery, logger } = await services();
      if (!webhookDelivery) return;
      const deleted = await webhookDelivery.sweepLog();
      invocationLogger(logger, context).info('webhook delivery log swept', { deleted });
    },
  };
}
