import { z } from 'zod';
import { upstreamEventSchema } from '../../fedora/upstream-event';
import type { UpstreamEvent } from '../../fedora/upstream-event';
import type { TraceContext } from '../../telemetry/trace-context';
import { defineTable } from '../table-definition';
import { digestKey } from '../table-keys';

const PARTITION = 'pending';

/** A pending event and the trace context of the invocation that received it (absent on older rows). */
export type PendingEvent = UpstreamEvent & { readonly trace?: TraceContext };

/**
 * The row of an event is the event itself; its id and sent time are columns too, for people reading the table.
 * `traceparent`/`tracestate`: the trace it arrived in, which the plan item it causes keeps.
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
  }),
  jsonColumns: ['event'],
  key: (messageId: string) => ({ partitionKey: PARTITION, rowKey: digestKey(messageId) }),
  keyOf: (event: PendingEvent) => ({ partitionKey: PARTITION, rowKey: digestKey(event.messageId) }),
  toColumns: ({ trace, ...event }) => ({
    messageId: event.messageId,
    sentAt: event.time,
    event,
    ...(trace ? { traceparent: trace.traceparent } : {}),
    ...(trace?.tracestate ? { tracestate: trace.tracestate } : {}),
  }),
  fromColumns: ({ event, traceparent, tracestate }): PendingEvent =>
    traceparent ? { ...event, trace: { traceparent, ...(tracestate ? { tracestate } : {}) } } : event,
});
