import { RepositoryPublisher } from '../../shared/publishing';
import type { PublisherOptions } from '../../shared/publishing';
import type { PipelineEventPublisher } from '../../shared/messaging/pipeline-event';
import type { Settings } from '../../shared/settings/load-settings';
import type { BlobStore, InvalidRowHandler, TableStore } from '../storage';
import { BlobRepositoryStore, DEFAULT_CONTAINERS } from './blob-repository-store';
import type { RepositoryContainers } from './blob-repository-store';
import { TablePendingPublishes } from './table-pending-publishes';

export interface PublishingStores {
  /** The main account: repository state and artifacts (and, without `publishingBlobs`, the repositories). */
  readonly blobs: BlobStore;
  /** The publishing account, where the anonymous `repos` container lives; default `blobs`. */
  readonly publishingBlobs?: BlobStore;
  readonly tables: TableStore;
  /** The `events` topic; absent (the CLI without Service Bus) means no `repo.published` event is sent. */
  readonly events?: PipelineEventPublisher;
  /** Where a pending request row that does not fit its schema is reported (default: left out silently). */
  readonly skipInvalidRow?: InvalidRowHandler;
}

export interface PublishingLayout {
  readonly containers?: RepositoryContainers;
  readonly pendingTable?: string;
}

const noEvents: PipelineEventPublisher = { publish: () => Promise.resolve() };

/** The publisher's retention and grace period from the app settings (`AZL_REPO_KEEP_BUILDS`, `AZL_REPO_GRACE_SECONDS`). */
export const publisherOptionsFrom = (settings: Pick<Settings, 'publishing'>): PublisherOptions => ({
  keepBuilds: settings.publishing.keepBuilds,
  graceMs: settings.publishing.graceMs,
});

/** The repository publisher over Blob Storage (repositories, state, artifacts) and Tables (pending requests). */
export function composePublisher(
  stores: PublishingStores,
  options: PublisherOptions & PublishingLayout = {},
): { publisher: RepositoryPublisher; store: BlobRepositoryStore; pending: TablePendingPublishes } {
  const store = new BlobRepositoryStore(
    { main: stores.blobs, publishing: stores.publishingBlobs ?? stores.blobs },
    options.containers ?? DEFAULT_CONTAINERS,
  );
  const pending = new TablePendingPublishes(stores.tables, options.pendingTable, stores.skipInvalidRow);
  return {
    publisher: new RepositoryPublisher(store, pending, stores.events ?? noEvents, options),
    store,
    pending,
  };
}
