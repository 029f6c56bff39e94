import { z } from 'zod';
import { DEFAULT_GRACE_MS, DEFAULT_KEEP_BUILDS } from '../publishing';
import type { SettingsReader } from './issues';

/**
 * Repository publishing settings: `AZL_REPO_KEEP_BUILDS`, the builds retention keeps of each package name
 * (newest EVRs first, default 1), and `AZL_REPO_GRACE_SECONDS`, how long files a new generation no longer
 * uses (previous metadata, replaced RPMs, old state) stay readable before cleanup deletes them (default 600),
 * so a client that fetched the previous repomd.xml still finds what it names.
 */
export interface PublishingSettings {
  readonly keepBuilds: number;
  readonly graceMs: number;
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

export function resolvePublishing(reader: SettingsReader): PublishingSettings {
  const keep = reader.optional('AZL_REPO_KEEP_BUILDS', keepBuilds);
  const grace = reader.optional('AZL_REPO_GRACE_SECONDS', graceSeconds);
  return {
    keepBuilds: keep ?? DEFAULT_KEEP_BUILDS,
    graceMs: grace === undefined ? DEFAULT_GRACE_MS : grace * 1000,
  };
}
