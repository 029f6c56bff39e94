import { z } from 'zod';
import type { ImageTriggerRow } from '../../images/image-trigger';
import { defineTable, jsonText } from '../table-definition';

const PARTITION = 'image';

/**
 * The image build trigger's debounce state, one row per image (`shared/images/image-trigger.ts`): when one
 * of its repositories last moved, the newest revision seen of each, and for which change a build was last
 * requested. Moved forward only, with ETag conditions (`infra/image-trigger/table-image-trigger-state.ts`).
 */
export const imageTriggersTable = defineTable({
  name: 'imagetriggers',
  purpose: 'per image: when its repositories last moved, their newest revisions, and the change last built',
  partitionKey: "'image'",
  partition: PARTITION,
  rowKey: 'the image name',
  schema: z.object({
    lastRepoChangeAt: z.string().optional(),
    /** `{ repositoryId: revision }` as one JSON string (a few repositories per image). */
    revisions: jsonText(z.record(z.string(), z.union([z.number(), z.string()]))),
    requestedForChangeAt: z.string().optional(),
  }),
  key: (image: string) => ({ partitionKey: PARTITION, rowKey: image }),
  keyOf: (row: ImageTriggerRow) => ({ partitionKey: PARTITION, rowKey: row.image }),
  toColumns: ({ image: _key, revisions, ...columns }) => ({
    ...columns,
    revisions: JSON.stringify(revisions),
  }),
  fromColumns: (columns, keys): ImageTriggerRow => ({ image: keys.rowKey, ...columns }),
});
