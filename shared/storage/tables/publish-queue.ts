import { z } from 'zod';
import { publishRequestSchema } from '../../publishing/publish-request';
import type { PublishRequest } from '../../publishing/publish-request';
import { defineTable } from '../table-definition';
import { componentKey, componentOfKey } from '../table-keys';

/**
 * A publish request of one repository: recorded `pending` with its request before its run; a run that
 * includes it in a revision records it `done` with that revision (without the request) and deletes the
 * pending row.
 */
export interface PublishQueueRow {
  readonly repository: string;
  /** The message's key (`<repository>:<fingerprint>`). */
  readonly key: string;
  readonly state: 'pending' | 'done';
  readonly revision?: number;
  readonly request?: PublishRequest;
}

/**
 * Appended to a repository's partition key for its `done` rows. Repository ids have no `:`, so the two
 * partitions never meet, and a run's query of the pending partition reads only the work still waiting,
 * not the repository's history.
 */
const DONE_PARTITION_SUFFIX = ':done';

const partitionOf = (repository: string, state: PublishQueueRow['state']): string =>
  state === 'done' ? `${componentKey(repository)}${DONE_PARTITION_SUFFIX}` : componentKey(repository);

export const publishQueueTable = defineTable({
  name: 'publishqueue',
  purpose:
    'publish requests per repository: pending until a publisher run includes them in a revision, then done',
  partitionKey:
    'the repository id (`componentKey`: `/` escaped) for pending requests, that and `:done` for done ones',
  rowKey: 'the request key `<repository>:<fingerprint>` (`componentKey`)',
  schema: z.object({
    key: z.string(),
    // `done` in the pending partition: a row marked in place, as runs did before done rows moved out.
    state: z.enum(['pending', 'done']),
    revision: z.number().int().optional(),
    request: publishRequestSchema.optional(),
  }),
  jsonColumns: ['request'],
  key: (repository: string, key: string, state: PublishQueueRow['state'] = 'pending') => ({
    partitionKey: partitionOf(repository, state),
    rowKey: componentKey(key),
  }),
  keyOf: (row: PublishQueueRow) => ({
    partitionKey: partitionOf(row.repository, row.state),
    rowKey: componentKey(row.key),
  }),
  toColumns: ({ repository: _repository, ...columns }) => columns,
  fromColumns: (columns, keys): PublishQueueRow => ({
    repository: componentOfKey(
      keys.partitionKey.endsWith(DONE_PARTITION_SUFFIX)
        ? keys.partitionKey.slice(0, -DONE_PARTITION_SUFFIX.length)
        : keys.partitionKey,
    ),
    ...columns,
  }),
});
