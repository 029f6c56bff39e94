import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import type { PublishingStorageSettings, StorageSettings } from '../../shared/settings/load-settings';
import type { StorageTarget } from './storage-target';

/** The Blob and Table targets of the storage settings: one connection string, or a managed identity. */
export function storageTargets(storage: StorageSettings): { blobs: StorageTarget; tables: StorageTarget } {
  if (storage.kind === 'connectionString') {
    return {
      blobs: { connectionString: storage.connectionString },
      tables: { connectionString: storage.connectionString },
    };
  }
  const credential = identityCredential(storage.clientId);
  return { blobs: { url: storage.blobUrl, credential }, tables: { url: storage.tableUrl, credential } };
}

/**
 * The Blob target of the publishing account (`AZL_PUBLISHING_STORAGE`), or `undefined` when there is none
 * and the anonymous containers share the main account's target.
 */
export function publishingBlobTarget(
  publishing: PublishingStorageSettings | undefined,
): StorageTarget | undefined {
  if (publishing === undefined) return undefined;
  if (publishing.kind === 'connectionString') return { connectionString: publishing.connectionString };
  return { url: publishing.blobUrl, credential: identityCredential(publishing.clientId) };
}

/** The user-assigned identity of `clientId`, else the default chain (system identity, developer login). */
function identityCredential(clientId: string | undefined): TokenCredential {
  return new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {});
}
