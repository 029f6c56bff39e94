import { z } from 'zod';
import { upstreamEventSchema } from '../../fedora/upstream-event';
import type { UpstreamEvent } from '../../fedora/upstream-event';
import type { TraceContext } from '../../telemetry/trace-context';
import { defineTable } from '../table-definition';
import { digestKey } from '../table-keys';

const PARTITION = 'pending';

/**
 * A pending event, the trace context of the invocation that received it and when that was (each absent on
 * older rows).
 */
export type PendingEvent = UpstreamEvent & { readonly trace?: TraceContext; readonly receivedAt?: string };

/**
 * The row of an event is the event itself; its id and sent time are columns too, for people reading the table.
 * `traceparent`/`tracestate`: the trace it arrived in, which the plan item it causes keeps. `receivedAt`
 * (ISO 8601, UTC, so that the string order is the time order): when the pipeline received it, which burst
 * coalescing queries (`receivedAt ge …`).
 */
export const pendingEventsTable = defineTable({
  name: 'pendingevents',
  purpose: 'upstream events received and not yet decided by a planning pass, one row per Fedora message id',
  partitionKey: "'pending'",
  partition: PARTITION,
  rowKey: 'digest of the message id (`digestKey`: ids are free text, which keys cannot hold)',
  schema: z.object({
    messageId: z.string(),
    sentAt: z.string(),
    event: upstreamEventSchema,
    traceparent: z.string().optional(),
    tracestate: z.string().optional(),
    receivedAt: z.string().optional(),
  }),
  jsonColumns: ['event'],
  key: (messageId: string) => ({ partitionKey: PARTITION, rowKey: digestKey(messageId) }),
  keyOf: (event: PendingEvent) => ({ partitionKey: PARTITION, rowKey: digestKey(event.messageId) }),
  toColumns: ({ trace, receivedAt, ...event }) => ({
    messageId: event.messageId,
    sentAt: event.time,
    event,
    ...(trace ? { traceparent: trace.traceparent } : {}),
    ...(trace?.tracestate ? { tracestate: trace.tracestate } : {}),
    ...(receivedAt ? { receivedAt } : {}),
  }),
  fromColumns: ({ event, traceparent, tracestate, receivedAt }): PendingEvent => ({
    ...event,
    ...(traceparent ? { trace: { traceparent, ...(tracestate ? { tracestate } : {}) } } : {}),
    ...(receivedAt ? { receivedAt } : {}),
  }),
});
