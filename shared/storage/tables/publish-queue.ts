import { z } from 'zod';
import { publishRequestSchema } from '../../publishing/publish-request';
import type { PublishRequest } from '../../publishing/publish-request';
import { defineTable } from '../table-definition';
import { componentKey, componentOfKey } from '../table-keys';

/**
 * A publish request of one repository: recorded `pending` with its request before its run, marked `done`
 * (by merge, so the request stays) with the revision that included it.
 */
export interface PublishQueueRow {
  readonly repository: string;
  /** The message's key (`<repository>:<fingerprint>`). */
  readonly key: string;
  readonly state: 'pending' | 'done';
  readonly revision?: number;
  readonly request?: PublishRequest;
}

export const publishQueueTable = defineTable({
  name: 'publishqueue',
  purpose: 'publish requests per repository, pending until a publisher run includes them in a revision',
  partitionKey: 'the repository id (`componentKey`: `/` escaped)',
  rowKey: 'the request key `<repository>:<fingerprint>` (`componentKey`)',
  schema: z.object({
    key: z.string(),
    state: z.enum(['pending', 'done']),
    revision: z.number().int().optional(),
    request: publishRequestSchema.optional(),
  }),
  jsonColumns: ['request'],
  key: (repository: string, key: string) => ({
    partitionKey: componentKey(repository),
    rowKey: componentKey(key),
  }),
  keyOf: (row: PublishQueueRow) => ({
    partitionKey: componentKey(row.repository),
    rowKey: componentKey(row.key),
  }),
  toColumns: ({ repository: _repository, ...columns }) => columns,
  fromColumns: (columns, keys): PublishQueueRow => ({
    repository: componentOfKey(keys.partitionKey),
    ...columns,
  }),
});
