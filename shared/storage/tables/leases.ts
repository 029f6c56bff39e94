import { z } from 'zod';
import { defineTable } from '../table-definition';

const PARTITION = 'lease';

/** A lease held in one row (the planner's, so one planning pass runs at a time). */
export interface LeaseRow {
  readonly name: string;
  /** A fresh id per acquisition. */
  readonly holder: string;
  readonly expiresAt: string;
  /** The holding process (process-identity.ts), so a process of the same machine can see it died. */
  readonly process?: string;
}

export const leasesTable = defineTable({
  name: 'leases',
  purpose: 'leases taken with ETag conditions, so that one instance at a time runs a planning pass',
  partitionKey: "'lease'",
  partition: PARTITION,
  rowKey: 'the lease name (`planner`)',
  schema: z.object({ holder: z.string(), expiresAt: z.string(), process: z.string().optional() }),
  key: (name: string) => ({ partitionKey: PARTITION, rowKey: name }),
  keyOf: (row: LeaseRow) => ({ partitionKey: PARTITION, rowKey: row.name }),
  toColumns: ({ holder, expiresAt, process }) => ({ holder, expiresAt, process }),
  fromColumns: (columns, keys): LeaseRow => ({ name: keys.rowKey, ...columns }),
});
