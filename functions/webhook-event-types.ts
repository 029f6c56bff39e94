import type { HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { CLOUD_EVENT_TYPE_PREFIX, describeEventTypes } from '../shared/events';
import { eventTypeDescriptionSchema } from '../shared/events/json-schema';
import type { HttpFunction } from './table';
import type { BodyOf } from '../shared/schema-matches';

/** The answer of `GET /api/webhooks/event-types`. */
export const eventTypesAnswerSchema = z.object({
  specversion: z.literal('1.0').describe('the CloudEvents version of every event'),
  typePrefix: z.string().describe('every CloudEvents `type` is this prefix and the catalogue type'),
  types: z.array(eventTypeDescriptionSchema),
});

/**
 * `GET /api/webhooks/event-types` (function key): every event type of the catalogue, with its CloudEvents
 * `type`, version, description, subject and the JSON Schema of its data, for someone choosing what to
 * subscribe to. Pure: it needs no services, so it answers even when storage or Service Bus is down.
 */
export function webhookEventTypesFunction(): HttpFunction {
  const body: BodyOf<typeof eventTypesAnswerSchema> = {
    specversion: '1.0',
    typePrefix: CLOUD_EVENT_TYPE_PREFIX,
    types: describeEventTypes(),
  };
  return {
    kind: 'http',
    name: 'webhookEventTypes',
    route: 'webhooks/event-types',
    methods: ['GET'],
    authLevel: 'function',
    handler: (): Promise<HttpResponseInit> => Promise.resolve({ status: 200, jsonBody: body }),
  };
}
