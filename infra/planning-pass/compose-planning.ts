import type { PipelineStores } from '../pipeline-stores';
import { defaultPolicy } from '../../shared/planner';
import { holdOnly, PlanningService } from '../../shared/planning-pass';
import type { DependencyRefresher, Planning } from '../../shared/planning-pass';
import type { Settings } from '../../shared/settings/load-settings';
import type { Logger } from '../../shared/logger';
import { BlobDependencySource } from './blob-dependency-source';
import { FsModelSource } from './fs-model-source';
import { RepodataIndexRefresher } from './repodata-index-refresher';
import { ServiceBusBuildQueue } from './service-bus-build-queue';
import { TablePendingEvents } from './table-pending-events';
import { TablePlanStore } from './table-plan-store';
import { TablePlannerLease } from './table-planner-lease';
import { TablePlannerState } from './table-planner-state';
import { TopicEventPublisher } from '../servicebus/topic-event-publisher';

export interface ComposedPlanning {
  readonly planning: Planning;
  readonly dependencyRefresher?: DependencyRefresher;
  close(): Promise<void>;
}

/** The planning service over Tables, Blob Storage and Service Bus, as the settings configure it. */
export function composePlanning(
  settings: Settings,
  stores: PipelineStores,
  logger: Logger,
): ComposedPlanning {
  const pending = new TablePendingEvents(stores.tables, stores.skipInvalidRow);
  const config = settings.planner;
  if (!config) return { planning: holdOnly(pending), close: () => Promise.resolve() };
  const builds = new ServiceBusBuildQueue(stores.serviceBus);
  const events = new TopicEventPublisher(stores.serviceBus, settings.instanceName);
  const refresher = config.dependencies
    ? new RepodataIndexRefresher(stores.blobs, config.dependencies, logger)
    : undefined;
  const planning = new PlanningService({
    pending,
    state: new TablePlannerState(stores.tables, undefined, stores.skipInvalidRow),
    plans: new TablePlanStore(stores.tables, stores.blobs),
    builds,
    events,
    model: new FsModelSource(config.distroDir),
    dependencies: new BlobDependencySource(stores.blobs),
    ...(refresher ? { refresher } : {}),
    lease: new TablePlannerLease(stores.tables),
    burst: config.burst,
    policy: {
      ...defaultPolicy,
      debounceMs: config.debounceMs,
      budget: config.budget,
      ...(settings.rawhideRelease === undefined ? {} : { rawhide: settings.rawhideRelease }),
    },
    ...(stores.telemetry ? { telemetry: stores.telemetry } : {}),
  });
  return {
    planning,
    ...(refresher ? { dependencyRefresher: refresher } : {}),
    close: async () => {
      await builds.close();
      await events.close();
    },
  };
}
