/**
 * When a repository's next revision may be made. A burst of builds (a mass rebuild finishing thousands of
 * components) would otherwise commit a revision per handful of builds: each revision rewrites the whole
 * repository's metadata, and every dnf client refetches it. So a repository publishes at once when it has been
 * quiet for the coalescing window (a lone build is not delayed), and otherwise not before the window has
 * passed since its last revision: at most one revision per window, with everything that arrived meanwhile.
 */
export type PublishTiming = { readonly kind: 'now' } | { readonly kind: 'later'; readonly at: number };

export function publishTiming(
  lastPublishedAt: number | undefined,
  now: number,
  windowMs: number,
): PublishTiming {
  if (windowMs <= 0 || lastPublishedAt === undefined || lastPublishedAt <= 0) return { kind: 'now' };
  const at = lastPublishedAt + windowMs;
  return now >= at ? { kind: 'now' } : { kind: 'later', at };
}

/** The default coalescing window (`AZL_REPO_COALESCE_SECONDS`). */
export const DEFAULT_COALESCE_MS = 10_000;

/** The message id of the flush that brings a repository's deferred publishes back at `at` (ms since the epoch). */
export const publishFlushId = (repository: string, at: number): string => `flush:${repository}:${at}`;

export const isPublishFlushId = (messageId: string): boolean => messageId.startsWith('flush:');
