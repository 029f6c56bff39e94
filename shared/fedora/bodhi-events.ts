import type { UpstreamBuild } from './upstream-event';
import { splitNvr, toBuild } from './identifiers';
import { buildGroupCompleteBody, updateMessageBody } from './bodhi-schemas';
import type { BodhiUpdate } from './bodhi-schemas';
import { releaseFromBodhi, releaseFromBranch } from './release-mapping';
import type { TopicContext, Verdict } from './verdict';
import { accepted, ignored, parseThen } from './verdict';

/**
 * Bodhi topics. Packages come from the update's build NVRs (`nvr` split on its last two dashes), the release
 * from `update.release` (branch, else name), the reference is the update alias. Only rpm updates matter:
 * container, flatpak and module updates are ignored.
 */

const nonRpm = (update: BodhiUpdate | undefined): Verdict | undefined =>
  typeof update?.content_type === 'string' && update.content_type !== 'rpm'
    ? ignored(`Bodhi ${update.content_type.slice(0, 32)} update, not rpm`)
    : undefined;

const unique = (names: readonly string[]): string[] => [...new Set(names)];

/** `bodhi.update.complete.{stable,testing}` (pushed by the composer) and `bodhi.update.request.<request>`. */
export function updateMessage(body: unknown, context: TopicContext): Verdict {
  return parseThen(updateMessageBody, body, ({ update }) => {
    const skip = nonRpm(update);
    if (skip !== undefined) return skip;
    const builds: UpstreamBuild[] = [];
    for (const build of update.builds) {
      const nvr = splitNvr(build.nvr);
      if (nvr !== undefined && (build.type === undefined || build.type === 'rpm')) {
        builds.push(toBuild(nvr, build.epoch));
      }
    }
    if (builds.length === 0) return ignored('Bodhi update without rpm builds');
    const last = context.suffix.slice(context.suffix.lastIndexOf('.') + 1);
    const complete = context.suffix.startsWith('bodhi.update.complete.');
    const release = update.release;
    return accepted({
      kind: !complete ? 'update-requested' : last === 'stable' ? 'update-stable' : 'update-testing',
      packages: unique(builds.map((b) => b.name)),
      builds,
      // Where the composer put the builds; a request names no tag yet.
      tag: !complete
        ? undefined
        : ((last === 'stable' ? release.stable_tag : release.testing_tag) ?? undefined),
      release: releaseFromBodhi(release, context.options),
      branch: release.branch ?? undefined,
      reference: update.alias,
      status: last,
    });
  });
}

/** `bodhi.update.status.testing.koji-build-group.build.complete`: an update's Koji builds are ready for testing. */
export function buildGroupComplete(body: unknown, context: TopicContext): Verdict {
  return parseThen(buildGroupCompleteBody, body, ({ artifact, update }) => {
    const skip = nonRpm(update);
    if (skip !== undefined) return skip;
    const real = artifact.builds.filter((build) => build.scratch !== true);
    if (real.length === 0) return ignored('only scratch builds in the artifact');
    const builds: UpstreamBuild[] = [];
    const packages: string[] = [];
    for (const build of real) {
      const nvr = splitNvr(build.nvr);
      if (nvr === undefined) continue;
      builds.push(toBuild(nvr, undefined, build.id));
      packages.push(build.component ?? nvr.name);
    }
    // Top-level Koji ids only when they are unambiguous: one build.
    const single = real.length === 1 ? real[0] : undefined;
    return accepted(
      {
        kind: 'update-testing',
        packages: unique(packages),
        builds,
        kojiBuildId: single?.id ?? undefined,
        kojiTaskId: single?.task_id ?? undefined,
        release:
          update !== undefined
            ? releaseFromBodhi(update.release, context.options)
            : artifact.release === undefined
              ? undefined
              : releaseFromBranch(artifact.release.toLowerCase(), context.options),
        branch: update?.release.branch ?? undefined,
        reference: update?.alias ?? artifact.id,
        status: update?.status,
      },
      'debug',
    );
  });
}
