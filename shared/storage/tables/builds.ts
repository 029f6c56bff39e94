import { z } from 'zod';
import { buildStates } from '../../build/build-state';
import type { BuildRecord } from '../../build-worker/build-record';
import { defineTable } from '../table-definition';
import { componentKey, fingerprintHex } from '../table-keys';

/** `BuildRecord` as stored: every field, so a record read, changed and written again loses nothing. */
const buildRecordSchema = z.object({
  buildId: z.string(),
  component: z.string(),
  fingerprint: z.string(),
  planId: z.string(),
  wave: z.number(),
  requestedAt: z.string(),
  state: z.enum(buildStates),
  history: z
    .array(z.object({ state: z.enum(buildStates), at: z.string(), detail: z.string().optional() }))
    .readonly(),
  attempts: z.number(),
  builder: z.string().optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  durationMs: z.number().optional(),
  nevras: z.array(z.string()).readonly().optional(),
  artifacts: z
    .array(
      z.object({
        blobPath: z.string(),
        fileName: z.string(),
        sha256: z.string(),
        size: z.number(),
        kind: z.enum(['srpm', 'rpm', 'log']),
      }),
    )
    .readonly()
    .optional(),
  repositories: z.array(z.string()).readonly().optional(),
  contentDigest: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }).optional(),
  logExcerpt: z.string().optional(),
});

/** When the record last changed: its last transition (the `updatedAt` column the reconciler filters on). */
export const buildUpdatedAt = (record: BuildRecord): string =>
  record.history[record.history.length - 1]?.at ?? record.requestedAt;

/**
 * A build's row is its record, whole as JSON, beside the columns the status API and the reconciler filter on.
 * The build id is the component and the fingerprint's first 16 hex digits, so it is one row-key range.
 */
export const buildsTable = defineTable({
  name: 'builds',
  purpose: 'one build record per component and fingerprint, kept by the build worker through its states',
  partitionKey: 'the component name (`componentKey`)',
  rowKey: 'the fingerprint hex digits (`sha256:` dropped)',
  schema: z.object({
    buildId: z.string(),
    component: z.string(),
    planId: z.string(),
    state: z.enum(buildStates),
    requestedAt: z.string(),
    updatedAt: z.string(),
    record: buildRecordSchema,
  }),
  jsonColumns: ['record'],
  key: (component: string, fingerprint: string) => ({
    partitionKey: componentKey(component),
    rowKey: fingerprintHex(fingerprint),
  }),
  keyOf: (record: BuildRecord) => ({
    partitionKey: componentKey(record.component),
    rowKey: fingerprintHex(record.fingerprint),
  }),
  toColumns: (record) => ({
    buildId: record.buildId,
    component: record.component,
    planId: record.planId,
    state: record.state,
    requestedAt: record.requestedAt,
    updatedAt: buildUpdatedAt(record),
    record,
  }),
  fromColumns: (columns): BuildRecord => columns.record,
});
