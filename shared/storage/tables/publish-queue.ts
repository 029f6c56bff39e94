import { z } from 'zod';
import { errorContextSchema } from '../../error-context-schema';
import { publishRequestSchema } from '../../publishing/publish-request';
import type { PublishRequest } from '../../publishing/publish-request';
import { defineTable } from '../table-definition';
import { componentKey, componentOfKey } from '../table-keys';

/**
 * A publish request of one repository: recorded `pending` with its request before its run; a run that
 * includes it in a revision records it `done` with that revision (without the request) and deletes the
 * pending row. A run that finds one of its packages unusable (missing, not what the request says, not an RPM)
 * sets the request aside: `rejected` with the request and the error, kept for inspection, while the
 * repository's other requests are published.
 */
export interface PublishQueueRow {
  readonly repository: string;
  /** The message's key (`<repository>:<fingerprint>`). */
  readonly key: string;
  readonly state: 'pending' | 'done' | 'rejected';
  readonly revision?: number;
  readonly request?: PublishRequest;
  /** Why a `rejected` request was set aside: the permanent `PipelineError`'s code, message and place. */
  readonly error?: SetAsideReason;
}

const setAsideReasonSchema = z.object({
  code: z.string(),
  message: z.string(),
  context: errorContextSchema,
});
export type SetAsideReason = z.infer<typeof setAsideReasonSchema>;

/**
 * Appended to a repository's partition key, by state: `done` and `rejected` rows have partitions of their
 * own. Repository ids have no `:`, so the partitions never meet, and a run's query of the pending partition
 * reads only the work still waiting, not the repository's history.
 */
const PARTITION_SUFFIX: Readonly<Record<PublishQueueRow['state'], string>> = {
  pending: '',
  done: ':done',
  rejected: ':rejected',
};

const partitionOf = (repository: string, state: PublishQueueRow['state']): string =>
  `${componentKey(repository)}${PARTITION_SUFFIX[state]}`;

const repositoryOfPartition = (partitionKey: string): string => {
  const suffix = Object.values(PARTITION_SUFFIX).find((s) => s !== '' && partitionKey.endsWith(s)) ?? '';
  return componentOfKey(partitionKey.slice(0, partitionKey.length - suffix.length));
};

export const publishQueueTable = defineTable({
  name: 'publishqueue',
  purpose:
    'publish requests per repository: pending until a publisher run includes them in a revision, then done; rejected (kept with the error) when a package of theirs cannot be published',
  partitionKey:
    'the repository id (`componentKey`: `/` escaped) for pending requests, that and `:done` for done ones, `:rejected` for those set aside',
  rowKey: 'the request key `<repository>:<fingerprint>` (`componentKey`)',
  schema: z.object({
    key: z.string(),
    // `done` in the pending partition: a row marked in place, as runs did before done rows moved out.
    state: z.enum(['pending', 'done', 'rejected']),
    revision: z.number().int().optional(),
    request: publishRequestSchema.optional(),
    error: setAsideReasonSchema.optional(),
  }),
  jsonColumns: ['request', 'error'],
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
    repository: repositoryOfPartition(keys.partitionKey),
    ...columns,
  }),
});
