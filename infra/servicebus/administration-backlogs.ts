import { DefaultAzureCredential } from '@azure/identity';
import { ServiceBusAdministrationClient } from '@azure/service-bus';
import type { TokenCredential } from '@azure/service-bus';
import type { BacklogReader, EntityBacklog } from '../../shared/messaging/backlogs';
import type { EntityDefinition } from '../../shared/messaging/entities';
import type { ServiceBusSettings } from '../../shared/settings/load-settings';

/**
 * The administration client for the namespace of `settings`, as `createServiceBusClient` makes the data-plane
 * one: a connection string (its SAS key signs each request), or the namespace host with DefaultAzureCredential
 * (in Azure the managed identity; reading entities takes a role with the Manage right, Service Bus Data Owner).
 * Locally the broker's management API sits on its TLS port, with a certificate this client is told to trust.
 */
export function createAdministrationClient(
  settings: ServiceBusSettings,
  credential?: TokenCredential,
): ServiceBusAdministrationClient {
  const options = { retryOptions: { maxRetries: 1 } };
  if (settings.localManagement) {
    const { connectionString, trustedCertificate } = settings.localManagement;
    return new ServiceBusAdministrationClient(connectionString, {
      ...options,
      tlsOptions: { ca: trustedCertificate },
    });
  }
  if (settings.kind === 'connectionString') {
    return new ServiceBusAdministrationClient(settings.connectionString, options);
  }
  return new ServiceBusAdministrationClient(
    settings.fullyQualifiedNamespace,
    credential ??
      new DefaultAzureCredential(
        settings.clientId === undefined ? {} : { managedIdentityClientId: settings.clientId },
      ),
    options,
  );
}

/**
 * Backlogs from the runtime properties the management API reports: one read per queue and per subscription
 * of `entities` (the pipeline's definitions), in parallel.
 */
export class AdministrationBacklogs implements BacklogReader {
  constructor(
    private readonly client: ServiceBusAdministrationClient,
    private readonly entities: readonly EntityDefinition[],
  ) {}

  async read(signal?: AbortSignal): Promise<readonly EntityBacklog[]> {
    const options = signal ? { abortSignal: signal } : {};
    const reads = this.entities.flatMap((entity): Promise<EntityBacklog>[] =>
      entity.kind === 'queue'
        ? [this.client.getQueueRuntimeProperties(entity.name, options).then((p) => backlog(entity.name, p))]
        : entity.subscriptions.map((subscription) =>
            this.client
              .getSubscriptionRuntimeProperties(entity.name, subscription.name, options)
              .then((p) => backlog(`${entity.name}/${subscription.name}`, p)),
          ),
    );
    return Promise.all(reads);
  }
}

function backlog(
  entity: string,
  counts: { activeMessageCount: number; deadLetterMessageCount: number; scheduledMessageCount?: number },
): EntityBacklog {
  return {
    entity,
    active: counts.activeMessageCount,
    deadLettered: counts.deadLetterMessageCount,
    scheduled: counts.scheduledMessageCount ?? 0,
  };
}
