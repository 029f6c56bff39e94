/**
 * The AMQP routing keys (= full Fedora Messaging topics) the bridge binds by default: the topics a rebuild
 * pipeline acts on (research note fedora-messaging.md §0.3). Bound narrowly on purpose: `…buildsys.#` would
 * also bring `buildsys.rpm.sign`, which fires once per RPM per signing key and is of no use here.
 *
 * In a topic binding `*` matches exactly one word: `bodhi.update.request.*` covers request.testing,
 * request.stable, request.revoke, request.unpush and request.obsolete.
 */
export type FedoraEnvironment = 'prod' | 'stg';

/** Topics published under `org.fedoraproject.<env>.` (Koji, Bodhi, dist-git, Pungi, Koschei). */
const fedoraTopics = [
  'buildsys.tag',
  'buildsys.untag',
  'buildsys.build.state.change',
  'buildsys.repo.done',
  'bodhi.update.complete.stable',
  'bodhi.update.complete.testing',
  'bodhi.update.request.*',
  'bodhi.update.status.testing.koji-build-group.build.complete',
  'git.receive',
  'pagure.git.receive',
  'pungi.compose.status.change',
  'koschei.package.state.change',
] as const;

/** Anitya (release-monitoring.org) hard-codes its own prefix; v2 is the current schema, v1 is still sent. */
const anityaTopics = ['anitya.project.version.update', 'anitya.project.version.update.v2'] as const;

/** The default bindings for one Fedora environment (the public broker carries `prod`). */
export function rebuildRoutingKeys(environment: FedoraEnvironment = 'prod'): string[] {
  return [
    ...fedoraTopics.map((topic) => `org.fedoraproject.${environment}.${topic}`),
    ...anityaTopics.map((topic) => `org.release-monitoring.${environment}.${topic}`),
  ];
}
