import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineTable } from '../table-definition';
import type { EntityKeys } from '../table-definition';

/** The `packages` column keeps this many characters of the space-separated names. */
const PACKAGES_LENGTH = 1024;

/** An accepted Fedora message: what it was about, and which way it came in first. */
export interface IngestLedgerRow {
  readonly messageId: string;
  readonly topic: string;
  readonly kind: string;
  readonly packages: readonly string[];
  readonly sentAt: string;
  /** Absent in rows recorded before the ledger kept the delivery. */
  readonly source?: string;
  readonly receivedAt?: string;
}

/**
 * The keys of a message id: the SHA-256 of the id, its first byte (`m00`…`mff`) spreading ids over 256
 * partitions, the whole digest (base64url) as the row key. Ids are free text, which keys cannot hold.
 */
export function ledgerKey(messageId: string): EntityKeys {
  const digest = createHash('sha256').update(messageId).digest();
  return { partitionKey: `m${digest.subarray(0, 1).toString('hex')}`, rowKey: digest.toString('base64url') };
}

export const ingestLedgerTable = defineTable({
  name: 'ingestledger',
  purpose:
    'every accepted Fedora message id, so a repeat is a duplicate long after the broker duplicate window',
  partitionKey: '`m` + the first byte (hex) of the SHA-256 of the message id',
  rowKey: 'the SHA-256 of the message id (base64url)',
  schema: z.object({
    messageId: z.string(),
    topic: z.string(),
    kind: z.string(),
    /** Space-separated, cut at 1024 characters. */
    packages: z.string(),
    sentAt: z.string(),
    source: z.string().optional(),
    receivedAt: z.string().optional(),
  }),
  key: ledgerKey,
  keyOf: (row: IngestLedgerRow) => ledgerKey(row.messageId),
  toColumns: (row) => ({ ...row, packages: row.packages.join(' ').slice(0, PACKAGES_LENGTH) }),
  fromColumns: (columns): IngestLedgerRow => ({
    ...columns,
    packages: columns.packages.split(' ').filter((name) => name !== ''),
  }),
});
