/** Storage adapters over Azure Blob and Table storage (and Azurite locally); all failures are PipelineErrors. */
export { BlobStore } from './blob-store';
export type { BlobContent, BlobInfo, BlobListing, PutBlobOptions } from './blob-model';
export { TableStore } from './table-store';
export type { Entity, EntityKeys, QueryOptions, QueryPage, StoredEntity, WriteMode } from './table-entity';
export { classifyStorageError, storageCall } from './storage-errors';
export type { StoragePlace } from './storage-errors';
export { probeStorage } from './storage-probe';
export { accountNameFromUrl, credentialOf, defaultCredential } from './storage-target';
export type { StorageClientOptions, StorageTarget } from './storage-target';
export { CatalogueTable, ignoreInvalidRow } from './catalogue-table';
export type { InvalidRowHandler, RowPage, StoredRow, TableOf } from './catalogue-table';
export { ensureCatalogueContainer } from './catalogue-container';
export { accountOf, oneAccount } from './blob-accounts';
export type { BlobAccounts } from './blob-accounts';
