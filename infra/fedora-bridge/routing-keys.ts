import { rebuildTopics } from '../../shared/fedora/rebuild-topics';
import type { FedoraEnvironment } from '../../shared/fedora/rebuild-topics';

export type { FedoraEnvironment };

/**
 * The AMQP routing keys (= full Fedora Messaging topics) the bridge binds by default: the same topics the
 * datagrepper catch-up reads (`shared/fedora/rebuild-topics.ts`), so the live stream and the back-fill cover
 * the same messages. Bound narrowly on purpose: `…buildsys.#` would also bring `buildsys.rpm.sign`, which
 * fires once per RPM per signing key and is of no use here.
 */
export function rebuildRoutingKeys(environment: FedoraEnvironment = 'prod'): string[] {
  return rebuildTopics(environment);
}
