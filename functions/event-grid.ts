import { z } from 'zod';
import { parseCloudEvent } from '../shared/events/cloud-event';
import { topics } from '../shared/messaging/entities';
import { serviceBusFunction } from './service-bus-function';

/**
 * An `events` topic message: the event's structured CloudEvent, checked against the catalogue
 * (`parseCloudEvent`). One that does not fit is a `message.invalid`, recorded and dead-lettered, never sent.
 */
const pipelineCloudEventMessage = z.unknown().transform((body, context) => {
  try {
    return parseCloudEvent(body);
  } catch (error) {
    context.issues.push({ code: 'custom', input: body, message: (error as Error).message });
    return z.NEVER;
  }
});

/**
 * `eventGridForward`: every pipeline event, from the `event-grid` subscription of `events`, to the Event Grid
 * topic of `AZL_EVENTGRID_TOPIC_ENDPOINT` as the same CloudEvent. Without a topic the message is completed
 * unsent (the subscription exists in every deployment, so it must not fill up). A failure to send is thrown:
 * the message goes back (after the redelivery back-off when retryable) and is dead-lettered once its
 * deliveries are spent.
 */
export const eventGridFunction = serviceBusFunction(
  { name: 'eventGridForward', topic: topics.events, subscription: 'event-grid' },
  pipelineCloudEventMessage,
  async (event, { services, logger }) => {
    const fields = { eventId: event.id, type: event.type, subject: event.subject };
    if (!services.eventGrid) {
      logger.debug('event not forwarded: no Event Grid topic is configured', fields);
      return;
    }
    await services.eventGrid.publish(event);
    logger.info('event forwarded to Event Grid', fields);
  },
);
