import { z } from 'zod';
import type { DeliveryRecord } from '../../webhooks/delivery';
import { deliveryStatuses } from '../../webhooks/delivery';
import { defineTable } from '../table-definition';

const structuredEvent = z
  .object({ specversion: z.string(), id: z.string(), source: z.string(), type: z.string() })
  .loose();

/**
 * One row per webhook delivery (an event for one endpoint): its CloudEvent, kept so a redelivery sends the
 * same event, and where it stands. Partitioned by endpoint, so `recover` reads one partition. The event is a
 * split JSON column: a `plan.created` naming thousands of components is larger than one property holds.
 */
export const webhookDeliveriesTable = defineTable({
  name: 'webhookdeliveries',
  purpose: 'webhook deliveries (an event for one endpoint): the event sent and where the delivery stands',
  partitionKey: 'the endpoint (subscription) id',
  rowKey: 'the delivery id (`dlv_` + 32 hex of SHA-256 over event id and endpoint id)',
  schema: z.object({
    eventId: z.string(),
    eventType: z.string(),
    subject: z.string(),
    event: structuredEvent,
    status: z.enum(deliveryStatuses),
    round: z.number().int(),
    attempts: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    lastAttemptAt: z.string().optional(),
    nextAttemptAt: z.string().optional(),
    detail: z.string().optional(),
  }),
  jsonColumns: ['event'],
  key: (endpointId: string, deliveryId: string) => ({ partitionKey: endpointId, rowKey: deliveryId }),
  keyOf: (row: DeliveryRecord) => ({ partitionKey: row.endpointId, rowKey: row.deliveryId }),
  toColumns: ({ endpointId: _endpoint, deliveryId: _delivery, ...columns }) => columns,
  fromColumns: (columns, keys): DeliveryRecord => ({
    endpointId: keys.partitionKey,
    deliveryId: keys.rowKey,
    ...columns,
  }),
});
