import { z } from 'zod';
import { DEFAULT_COALESCE_MS, DEFAULT_GRACE_MS, DEFAULT_KEEP_BUILDS } from '../publishing';
import type { SettingsReader } from './issues';

/**
 * Repository publishing settings: `AZL_REPO_KEEP_BUILDS`, the builds retention keeps of each package name
 * (newest EVRs first, default 1), and `AZL_REPO_GRACE_SECONDS`, how long files a new generation no longer
 * uses (previous metadata, replaced RPMs, old state) stay readable before cleanup deletes them (default 600),
 * so a client that fetched the previous repomd.xml still finds what it names; `AZL_REPO_COALESCE_SECONDS`, the
 * least time between two revisions of a repository (default 10; 0 publishes every request at once), so a burst
 * of builds lands in few revisions (publish-timing.ts).
 */
export interface PublishingSettings {
  readonly keepBuilds: number;
  readonly graceMs: number;
  readonly coalesceMs: number;
}

const MAX_GRACE_SECONDS = 7 * 86_400;

const keepBuilds = z.coerce
  .number({ error: 'must be a number of builds' })
  .int('must be a whole number of builds')
  .min(1, 'must be at least 1 (the newest build is always kept)')
  .max(1_000, 'must be at most 1000');
const graceSeconds = z.coerce
  .number({ error: 'must be a number of seconds' })
  .int('must be a whole number of seconds')
  .min(0, 'must not be negative')
  .max(MAX_GRACE_SECONDS, `must be at most ${MAX_GRACE_SECONDS} (a week)`);

const coalesceSeconds = z.coerce
  .number({ error: 'must be a number of seconds' })
  .int('must be a whole number of seconds')
  .min(0, 'must not be negative')
  .max(3_600, 'must be at most 3600 (an hour)');

export function resolvePublishing(reader: SettingsReader): PublishingSettings {
  const keep = reader.optional('AZL_REPO_KEEP_BUILDS', keepBuilds);
  const grace = reader.optional('AZL_REPO_GRACE_SECONDS', graceSeconds);
  const coalesce = reader.optional('AZL_REPO_COALESCE_SECONDS', coalesceSeconds);
  return {
    keepBuilds: keep ?? DEFAULT_KEEP_BUILDS,
    graceMs: grace === undefined ? DEFAULT_GRACE_MS : grace * 1000,
    coalesceMs: coalesce === undefined ? DEFAULT_COALESCE_MS : coalesce * 1000,
  };
}
