/**
 * THE list of Fedora Messaging topics the pipeline acts on (research: fedora-messaging.md §0.3). Everything
 * that names topics derives from it:
 *  - the AMQP bridge's default routing keys (`bridgeRoutingKeys`, via `infra/fedora-bridge/routing-keys.ts`);
 *  - the datagrepper catch-up's topic filter (`catchUpTopics`, used by the composition root);
 *  - the normalizer's topic table (`topic-routing.ts` maps every `RebuildTopic` to its handler: a topic
 *    added here without a handler, or a handler for a topic not here, does not compile).
 * So the live stream, the back-fill and what is understood are the same messages. Narrow on purpose:
 * `buildsys.rpm.sign` alone fires once per RPM per signing key.
 *
 * Topics are written without their environment prefix; the value says which namespace publishes them.
 */
export const rebuildTopicNamespaces = {
  'buildsys.tag': 'fedora',
  'buildsys.untag': 'fedora',
  'buildsys.build.state.change': 'fedora',
  'buildsys.repo.done': 'fedora',
  'bodhi.update.complete.stable': 'fedora',
  'bodhi.update.complete.testing': 'fedora',
  // Every Bodhi request (the AMQP pattern `bodhi.update.request.*`), spelled out: datagrepper filters on
  // exact topics, so a pattern in the bindings would leave the catch-up without these.
  'bodhi.update.request.testing': 'fedora',
  'bodhi.update.request.stable': 'fedora',
  'bodhi.update.request.revoke': 'fedora',
  'bodhi.update.request.unpush': 'fedora',
  'bodhi.update.request.obsolete': 'fedora',
  'bodhi.update.status.testing.koji-build-group.build.complete': 'fedora',
  'git.receive': 'fedora',
  'pagure.git.receive': 'fedora',
  'pungi.compose.status.change': 'fedora',
  'koschei.package.state.change': 'fedora',
  // Anitya (release-monitoring.org) publishes under its own prefix; v2 is current, v1 is still sent.
  'anitya.project.version.update': 'anitya',
  'anitya.project.version.update.v2': 'anitya',
} as const satisfies Record<string, TopicNamespace>;

export type RebuildTopic = keyof typeof rebuildTopicNamespaces;

/** Who publishes: Fedora's applications under `org.fedoraproject.<env>.`, Anitya under its own prefix. */
export type TopicNamespace = 'fedora' | 'anitya';
const NAMESPACE_PREFIX: Record<TopicNamespace, string> = {
  fedora: 'org.fedoraproject',
  anitya: 'org.release-monitoring',
};

export const fedoraEnvironments = ['prod', 'stg'] as const;
export type FedoraEnvironment = (typeof fedoraEnvironments)[number];

/** The topics, in definition order, without prefix. */
export const rebuildTopicNames = Object.keys(rebuildTopicNamespaces) as readonly RebuildTopic[];

/** `org.fedoraproject.prod.buildsys.tag` for `buildsys.tag` in `prod`. */
export function fullTopic(topic: RebuildTopic, environment: FedoraEnvironment): string {
  return `${NAMESPACE_PREFIX[rebuildTopicNamespaces[topic]]}.${environment}.${topic}`;
}

/** Full topic names for one environment, in definition order. */
export function rebuildTopics(environment: FedoraEnvironment = 'prod'): string[] {
  return rebuildTopicNames.map((topic) => fullTopic(topic, environment));
}

/** The AMQP routing keys the bridge binds by default: the full topic names (no patterns). */
export const bridgeRoutingKeys = (environment: FedoraEnvironment = 'prod'): string[] =>
  rebuildTopics(environment);

/** The datagrepper `topic` filter of the pipeline's catch-up: Fedora's production history. */
export const catchUpTopics = (): string[] => rebuildTopics('prod');

/** Every prefix a topic of ours can carry (`org.fedoraproject.prod.`, …): each namespace in each environment. */
export const environmentPrefixes: readonly string[] = Object.values(NAMESPACE_PREFIX).flatMap((namespace) =>
  fedoraEnvironments.map((environment) => `${namespace}.${environment}.`),
);
