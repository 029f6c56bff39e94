import { z } from 'zod';

/**
 * An overlay's `metadata` table (azldev `OverlayMetadata`): documentation only, it changes no render, but
 * azldev validates it at load and so does this engine, with azldev's rules and wording: a known `category`,
 * at least one `commits` entry for `upstream-backport`, a known `upstream-status` (only `upstreamed` or
 * `upstreamable` with `upstream-backport`), and http(s) URLs.
 */
export const OVERLAY_CATEGORIES = [
  'upstream-backport',
  'azl-pruning',
  'azl-compatibility',
  'azl-temp-workaround',
  'azl-branding-policy',
  'azl-disable-flaky-tests',
  'azl-disable-unsupported-tests',
  'azl-security-compliance',
  'azl-release-management',
  'azl-platform-adaptation',
] as const;

export const OVERLAY_UPSTREAM_STATUSES = [
  'upstreamed',
  'upstreamable',
  'needs-upstream-hook',
  'inapplicable',
  'unknown',
] as const;

const urlRef = z.strictObject({
  url: z.string().regex(/^https?:\/\/[^\s/]+/, { message: 'must be an http(s) URL' }),
});

export const overlayMetadataSchema = z
  .strictObject({
    category: z.string().optional(),
    commits: z.array(urlRef).optional(),
    bugs: z.array(urlRef).optional(),
    'upstream-status': z.string().optional(),
  })
  .superRefine((metadata, ctx) => {
    const problem = metadataProblem(metadata);
    if (problem) ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
  });
export type OverlayMetadata = z.infer<typeof overlayMetadataSchema>;

const isOneOf = <T extends string>(values: readonly T[], value: string): value is T =>
  (values as readonly string[]).includes(value);

/** The first rule `metadata` breaks, in azldev's order, or undefined. */
function metadataProblem(m: {
  category?: string | undefined;
  commits?: readonly unknown[] | undefined;
  'upstream-status'?: string | undefined;
}): { field: string; message: string } | undefined {
  const category = m.category ?? '';
  const status = m['upstream-status'] ?? '';
  if (category === '') return { field: 'category', message: "'metadata' requires 'category'" };
  if (!isOneOf(OVERLAY_CATEGORIES, category)) {
    return { field: 'category', message: `unknown overlay category \`${category}\`` };
  }
  if (category === 'upstream-backport' && (m.commits ?? []).length === 0) {
    return {
      field: 'commits',
      message: "overlay category `upstream-backport` requires at least one entry in 'commits'",
    };
  }
  if (status === '') return { field: 'upstream-status', message: "'metadata' requires 'upstream-status'" };
  if (!isOneOf(OVERLAY_UPSTREAM_STATUSES, status)) {
    return { field: 'upstream-status', message: `unknown overlay upstream-status \`${status}\`` };
  }
  if (category === 'upstream-backport' && status !== 'upstreamed' && status !== 'upstreamable') {
    return {
      field: 'upstream-status',
      message:
        'overlay category `upstream-backport` implies the change is already upstream or upstreamable; ' +
        `'upstream-status' value \`${status}\` is contradictory (allowed: \`upstreamed\` or \`upstreamable\`)`,
    };
  }
  return undefined;
}
