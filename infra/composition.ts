import type { PipelineError } from '../shared/errors';
import type { Services } from '../shared/services';
import { normalize } from '../shared/fedora/normalize';
import { catchUpTopics } from '../shared/fedora/rebuild-topics';
import { IngestService } from '../shared/ingest/ingest-service';
import type { Settings } from '../shared/settings/load-settings';
import { publishingStorageProbe, serviceBusProbe, storageProbe } from './health-probes';
import { BlobQuarantine } from './ingest/blob-quarantine';
import { ServiceBusEventQueue } from './ingest/service-bus-event-queue';
import { TableIngestLedger } from './ingest/table-ingest-ledger';
import { DatagrepperClient, TableCheckpointStore } from './fedora';
import { runCatchUp } from '../shared/fedora/catch-up';
import { composeBuilding } from './build-worker/compose-building';
import { TableMessageFailures } from './table-message-failures';
import { composePlanning } from './planning-pass/compose-planning';
import { composeEventGrid } from './events/compose-event-grid';
import { TopicEventPublisher } from './servicebus/topic-event-publisher';
import { composePublisher, publisherOptionsFrom } from './publishing';
import { ServiceBusPublishFlushes } from './publishing/service-bus-publish-flushes';
import { composeReconcile } from './reconcile/compose-reconcile';
import { closeServiceBusClient, createServiceBusClient } from './servicebus';
import { AdministrationBacklogs, createAdministrationClient } from './servicebus/administration-backlogs';
import { allEntities } from '../shared/messaging/entities';
import { createStatusReaders } from './status';
import { TableImageBuilds } from './images/table-image-builds';
import { fileDashboardAssets } from './dashboard/file-dashboard-assets';
import { projectRoot } from './os/project-paths';
import { BlobStore, TableStore } from './storage';
import { composeImageTrigger } from './image-trigger/compose-image-trigger';
import { composeImageBuilds } from './images/compose-image-builds';
import { composeWebhooks } from './webhooks/compose-webhooks';
import { publishingBlobTarget, storageTargets } from './storage/storage-targets';
import type { Logger } from '../shared/logger';
import { otelPipelineTelemetry } from './telemetry/otel-pipeline-telemetry';

export interface AppServices extends Services {
  close(): Promise<void>;
}

/**
 * The composition root: adapters built from settings, handed to the function handlers as ports. The Azure
 * entry and the local runtime both call this; only the settings differ.
 */
export function createServices(settings: Settings, logger: Logger): AppServices {
  const serviceBus = createServiceBusClient(settings.serviceBus);
  const telemetry = otelPipelineTelemetry();
  const { blobs, tables } = storageTargets(settings.storage);
  const tableStore = new TableStore(tables);
  const blobStore = new BlobStore(blobs);
  // The anonymous containers (`repos`) in the publishing account when AZL_PUBLISHING_STORAGE names one;
  // everything else, repository state and artifacts included, stays in the main account.
  const publishingTarget = publishingBlobTarget(settings.publishingStorage);
  const publishingBlobs = publishingTarget ? new BlobStore(publishingTarget) : blobStore;
  const eventQueue = new ServiceBusEventQueue(serviceBus);
  const normalizeOptions =
    settings.rawhideRelease === undefined ? {} : { rawhideRelease: settings.rawhideRelease };
  const ingest = new IngestService({
    normalize: (message) => normalize(message, normalizeOptions),
    queue: eventQueue,
    ledger: new TableIngestLedger(tableStore),
    quarantine: new BlobQuarantine(blobStore),
    telemetry,
  });
  const catchUpDeps = settings.catchUp.enabled
    ? {
        client: new DatagrepperClient({ baseUrl: settings.catchUp.datagrepperUrl, logger }),
        checkpoints: new TableCheckpointStore(tableStore),
        sink: ingest,
        options: { topics: catchUpTopics() },
        logger,
      }
    : undefined;
  // A work-list row that does not fit its schema is left where it is and said once per read, by its place.
  const skipInvalidRow = (error: PipelineError): void =>
    logger.warn('table row skipped: it does not fit its schema', { error });
  const stores = { tables: tableStore, blobs: blobStore, serviceBus, skipInvalidRow, telemetry };
  const planning = composePlanning(settings, stores, logger);
  const building = composeBuilding(settings, stores);
  const reconcile = composeReconcile(stores);
  const publishEvents = new TopicEventPublisher(serviceBus, settings.instanceName);
  const eventGrid = composeEventGrid(settings);
  const publishFlushes = new ServiceBusPublishFlushes(serviceBus);
  const { publisher } = composePublisher(
    { blobs: blobStore, publishingBlobs, tables: tableStore, events: publishEvents, skipInvalidRow },
    {
      ...publisherOptionsFrom(settings),
      coalesceMs: settings.publishing.coalesceMs,
      flushes: publishFlushes,
      onCleanupError: (error) => logger.warn('repository cleanup failed', { error: String(error) }),
      ...commitDelay(settings.publishCommitDelayMs),
      telemetry,
    },
  );
  const imageTriggers = composeImageTrigger(settings, { tables: tableStore, serviceBus });
  const status = createStatusReaders(
    { ...stores, publishingBlobs, blobTarget: blobs },
    settings.planner?.distroDir,
  );
  const imageBuilds = composeImageBuilds(settings, {
    tables: tableStore,
    publishingBlobs,
    publishingTarget: publishingTarget ?? blobs,
    events: publishEvents,
    repositories: status.repositories,
    skipInvalidRow,
  });
  const webhooks = composeWebhooks(
    settings,
    { tables: tableStore, serviceBus, events: publishEvents, telemetry },
    logger,
  );
  return {
    logger,
    telemetry,
    dependencies: [
      storageProbe(settings.storage),
      ...(publishingTarget ? [publishingStorageProbe(publishingTarget)] : []),
      serviceBusProbe(
        serviceBus,
        new AdministrationBacklogs(createAdministrationClient(settings.serviceBus), allEntities),
      ),
    ],
    ingest,
    ...(catchUpDeps ? { catchUp: () => runCatchUp(catchUpDeps) } : {}),
    failures: new TableMessageFailures(tableStore),
    planning: planning.planning,
    ...(planning.dependencyRefresher ? { dependencyRefresher: planning.dependencyRefresher } : {}),
    publisher,
    ...(building.worker ? { buildWorker: building.worker } : {}),
    status,
    imageRecords: new TableImageBuilds(tableStore, skipInvalidRow),
    ...(imageTriggers.trigger ? { imageTrigger: imageTriggers.trigger } : {}),
    ...(imageBuilds ? { imageBuilds } : {}),
    dashboard: fileDashboardAssets(projectRoot(__dirname)),
    reconciler: reconcile.reconciler,
    webhooks: webhooks.subscriptions,
    webhookDelivery: webhooks.delivery,
    ...(eventGrid ? { eventGrid } : {}),
    close: async () => {
      await webhooks.close();
      await imageTriggers.close();
      await eventQueue.close();
      await publishEvents.close();
      await publishFlushes.close();
      await planning.close();
      await building.close();
      await reconcile.close();
      await closeServiceBusClient(serviceBus);
    },
  };
}

/** `AZL_PUBLISH_COMMIT_DELAY_MS`: the fault-injection delay before each publish's commit (crash tests). */
function commitDelay(ms: number | undefined): { beforeCommit?: () => Promise<void> } {
  return ms ? { beforeCommit: () => new Promise((resolve) => setTimeout(resolve, ms)) } : {};
}
