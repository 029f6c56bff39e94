import { z } from 'zod';
import { componentNameSchema } from '../build/build-request';

/**
 * A repository id: `<channel>/<arch>`, `<channel>/debuginfo/<arch>` or `<channel>/srpms` (`base/x86_64`,
 * `base/debuginfo/x86_64`, `sdk/srpms`). It is the `publish` session id and the repository's blob prefix.
 */
export const repositoryIdSchema = z
  .string()
  .max(100)
  .regex(
    /^[a-z0-9][a-z0-9._-]*\/(srpms|debuginfo\/[a-z0-9_]+|[a-z0-9_]+)$/,
    'a repository id is <channel>/<arch>, <channel>/debuginfo/<arch> or <channel>/srpms',
  );

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 is 64 lower-case hex digits');

/** One RPM to add to a repository, as the build worker stored it in the `artifacts` container. */
export const publishedPackageSchema = z.object({
  /** Blob name in `artifacts`: `<component>/<fingerprint>/<file name>`. */
  artifactBlob: z.string().min(1).max(1024),
  fileName: z.string().regex(/^[A-Za-z0-9._+~^-]+\.rpm$/, 'an RPM file name'),
  sha256: sha256Hex,
  size: z.number().int().nonnegative(),
  /** `name-[epoch:]version-release.arch`. */
  nevra: z.string().min(1),
});
export type PublishedPackage = z.infer<typeof publishedPackageSchema>;

/**
 * The body of one `publish` message (session id = repository id, message id = `<repository>:<fingerprint>`):
 * add these packages of one build to one repository. Packages of the same name replaced by them are removed
 * by the repository's retention policy.
 */
export const publishRequestSchema = z.object({
  repository: repositoryIdSchema,
  component: componentNameSchema,
  fingerprint: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  /** The build record's id. */
  buildId: z.string().min(1).max(200),
  packages: z.array(publishedPackageSchema).min(1),
  requestedAt: z.string().datetime({ offset: true }),
  /** When Fedora sent the message behind the build (its build request's), for end-to-end latency. */
  upstreamSentAt: z.string().datetime({ offset: true }).optional(),
});
export type PublishRequest = z.infer<typeof publishRequestSchema>;
