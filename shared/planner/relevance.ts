import type { UpstreamEvent } from '../fedora/upstream-event';
import { normalizeRelease, stableTagOf } from './policy';
import type { PlannerPolicy } from './policy';
import type { PlannerComponent, SkipCode } from './types';

export type Relevance =
  | { readonly relevant: true; readonly massRebuild: boolean }
  | { readonly relevant: false; readonly code: SkipCode; readonly detail: string };

const no = (code: SkipCode, detail: string): Relevance => ({ relevant: false, code, detail });

/**
 * Whether `event` should rebuild `component` (which follows the event's package). Only stable outcomes
 * trigger: a build tagged into the release's stable tag (or a mass-rebuild tag), a Bodhi update pushed
 * stable, or a dist-git push for a component that follows the branch head. The release must be the one the
 * component follows; everything else is skipped with a reason.
 */
export function relevance(
  event: UpstreamEvent,
  component: PlannerComponent,
  policy: PlannerPolicy,
): Relevance {
  const byKind = kindVerdict(event);
  if (byKind) return byKind;
  const release = event.branch ?? event.release ?? releaseOfTag(event.tag);
  const branch = component.branch;
  if (release === undefined || branch === undefined) {
    return no(
      'release-mismatch',
      `event release ${release ?? '(none)'}, component follows ${branch ?? '(none)'}`,
    );
  }
  if (normalizeRelease(release, policy) !== normalizeRelease(branch, policy)) {
    return no('release-mismatch', `event is for ${release}, component follows ${branch}`);
  }
  if (event.kind === 'dist-git-push') {
    if (component.follows !== 'head')
      return no('not-following-head', `component follows ${component.follows}`);
    return { relevant: true, massRebuild: false };
  }
  if (event.kind === 'update-stable') {
    return policy.triggerOnStableUpdate
      ? { relevant: true, massRebuild: false }
      : no('not-a-trigger', 'update-stable does not trigger');
  }
  // tagged
  const tag = event.tag ?? '';
  if (policy.massRebuildTags.some((pattern) => pattern.test(tag)))
    return { relevant: true, massRebuild: true };
  if (policy.triggerOnStableTag && tag === stableTagOf(branch, policy))
    return { relevant: true, massRebuild: false };
  return no('not-stable-tag', `tag ${tag || '(none)'} is not the stable tag of ${branch}`);
}

/** Verdicts that depend on the event alone. */
function kindVerdict(event: UpstreamEvent): Relevance | undefined {
  switch (event.kind) {
    case 'tagged':
      return isScratch(event)
        ? no('scratch-build', 'scratch builds are never tagged for release')
        : undefined;
    case 'update-stable':
    case 'dist-git-push':
      return undefined;
    case 'build-failed':
    case 'build-canceled':
      return no('failed-build', `${event.kind}: nothing was built`);
    case 'untagged':
      return no('untagged', `untagged from ${event.tag ?? '(unknown tag)'}: the lock stays`);
    case 'update-testing':
      return no('testing-only', 'the update is in testing, not stable');
    case 'update-requested':
      return event.status === 'testing'
        ? no('testing-only', 'testing requested')
        : no('not-a-trigger', `requested ${event.status ?? ''}: wait for update-stable`);
    case 'build-complete':
      return isScratch(event)
        ? no('scratch-build', 'scratch build')
        : no('not-a-trigger', 'build-complete: wait for the tag');
    default:
      return no('not-a-trigger', `${event.kind} does not trigger a rebuild`);
  }
}

/** Koji scratch builds have a task but no build id, and a `scratch` topic or tag where the message says. */
function isScratch(event: UpstreamEvent): boolean {
  if (/scratch/i.test(event.topic) || /scratch/i.test(event.tag ?? '')) return true;
  return event.kojiTaskId !== undefined && event.kojiBuildId === undefined && event.builds.length === 0;
}

/** `f43-updates-testing` → `f43`, `f44` → `f44`. */
function releaseOfTag(tag: string | undefined): string | undefined {
  return tag === undefined ? undefined : /^(f\d+|epel\d+|rawhide)/.exec(tag)?.[1];
}
