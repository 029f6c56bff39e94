import { z } from 'zod';
import type { ComponentLock } from '../../planner/types';
import { defineTable, jsonText } from '../table-definition';
import { componentKey } from '../table-keys';

const PARTITION = 'component';

const componentLockSchema = z.object({
  nvr: z.string().optional(),
  commit: z.string().optional(),
  messageId: z.string(),
  provides: z.array(z.string()).readonly().optional(),
});

/**
 * What the pipeline keeps per component, written in parts by merge: the planner's lock and its latest
 * request, the build worker's last success. Every part but the name is absent until its writer ran.
 */
export interface ComponentStateRow {
  readonly component: string;
  readonly lock?: ComponentLock;
  readonly lockedAt?: string;
  /** The planner fingerprint of the last successful build. */
  readonly lastSuccessfulFingerprint?: string;
  readonly lastContentDigest?: string;
  /** The newest build the planner asked for (the build worker's supersession check). */
  readonly latestFingerprint?: string;
  readonly latestRequestedAt?: string;
}

export const componentStateTable = defineTable({
  name: 'componentstate',
  purpose:
    "per component: the planner's lock and latest request, and the fingerprint of its last successful build",
  partitionKey: "'component'",
  partition: PARTITION,
  rowKey: 'the component name (`componentKey`)',
  schema: z.object({
    component: z.string(),
    /** The lock as one JSON string (a provides list of a few hundred names at most). */
    lock: jsonText(componentLockSchema).optional(),
    lockedAt: z.string().optional(),
    lastSuccessfulFingerprint: z.string().optional(),
    lastContentDigest: z.string().optional(),
    latestFingerprint: z.string().optional(),
    latestRequestedAt: z.string().optional(),
  }),
  key: (component: string) => ({ partitionKey: PARTITION, rowKey: componentKey(component) }),
  keyOf: (row: ComponentStateRow) => ({ partitionKey: PARTITION, rowKey: componentKey(row.component) }),
  toColumns: ({ lock, ...columns }) => ({
    ...columns,
    lock: lock === undefined ? undefined : JSON.stringify(lock),
  }),
  fromColumns: (columns): ComponentStateRow => columns,
});
