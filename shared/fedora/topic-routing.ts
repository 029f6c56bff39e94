import { versionUpdateV1, versionUpdateV2 } from './anitya-events';
import { buildGroupComplete, updateMessage } from './bodhi-events';
import { gitReceive, pagureGitReceive } from './dist-git-events';
import { buildStateChange, buildTagged, buildUntagged, repoDone } from './koji-events';
import { packageStateChange } from './koschei-events';
import { composeStatusChange } from './pungi-events';
import { environmentPrefixes } from './rebuild-topics';
import type { RebuildTopic } from './rebuild-topics';
import type { TopicHandler } from './verdict';

/**
 * Topic → handler. Dispatch is on the topic with its environment prefix removed, never on the
 * `fedora_messaging_schema` header: Koji republishes a body that fails its own schema as `base.message`, and
 * several schemas share one topic (research note §0.6).
 */

/**
 * Topic → handler, for exactly the topics of `rebuild-topics.ts` (the one list the bridge binds and the
 * catch-up reads): the `Record` type makes a missing or extra entry a compile error.
 */
const HANDLER_OF: Record<RebuildTopic, TopicHandler> = {
  'buildsys.build.state.change': buildStateChange,
  'buildsys.tag': buildTagged,
  'buildsys.untag': buildUntagged,
  'buildsys.repo.done': repoDone,
  'bodhi.update.complete.stable': updateMessage,
  'bodhi.update.complete.testing': updateMessage,
  'bodhi.update.request.testing': updateMessage,
  'bodhi.update.request.stable': updateMessage,
  'bodhi.update.request.obsolete': updateMessage,
  'bodhi.update.request.unpush': updateMessage,
  'bodhi.update.request.revoke': updateMessage,
  'bodhi.update.status.testing.koji-build-group.build.complete': buildGroupComplete,
  'git.receive': gitReceive,
  'pagure.git.receive': pagureGitReceive,
  'anitya.project.version.update': versionUpdateV1,
  'anitya.project.version.update.v2': versionUpdateV2,
  'koschei.package.state.change': packageStateChange,
  'pungi.compose.status.change': composeStatusChange,
};
const HANDLERS: ReadonlyMap<string, TopicHandler> = new Map(Object.entries(HANDLER_OF));

/** Topics we know and deliberately skip, with why (they are common on a broad binding). */
const SKIPPED: ReadonlyMap<string, string> = new Map([
  [
    'buildsys.rpm.sign',
    'buildsys.rpm.sign is sent per RPM and signing key; builds are followed by build.state.change and tag',
  ],
  ['buildsys.task.state.change', 'buildsys.task.state.change is only published for scratch-build tasks'],
  ['buildsys.repo.init', 'buildsys.repo.init starts a repo regeneration; buildsys.repo.done ends it'],
]);

export type Route =
  | { readonly type: 'handler'; readonly suffix: string; readonly handler: TopicHandler }
  | { readonly type: 'ignored'; readonly reason: string };

export function routeTopic(topic: string): Route {
  const prefix = environmentPrefixes.find((candidate) => topic.startsWith(candidate));
  if (prefix === undefined) {
    return {
      type: 'ignored',
      reason: topic.startsWith('io.pagure.')
        ? 'topic from the pagure.io forge (io.pagure.*), not Fedora dist-git'
        : 'topic prefix is not a Fedora environment (org.fedoraproject.prod|stg, org.release-monitoring.prod|stg)',
    };
  }
  const suffix = topic.slice(prefix.length);
  const handler = HANDLERS.get(suffix);
  if (handler !== undefined) return { type: 'handler', suffix, handler };
  return { type: 'ignored', reason: SKIPPED.get(suffix) ?? `no handler for topic ${suffix}` };
}
