import { z } from 'zod';
import { isoSecond } from '../../fedora/catch-up/time-window';
import { defineTable } from '../table-definition';

const PARTITION = 'catch-up';

/** How far a catch-up stream has read Fedora's history. */
export interface CheckpointRow {
  /** Which catch-up (`datagrepper`). */
  readonly stream: string;
  /** Epoch seconds, inclusive. */
  readonly through: number;
  readonly updatedAt: string;
}

export const catchUpCheckpointsTable = defineTable({
  name: 'catchupcheckpoints',
  purpose: "the datagrepper catch-up's checkpoint, moved with ETag conditions once a window is queued",
  partitionKey: "'catch-up'",
  partition: PARTITION,
  rowKey: 'the stream (`datagrepper`)',
  schema: z.object({
    through: z.number().int().nonnegative(),
    /** `through` for people reading the table. */
    throughIso: z.string(),
    updatedAt: z.string(),
  }),
  key: (stream: string) => ({ partitionKey: PARTITION, rowKey: stream }),
  keyOf: (row: CheckpointRow) => ({ partitionKey: PARTITION, rowKey: row.stream }),
  toColumns: ({ through, updatedAt }) => ({ through, throughIso: isoSecond(through), updatedAt }),
  fromColumns: ({ through, updatedAt }, keys): CheckpointRow => ({ stream: keys.rowKey, through, updatedAt }),
});
