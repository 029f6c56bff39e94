import { z } from 'zod';
import { imageBuildStates, imageBuildUpdatedAt } from '../../images/image-build';
import type { ImageBuildRecord } from '../../images/image-build';
import { defineTable } from '../table-definition';
import { componentKey } from '../table-keys';

const state = z.enum(imageBuildStates);
const byteCount = z.number().int().nonnegative();

/** `ImageBuildRecord` as stored: every field, so a record read, changed and written again loses nothing. */
const imageBuildRecordSchema = z.object({
  image: z.string(),
  version: z.string(),
  fingerprint: z.string(),
  requestedAt: z.string(),
  state,
  history: z.array(z.object({ state, at: z.string(), detail: z.string().optional() })).readonly(),
  repositories: z.record(z.string(), z.number()).optional(),
  sizes: z.object({ virtualBytes: byteCount, vhdFileBytes: byteCount, dataBytes: byteCount }).optional(),
  urls: z.object({ vhd: z.string(), manifest: z.string(), sbom: z.string() }).optional(),
  sha256: z.string().optional(),
  packages: z.number().optional(),
  missing: z.array(z.string()).readonly().optional(),
  sameAs: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }).optional(),
});

/**
 * An image build's row is its record, whole as JSON, beside the columns a listing filters on. One partition
 * per image, so an image's versions are one partition query.
 */
export const imageBuildsTable = defineTable({
  name: 'imagebuilds',
  purpose: 'one image build record per image and version, kept through its states by the image publisher',
  partitionKey: 'the image name (`componentKey`)',
  rowKey: 'the version (`componentKey`: `<yyyymmdd>.<n>` as it is)',
  schema: z.object({
    image: z.string(),
    version: z.string(),
    fingerprint: z.string(),
    state,
    requestedAt: z.string(),
    updatedAt: z.string(),
    record: imageBuildRecordSchema,
  }),
  jsonColumns: ['record'],
  key: (image: string, version: string) => ({
    partitionKey: componentKey(image),
    rowKey: componentKey(version),
  }),
  keyOf: (record: ImageBuildRecord) => ({
    partitionKey: componentKey(record.image),
    rowKey: componentKey(record.version),
  }),
  toColumns: (record) => ({
    image: record.image,
    version: record.version,
    fingerprint: record.fingerprint,
    state: record.state,
    requestedAt: record.requestedAt,
    updatedAt: imageBuildUpdatedAt(record),
    record,
  }),
  fromColumns: (columns): ImageBuildRecord => columns.record,
});
