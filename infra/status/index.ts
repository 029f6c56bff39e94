import type { BlobStore, StorageTarget, TableStore } from '../storage';
import { BlobNamePager } from './blob-pages';
import { BuildStatusReader } from './build-status-reader';
import { ComponentStatusReader } from './component-status-reader';
import { EventStatusReader } from './event-status-reader';
import { FailureStatusReader } from './failure-status-reader';
import { PlanStatusReader } from './plan-status-reader';
import type { StatusReaders } from '../../shared/status/ports';
import { RepositoryStatusReader } from './repository-status-reader';

export type * from '../../shared/status/ports';

/** The status API's readers over the stores the pipeline writes (read only, apart from creating containers). */
export function createStatusReaders(
  stores: {
    readonly tables: TableStore;
    readonly blobs: BlobStore;
    /** The publishing account (the anonymous `repos` container); default `blobs`. */
    readonly publishingBlobs?: BlobStore;
    /** Where `blobs` points: listings that page by the service's marker use it directly. */
    readonly blobTarget: StorageTarget;
  },
  distroDir: string | undefined,
): StatusReaders {
  const builds = new BuildStatusReader(stores.tables);
  const plans = new PlanStatusReader(stores.tables);
  const events = new EventStatusReader(stores.tables, stores.blobs, new BlobNamePager(stores.blobTarget));
  const components = new ComponentStatusReader(stores.tables, builds, plans, distroDir);
  const repositories = new RepositoryStatusReader({
    main: stores.blobs,
    publishing: stores.publishingBlobs ?? stores.blobs,
  });
  const failures = new FailureStatusReader(stores.tables);
  return {
    events: (outcome, page) => events.list(outcome, page),
    plans: (page) => plans.list(page),
    plan: (planId, page) => plans.get(planId, page),
    builds: (filter, page) => builds.list(filter, page),
    build: (buildId) => builds.get(buildId),
    component: (name) => components.get(name),
    repositories: (page) => repositories.list(page),
    failures: (entity, page) => failures.list(entity, page),
  };
}
