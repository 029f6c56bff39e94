import type { ContainerDefinition } from '../../shared/storage/container-definition';
import type { BlobStore } from './blob-store';

/**
 * The blob accounts of a deployment. `main` is the private account (the host's storage, the pipeline's
 * tables and every private container); `publishing` holds only the anonymously readable containers, so the
 * main account can forbid public access altogether. Locally, in tests and without `AZL_PUBLISHING_STORAGE`
 * both are the same store.
 */
export interface BlobAccounts {
  readonly main: BlobStore;
  readonly publishing: BlobStore;
}

/** Everything in one account, as before the publishing account existed. */
export const oneAccount = (blobs: BlobStore): BlobAccounts => ({ main: blobs, publishing: blobs });

/**
 * The store a catalogue container lives in, decided by its entry alone (the catalogue is the one place that
 * says which container is anonymous): `publicAccess` other than `none` means the publishing account.
 */
export function accountOf(
  accounts: BlobAccounts,
  entry: Pick<ContainerDefinition, 'publicAccess'>,
): BlobStore {
  return entry.publicAccess === 'none' ? accounts.main : accounts.publishing;
}
