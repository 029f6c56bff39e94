import { z } from 'zod';
import { upstreamEventSchema } from '../../fedora/upstream-event';
import type { UpstreamEvent } from '../../fedora/upstream-event';
import { defineTable } from '../table-definition';
import { digestKey } from '../table-keys';

const PARTITION = 'pending';

/** The row of an event is the event itself; its id and sent time are columns too, for people reading the table. */
export const pendingEventsTable = defineTable({
  name: 'pendingevents',
  purpose: 'upstream events received and not yet decided by a planning pass, one row per Fedora message id',
  partitionKey: "'pending'",
  partition: PARTITION,
  rowKey: 'digest of the message id (`digestKey`: ids are free text, which keys cannot hold)',
  schema: z.object({ messageId: z.string(), sentAt: z.string(), event: upstreamEventSchema }),
  jsonColumns: ['event'],
  key: (messageId: string) => ({ partitionKey: PARTITION, rowKey: digestKey(messageId) }),
  keyOf: (event: UpstreamEvent) => ({ partitionKey: PARTITION, rowKey: digestKey(event.messageId) }),
  toColumns: (event) => ({ messageId: event.messageId, sentAt: event.time, event }),
  fromColumns: (columns): UpstreamEvent => columns.event,
});
