/** Publishing adapters: repositories in Blob Storage, pending publish requests in Tables. */
export { BlobRepositoryStore, DEFAULT_CONTAINERS } from './blob-repository-store';
export type { RepositoryContainers } from './blob-repository-store';
export { TablePendingPublishes } from './table-pending-publishes';
export { composePublisher, publisherOptionsFrom } from './compose-publishing';
export type { PublishingLayout, PublishingStores } from './compose-publishing';
