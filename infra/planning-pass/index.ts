/** Adapters of the planning ports: Tables, Blob Storage, Service Bus and the distro tree on disk. */
export { TablePendingEvents } from './table-pending-events';
export { TablePlannerState } from './table-planner-state';
export { TablePlanStore } from './table-plan-store';
export { TablePlannerLease } from './table-planner-lease';
export type { Heartbeat } from './table-planner-lease';
export { ServiceBusBuildQueue } from './service-bus-build-queue';
export { TopicEventPublisher } from '../servicebus/topic-event-publisher';
export { FsModelSource } from './fs-model-source';
export { BlobDependencySource } from './blob-dependency-source';
export { RepodataIndexRefresher } from './repodata-index-refresher';
export type { RefresherOptions } from './repodata-index-refresher';
