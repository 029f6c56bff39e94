import { DefaultAzureCredential } from '@azure/identity';
import type { StorageSettings } from '../../shared/settings/load-settings';
import type { StorageTarget } from './storage-target';

/** The Blob and Table targets of the storage settings: one connection string, or a managed identity. */
export function storageTargets(storage: StorageSettings): { blobs: StorageTarget; tables: StorageTarget } {
  if (storage.kind === 'connectionString') {
    return {
      blobs: { connectionString: storage.connectionString },
      tables: { connectionString: storage.connectionString },
    };
  }
  const credential = new DefaultAzureCredential(
    storage.clientId ? { managedIdentityClientId: storage.clientId } : {},
  );
  return { blobs: { url: storage.blobUrl, credential }, tables: { url: storage.tableUrl, credential } };
}
