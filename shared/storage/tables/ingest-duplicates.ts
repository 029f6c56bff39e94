import { z } from 'zod';
import { defineTable } from '../table-definition';
import { ledgerKey } from './ingest-ledger';

/** The latest delivery of an already accepted message by one source, and why it is a duplicate. */
export interface IngestDuplicateRow {
  readonly messageId: string;
  /** `''` when the delivery had none. */
  readonly topic: string;
  readonly source: string;
  readonly receivedAt: string;
  readonly reason: string;
}

const keyOf = (messageId: string, source: string) => {
  const { partitionKey, rowKey } = ledgerKey(messageId);
  return { partitionKey, rowKey: `${rowKey}.${source}` };
};

export const ingestDuplicatesTable = defineTable({
  name: 'ingestduplicates',
  purpose: 'messages delivered again, one row per message id and source (the latest delivery)',
  partitionKey: "the ledger row's partition key",
  rowKey: "the ledger row's key + `.<source>`",
  schema: z.object({
    messageId: z.string(),
    topic: z.string(),
    source: z.string(),
    receivedAt: z.string(),
    reason: z.string(),
  }),
  key: keyOf,
  keyOf: (row: IngestDuplicateRow) => keyOf(row.messageId, row.source),
  toColumns: (row) => ({ ...row }),
  fromColumns: (columns): IngestDuplicateRow => columns,
});
