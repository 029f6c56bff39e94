import { BlobServiceClient } from '@azure/storage-blob';
import type { ServiceBusClient } from '@azure/service-bus';
import type { DependencyProbe } from '../shared/services';
import { queues } from '../shared/messaging/entities';
import type { BacklogReader } from '../shared/messaging/backlogs';
import { describeBacklogs } from '../shared/messaging/backlogs';
import type { StorageSettings } from '../shared/settings/load-settings';
import { reposContainer } from '../shared/storage';
import { credentialOf, probeStorage } from './storage';
import { defaultCredential } from './storage';
import type { StorageTarget } from './storage';

/** Storage answers when both its blob and table services do (Azurite locally, the account in Azure). */
export function storageProbe(settings: StorageSettings): DependencyProbe {
  return {
    name: 'storage',
    check: async (signal) => {
      if (settings.kind === 'connectionString') {
        await probeStorage({ connectionString: settings.connectionString });
        return 'blob and table services answer';
      }
      await new BlobServiceClient(settings.blobUrl, defaultCredential()).getProperties({
        abortSignal: signal,
      });
      return 'blob service answers (managed identity)';
    },
  };
}

/**
 * The publishing account (only when AZL_PUBLISHING_STORAGE names one) answers when Get Container Properties
 * of `repos` does: the data-plane read its blob role grants (unlike the service's properties), so a wrong
 * account or a missing role assignment shows here rather than at the first publish. A container not yet
 * created (no publish so far) still answers.
 */
export function publishingStorageProbe(target: StorageTarget): DependencyProbe {
  return {
    name: 'publishingStorage',
    check: async (signal) => {
      const service =
        'connectionString' in target
          ? BlobServiceClient.fromConnectionString(target.connectionString)
          : new BlobServiceClient(target.url, credentialOf(target));
      const exists = await service.getContainerClient(reposContainer.name).exists({ abortSignal: signal });
      return exists
        ? `'${reposContainer.name}' answers`
        : `blob service answers, no '${reposContainer.name}' yet`;
    },
  };
}

/**
 * Service Bus answers when a peek on the `ingest` queue does: that proves the connection, the credentials and
 * that the pipeline's entities exist, without taking or locking any message. The detail then gives every
 * queue's and subscription's backlog, read through the management API as in Azure (`backlogs`); a backlog
 * that cannot be read (in Azure, an identity without the Manage right) is said in the detail and does not
 * make the data plane, which answered, unhealthy.
 */
export function serviceBusProbe(client: ServiceBusClient, backlogs: BacklogReader): DependencyProbe {
  return {
    name: 'serviceBus',
    check: async (signal) => {
      const receiver = client.createReceiver(queues.ingest.name);
      try {
        await receiver.peekMessages(1, { abortSignal: signal });
      } finally {
        await receiver.close();
      }
      try {
        return `backlogs: ${describeBacklogs(await backlogs.read(signal))}`;
      } catch (error) {
        return `'${queues.ingest.name}' answers; backlogs unreadable: ${error instanceof Error ? error.message : String(error)}`;
      }
    },
  };
}
