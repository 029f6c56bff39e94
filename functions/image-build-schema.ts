import { z } from 'zod';
import { imageBuildStates } from '../shared/images/image-build';
import { imageBuildMessageSchema } from '../shared/images/image-trigger';
import type { ImageBuildRecord } from '../shared/images/image-build';
import { describes } from '../shared/schema-matches';

/**
 * The images API's answers (`functions/images.ts`) as zod schemas for the OpenAPI description, each checked
 * against `ImageBuildRecord` (the record is an interface of `shared/images/`).
 */

const imageBuildRecordSchema = describes<ImageBuildRecord>()(
  z.object({
    image: z.string(),
    version: z.string().describe('`<yyyymmdd>.<n>`, or the version the request gave'),
    fingerprint: z.string().describe('definition and repository revisions: equal fingerprints, equal images'),
    requestedAt: z.string(),
    state: z.enum(imageBuildStates),
    history: z.array(
      z.object({ state: z.enum(imageBuildStates), at: z.string(), detail: z.string().optional() }),
    ),
    repositories: z
      .record(z.string(), z.int().min(1))
      .optional()
      .describe('the repositories it is built from, each with its revision'),
    sizes: z
      .object({ virtualBytes: z.int().min(0), vhdFileBytes: z.int().min(0), dataBytes: z.int().min(0) })
      .optional(),
    urls: z.object({ vhd: z.string(), manifest: z.string(), sbom: z.string() }).optional(),
    sha256: z.string().optional().describe('SHA-256 (hex) of the whole VHD'),
    packages: z.int().min(0).optional(),
    missing: z.array(z.string()).optional().describe('packages asked for that no repository had'),
    sameAs: z.string().optional().describe('`unchanged`: the published version with the same fingerprint'),
    error: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }).optional(),
  }),
);

/** `GET /api/images/{name}`: one version, whole, with when it last changed. */
export const imageBuildSchema = imageBuildRecordSchema.extend({ updatedAt: z.string() });

/** `GET /api/images`: each image's newest build, without its history. */
export const imageListSchema = z.object({
  images: z.array(
    z.object({
      image: z.string(),
      latest: imageBuildRecordSchema.omit({ history: true }).extend({ updatedAt: z.string() }),
    }),
  ),
});

export const imageVersionsSchema = z.object({ image: z.string(), versions: z.array(imageBuildSchema) });

/** `POST /api/images/{name}/builds`: what was queued. */
export const imageBuildQueuedSchema = z.object({
  image: z.string(),
  queued: imageBuildMessageSchema.pick({ trigger: true, at: true }).extend({ messageId: z.string() }),
});
