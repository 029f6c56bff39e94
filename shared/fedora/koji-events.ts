import type { UpstreamEventKind } from './upstream-event';
import { commitFromScmUrl, nvrOf, toBuild } from './identifiers';
import { buildStateChangeBody, kojiBuildStates, repoDoneBody, tagBody } from './koji-schemas';
import type { BuildStateChangeBody } from './koji-schemas';
import { releaseFromTag } from './release-mapping';
import type { TopicContext, Verdict } from './verdict';
import { accepted, ignored, parseThen } from './verdict';

/**
 * Koji topics: build state changes, tag/untag, buildroot repo regenerations. Identity per the research note
 * (§2.10): package = `name`, NVR from name/version/release, target = `request[1]`, dist-git commit = the
 * `#<sha>` of `request[0]`. Tag messages carry no epoch (left unset: unknown, not "none").
 */

const STATE_KINDS: Record<number, UpstreamEventKind | undefined> = {
  0: 'build-started',
  1: 'build-complete',
  3: 'build-failed',
  4: 'build-canceled',
};

/** Only Fedora's primary hub builds for the distribution. */
const notPrimary = (instance: string | undefined): Verdict | undefined =>
  instance !== undefined && instance !== 'primary'
    ? ignored(`Koji instance "${instance.slice(0, 64)}" is not the primary hub`)
    : undefined;

export function buildStateChange(body: unknown, context: TopicContext): Verdict {
  return parseThen(buildStateChangeBody, body, (b) => {
    const skip = notPrimary(b.instance);
    if (skip !== undefined) return skip;
    if (b.attribute !== undefined && b.attribute !== 'state') {
      return ignored(`build attribute "${b.attribute}" changed, not its state`);
    }
    const { source, target, scratch } = readRequest(b.request);
    if (scratch) return ignored('scratch build (request option scratch=true)');
    const kind = STATE_KINDS[b.new];
    if (kind === undefined) return ignored('build deleted (state DELETED)');
    return accepted(
      {
        kind,
        packages: [b.name],
        builds: [toBuild(nvrOf(b.name, b.version, b.release), b.epoch, b.build_id)],
        kojiBuildId: b.build_id ?? undefined,
        kojiTaskId: b.task_id ?? undefined,
        tag: target,
        release: target === undefined ? undefined : releaseFromTag(target, context.options),
        commit: source === undefined ? undefined : commitFromScmUrl(source),
        status: kojiBuildStates[b.new],
      },
      kind === 'build-failed' ? 'warning' : 'info',
    );
  });
}

/** `[source, target, opts]`, each taken only when it has the expected type (and a sane length). */
function readRequest(request: BuildStateChangeBody['request']): {
  source?: string;
  target?: string;
  scratch: boolean;
} {
  if (!Array.isArray(request)) return { scratch: false };
  const [source, target, opts] = request as unknown[];
  const text = (value: unknown, max: number): string | undefined =>
    typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined;
  const scratch =
    typeof opts === 'object' && opts !== null && (opts as { scratch?: unknown }).scratch === true;
  return { source: text(source, 4096), target: text(target, 255), scratch };
}

const tagEvent =
  (kind: 'tagged' | 'untagged') =>
  (body: unknown, context: TopicContext): Verdict =>
    parseThen(tagBody, body, (b) => {
      const skip = notPrimary(b.instance);
      if (skip !== undefined) return skip;
      return accepted(
        {
          kind,
          packages: [b.name],
          builds: [toBuild(nvrOf(b.name, b.version, b.release), undefined, b.build_id)],
          kojiBuildId: b.build_id,
          tag: b.tag,
          release: releaseFromTag(b.tag, context.options),
        },
        'debug',
      );
    });

export const buildTagged = tagEvent('tagged');
export const buildUntagged = tagEvent('untagged');

export function repoDone(body: unknown, context: TopicContext): Verdict {
  return parseThen(repoDoneBody, body, (b) => {
    const skip = notPrimary(b.instance);
    if (skip !== undefined) return skip;
    return accepted({
      kind: 'repo-regenerated',
      packages: [],
      builds: [],
      tag: b.tag,
      release: releaseFromTag(b.tag, context.options),
      reference: String(b.repo_id),
    });
  });
}
