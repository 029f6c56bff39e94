import { z } from 'zod';
import { packageName } from './identifiers';
import { releaseFromBranch } from './release-mapping';
import type { TopicContext, Verdict } from './verdict';
import { accepted, ignored, parseThen } from './verdict';

/**
 * `koschei.package.state.change` (koschei-messages `package.py`): Koschei's scratch-rebuild of a package in a
 * collection (`f43`, `rawhide`) changed between `ok`, `failing`, `unresolved` and `ignored` — Fedora's
 * continuous fail-to-build-from-source signal.
 */
export const packageStateChangeBody = z.looseObject({
  name: packageName,
  new: z.string().min(1).max(32),
  old: z.string().max(32).nullable().optional(),
  collection: z.string().min(1).max(64),
  koji_instance: z.string().max(64).optional(),
});

export const packageStateChange = (body: unknown, context: TopicContext): Verdict =>
  parseThen(packageStateChangeBody, body, (b) => {
    if (b.koji_instance !== undefined && b.koji_instance !== 'primary') {
      return ignored(`Koschei state from Koji instance "${b.koji_instance}", not primary`);
    }
    return accepted(
      {
        kind: 'ftbfs-state-change',
        packages: [b.name],
        builds: [],
        // Koschei names its collections after the dist-git branch.
        release: releaseFromBranch(b.collection, context.options),
        status: b.new,
      },
      b.new === 'failing' ? 'warning' : 'info',
    );
  });
