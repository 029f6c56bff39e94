/**
 * The Fedora Messaging topics a rebuild pipeline acts on (research: fedora-messaging.md §0.3), without the
 * environment prefix. Narrow on purpose: `buildsys.rpm.sign` alone fires once per RPM per signing key.
 */
export const fedoraRebuildTopics = [
  'buildsys.tag',
  'buildsys.untag',
  'buildsys.build.state.change',
  'buildsys.repo.done',
  'bodhi.update.complete.stable',
  'bodhi.update.complete.testing',
  // Every Bodhi request (the AMQP pattern `bodhi.update.request.*`), spelled out: datagrepper filters on exact topics.
  'bodhi.update.request.testing',
  'bodhi.update.request.stable',
  'bodhi.update.request.revoke',
  'bodhi.update.request.unpush',
  'bodhi.update.request.obsolete',
  'bodhi.update.status.testing.koji-build-group.build.complete',
  'git.receive',
  'pagure.git.receive',
  'pungi.compose.status.change',
  'koschei.package.state.change',
] as const;

/** Anitya (release-monitoring.org) publishes under its own prefix; v2 is current, v1 is still sent. */
export const anityaRebuildTopics = [
  'anitya.project.version.update',
  'anitya.project.version.update.v2',
] as const;

export type FedoraEnvironment = 'prod' | 'stg';

/** Full topic names (also the AMQP routing keys) for one environment. */
export function rebuildTopics(environment: FedoraEnvironment = 'prod'): string[] {
  return [
    ...fedoraRebuildTopics.map((topic) => `org.fedoraproject.${environment}.${topic}`),
    ...anityaRebuildTopics.map((topic) => `org.release-monitoring.${environment}.${topic}`),
  ];
}
