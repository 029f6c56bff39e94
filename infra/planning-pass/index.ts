/** Adapters of the planning ports: Tables, Blob Storage, Service Bus and the distro tree on disk. */
export { TablePendingEvents, PENDING_EVENTS_TABLE } from './table-pending-events';
export { TablePlannerState, COMPONENT_STATE_TABLE, PLANNED_EVENTS_TABLE } from './table-planner-state';
export { TablePlanStore, PLANS_TABLE, PLAN_ITEMS_TABLE, PLANS_CONTAINER } from './table-plan-store';
export { TablePlannerLease, LEASES_TABLE } from './table-planner-lease';
export { ServiceBusBuildQueue } from './service-bus-build-queue';
export { TopicEventPublisher } from '../servicebus/topic-event-publisher';
export { FsModelSource } from './fs-model-source';
export { BlobDependencySource, DEPS_CONTAINER, DEPS_INDEX_BLOB } from './blob-dependency-source';
export { RepodataIndexRefresher } from './repodata-index-refresher';
export type { RefresherOptions } from './repodata-index-refresher';
