import { z } from 'zod';
import type { SettingsReader } from './issues';

/**
 * Planning settings. Planning is on when `AZL_DISTRO_DIR` names the distro tree (the folder of
 * `azldev.toml`); the dependency index is refreshed from Fedora's repodata when both repodata settings are
 * given (`AZL_DEPS_REPODATA`: binary repository, `AZL_DEPS_SOURCE_REPODATA`: source repository, each an
 * rpm-md folder or http(s) URL), on `buildsys.repo.done` for one of `AZL_DEPS_TRACKED_TAGS` and every 6 hours.
 */
export interface PlannerSettings {
  readonly distroDir: string;
  readonly debounceMs: number;
  /** Passes wait for a burst to end (`AZL_PLANNER_QUIET_SECONDS`, `AZL_PLANNER_MAX_WAIT_SECONDS`). */
  readonly burst: { readonly quietMs: number; readonly maxWaitMs: number };
  readonly budget: number;
  readonly dependencies?: {
    readonly binaryRepodata: string;
    readonly sourceRepodata: string;
    readonly trackedTags: readonly string[];
  };
}

const seconds = z.coerce
  .number({ error: 'must be a number of seconds' })
  .int('must be a whole number of seconds')
  .min(0, 'must not be negative')
  .max(86_400, 'must be at most 86400 (a day)');
const budget = z.coerce.number({ error: 'must be a number' }).int().min(1, 'must be at least 1').max(100_000);
const location = z
  .string()
  .refine(
    (v) => !/^[a-z][a-z0-9+.-]*:/i.test(v) || /^https?:\/\//.test(v),
    'must be a folder or an http(s) URL',
  );
const tags = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[A-Za-z0-9._+-]+$/, 'must be Koji tag names separated by commas')));

export function resolvePlanner(reader: SettingsReader): PlannerSettings | undefined {
  const distroDir = reader.optional('AZL_DISTRO_DIR', z.string());
  const debounce = reader.optional('AZL_PLANNER_DEBOUNCE_SECONDS', seconds);
  const quiet = reader.optional('AZL_PLANNER_QUIET_SECONDS', seconds) ?? 20;
  const maxWait = reader.optional('AZL_PLANNER_MAX_WAIT_SECONDS', seconds) ?? 300;
  if (maxWait < quiet)
    reader.report('AZL_PLANNER_MAX_WAIT_SECONDS', `must be at least AZL_PLANNER_QUIET_SECONDS (${quiet})`);
  const max = reader.optional('AZL_PLANNER_BUDGET', budget);
  const binaryRepodata = reader.optional('AZL_DEPS_REPODATA', location);
  const sourceRepodata = reader.optional('AZL_DEPS_SOURCE_REPODATA', location);
  const trackedTags = reader.optional('AZL_DEPS_TRACKED_TAGS', tags) ?? [];
  if ((binaryRepodata === undefined) !== (sourceRepodata === undefined)) {
    const missing = binaryRepodata === undefined ? 'AZL_DEPS_REPODATA' : 'AZL_DEPS_SOURCE_REPODATA';
    reader.report(missing, 'missing (the binary and the source repodata are set together)');
  }
  if (distroDir === undefined) return undefined;
  return {
    distroDir,
    debounceMs: (debounce ?? 60) * 1000,
    burst: { quietMs: quiet * 1000, maxWaitMs: maxWait * 1000 },
    budget: max ?? 500,
    ...(binaryRepodata && sourceRepodata
      ? { dependencies: { binaryRepodata, sourceRepodata, trackedTags } }
      : {}),
  };
}
