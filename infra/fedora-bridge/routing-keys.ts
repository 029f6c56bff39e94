import { bridgeRoutingKeys } from '../../shared/fedora/rebuild-topics';
import type { FedoraEnvironment } from '../../shared/fedora/rebuild-topics';

export type { FedoraEnvironment };

/**
 * The AMQP routing keys (= full Fedora Messaging topics) the bridge binds by default: `bridgeRoutingKeys` of
 * the one topic list (`shared/fedora/rebuild-topics.ts`), which the datagrepper catch-up reads too, so the
 * live stream and the back-fill cover the same messages.
 */
export function rebuildRoutingKeys(environment: FedoraEnvironment = 'prod'): string[] {
  return bridgeRoutingKeys(environment);
}
