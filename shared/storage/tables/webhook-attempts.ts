import { z } from 'zod';
import type { AttemptRecord } from '../../webhooks/delivery';
import { attemptResults, deliveryTriggers } from '../../webhooks/delivery';
import { defineTable } from '../table-definition';

/**
 * The webhook delivery log: one row per attempt, partitioned by endpoint, newest first (the row key starts
 * with the inverted time), so `GET /api/webhooks/{id}/deliveries` pages through one partition in order.
 * Rows older than the retention period (`AZL_WEBHOOK_LOG_RETENTION`) are deleted by the log sweep.
 */
export const webhookAttemptsTable = defineTable({
  name: 'webhookattempts',
  purpose:
    'the webhook delivery log: every attempt, its answer or error, latency and an excerpt of the answer',
  partitionKey: 'the endpoint (subscription) id',
  rowKey: '13 digits of inverted epoch milliseconds, then delivery id, round and attempt (`attemptIdOf`)',
  schema: z.object({
    deliveryId: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    round: z.number().int(),
    attempt: z.number().int(),
    trigger: z.enum(deliveryTriggers),
    at: z.string(),
    result: z.enum(attemptResults),
    status: z.number().int().optional(),
    error: z.string().optional(),
    latencyMs: z.number(),
    response: z.string().optional(),
    nextAttemptAt: z.string().optional(),
  }),
  key: (endpointId: string, attemptId: string) => ({ partitionKey: endpointId, rowKey: attemptId }),
  keyOf: (row: AttemptRecord) => ({ partitionKey: row.endpointId, rowKey: row.attemptId }),
  toColumns: ({ endpointId: _endpoint, attemptId: _attempt, ...columns }) => columns,
  fromColumns: (columns, keys): AttemptRecord => ({
    endpointId: keys.partitionKey,
    attemptId: keys.rowKey,
    ...columns,
  }),
});
