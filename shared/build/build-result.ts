import { z } from 'zod';
import { componentNameSchema } from './build-request';

/**
 * The body of one message on the `build-results` queue: what a cloud build execution (an Azure Container Apps
 * Job running `azl-rebuilder worker build`) reports when it ends. The execution did the whole build (sources,
 * render, rpmbuild, upload), so the artifacts are already in the `artifacts` container under `blobPath`.
 * Message id = `<fingerprint>:<executionName>`: a report sent twice by one execution is dropped by the broker's
 * duplicate detection, while a second execution for the same fingerprint (a retry) is a distinct report.
 */
export const builtArtifactSchema = z.object({
  /** Path inside the `artifacts` container: `<component>/<fingerprint>/<file>`. */
  blobPath: z.string().min(1).max(1024),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lower-case hex digits'),
  size: z.number().int().nonnegative(),
  kind: z.enum(['srpm', 'rpm', 'log']),
});
export type BuiltArtifact = z.infer<typeof builtArtifactSchema>;

export const buildResultSchema = z
  .object({
    component: componentNameSchema,
    fingerprint: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'a fingerprint is sha256:<64 hex>'),
    planId: z.string().min(1).max(128),
    /** The Container Apps Job execution that built it (ARM `name` of the execution). */
    executionName: z
      .string()
      .min(1)
      // 71 (fingerprint) + 1 + 56 = 128, the Service Bus message id limit; job names have at most 32.
      .max(56)
      .regex(/^[-\w.()]+$/, 'an execution name is letters, digits and - _ . ( )'),
    /** Which builder ran inside the execution (`rpmbuild`, `mock`). */
    builder: z.string().min(1).max(64),
    state: z.enum(['succeeded', 'failed']),
    /** On failure: the stable code of the builder outcome (`build.compile-error`, `build.timeout`, ...). */
    code: z.string().min(1).optional(),
    /** On failure: whether trying again can help. */
    retryable: z.boolean().optional(),
    message: z.string().max(4096).optional(),
    /** The last lines of the build log, for the build record. */
    logExcerpt: z.string().max(16_384).optional(),
    artifacts: z.array(builtArtifactSchema),
    nevras: z.array(z.string().min(1)),
    startedAt: z.string().datetime({ offset: true }),
    finishedAt: z.string().datetime({ offset: true }),
  })
  .refine((result) => result.state === 'succeeded' || result.code !== undefined, {
    message: 'a failed result names its code',
    path: ['code'],
  });
export type BuildResult = z.infer<typeof buildResultSchema>;

/** The `build-results` message id for a result: stable per execution, at most 128 characters. */
export function buildResultMessageId(result: Pick<BuildResult, 'fingerprint' | 'executionName'>): string {
  return `${result.fingerprint}:${result.executionName}`;
}
