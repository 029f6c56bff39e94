import { z } from 'zod';
import { fedora, releaseFromBranch } from './release-mapping';
import type { ReleaseOptions } from './release-mapping';
import type { TopicContext, Verdict } from './verdict';
import { accepted, parseThen } from './verdict';

/**
 * `pungi.compose.status.change`: a distribution compose started, finished or failed. There is no schema
 * package (messages arrive as `base.message`); the Pungi notifier sends `compose_id`, `status`, `location`
 * and, in newer versions, `release_short` / `release_version` / `compose_type`.
 */
export const composeStatusBody = z.looseObject({
  compose_id: z.string().min(1).max(255),
  /** STARTED, FINISHED, FINISHED_INCOMPLETE, DOOMED, TERMINATED. */
  status: z.string().min(1).max(64),
  location: z.string().max(4096).nullable().optional(),
  release_short: z.string().max(64).nullable().optional(),
  release_version: z.string().max(64).nullable().optional(),
});
type ComposeStatusBody = z.output<typeof composeStatusBody>;

const SEVERITY: Record<string, 'info' | 'warning' | 'error' | undefined> = {
  FINISHED_INCOMPLETE: 'warning',
  DOOMED: 'error',
  TERMINATED: 'warning',
};

export const composeStatusChange = (body: unknown, context: TopicContext): Verdict =>
  parseThen(composeStatusBody, body, (b) =>
    accepted(
      {
        kind: 'compose',
        packages: [],
        builds: [],
        release: composeRelease(b, context.options),
        reference: b.compose_id,
        status: b.status,
      },
      SEVERITY[b.status] ?? 'info',
    ),
  );

/**
 * The release of a compose, most explicit source first: `release_version` (`Rawhide`, `43`); the compose
 * directory in `location` (`…/compose/rawhide/<id>/…`: Rawhide composes were long named after the next release
 * number, e.g. `Fedora-24-20151208.n.7`); the compose id (`Fedora-Rawhide-…`, `Fedora-43-…`, `Fedora-ELN-…`).
 */
function composeRelease(b: ComposeStatusBody, options: ReleaseOptions): string | undefined {
  const version = b.release_version?.toLowerCase();
  if (version === 'rawhide') return 'rawhide';
  if (version !== undefined && /^\d{1,4}$/.test(version)) return fedora(Number(version), options);
  if (typeof b.location === 'string' && /\/compose\/+rawhide\//.test(b.location)) return 'rawhide';
  const id = /^Fedora(?:-[A-Za-z]+)*?-(Rawhide|ELN|\d{1,4})-\d{8}/i.exec(b.compose_id);
  if (id?.[1] === undefined) return undefined;
  const named = id[1].toLowerCase();
  return /^\d+$/.test(named) ? fedora(Number(named), options) : releaseFromBranch(named, options);
}
