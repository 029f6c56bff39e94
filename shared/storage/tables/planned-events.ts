import { z } from 'zod';
import { defineTable } from '../table-definition';
import { digestKey } from '../table-keys';

const PARTITION = 'planned';

/** A message id a planning pass decided (planned or skipped for good): never planned twice. */
export interface PlannedEventRow {
  readonly messageId: string;
  readonly plannedAt: string;
}

export const plannedEventsTable = defineTable({
  name: 'plannedevents',
  purpose: 'message ids already decided by a planning pass, so a redelivered event is not planned again',
  partitionKey: "'planned'",
  partition: PARTITION,
  rowKey: 'digest of the message id (`digestKey`)',
  schema: z.object({ messageId: z.string(), plannedAt: z.string() }),
  key: (messageId: string) => ({ partitionKey: PARTITION, rowKey: digestKey(messageId) }),
  keyOf: (row: PlannedEventRow) => ({ partitionKey: PARTITION, rowKey: digestKey(row.messageId) }),
  toColumns: ({ messageId, plannedAt }) => ({ messageId, plannedAt }),
  fromColumns: (columns): PlannedEventRow => columns,
});
