import type { PipelineStores } from '../pipeline-stores';
import { BuildWorker } from '../../shared/build-worker';
import type { Settings } from '../../shared/settings/load-settings';
import { PUBLISHING_STORAGE_SETTINGS } from '../../shared/settings/publishing-storage';
import { createContainerAppsJobDispatcher } from '../builders/container-apps';
import { RpmbuildBuilder } from '../builders/rpmbuild';
import { SyntheticBuilder, SyntheticComponentPreparer } from '../builders/synthetic';
import { ServiceBusBuildQueue, TablePlannerState } from '../planning-pass';
import { TablePendingPublishes } from '../publishing';
import { TopicEventPublisher } from '../servicebus/topic-event-publisher';
import { BlobArtifactStore } from './blob-artifact-store';
import { BlobPlanWaves } from './blob-plan-waves';
import { DistroRepositoryRouter } from './distro-repository-router';
import { FsComponentPreparer } from './fs-component-preparer';
import { RpmPackageInspector } from './rpm-package-inspector';
import { ServiceBusBuildScheduler } from './service-bus-build-scheduler';
import { ServiceBusPublishQueue } from './service-bus-publish-queue';
import { TableBuildRecords } from './table-build-records';
import { TablePlanProgress } from './table-plan-progress';

export interface ComposedBuilding {
  readonly worker?: BuildWorker;
  close(): Promise<void>;
}

/**
 * The build worker over Tables, Blob Storage and Service Bus, building with this machine's `rpmbuild`.
 * It needs the distro tree (`AZL_DISTRO_DIR`): without it there is no worker. With
 * `AZL_BUILDER=container-apps-job` the worker dispatches each build to a Container Apps Job execution, which
 * runs `azl-rebuilder worker build` (this same worker, building locally) and reports on `build-results`.
 * With `AZL_BUILDER=synthetic` (tests and benchmarks) sources are skipped and the builder writes generated
 * packages; the rest of the worker is the same.
 */
export function composeBuilding(settings: Settings, stores: PipelineStores): ComposedBuilding {
  const distroDir = settings.planner?.distroDir;
  if (!distroDir) return { close: () => Promise.resolve() };
  const cloud = settings.builder.kind === 'container-apps-job' ? settings.builder : undefined;
  const synthetic = settings.builder.kind === 'synthetic' ? settings.builder : undefined;
  const records = new TableBuildRecords(stores.tables);
  const state = new TablePlannerState(stores.tables, undefined, stores.skipInvalidRow);
  const publish = new ServiceBusPublishQueue(
    stores.serviceBus,
    new TablePendingPublishes(stores.tables, undefined, stores.skipInvalidRow),
  );
  const scheduler = new ServiceBusBuildScheduler(stores.serviceBus);
  const events = new TopicEventPublisher(stores.serviceBus, settings.instanceName);
  // A plan's later waves are sent from here, as the planning pass sends its first (same message ids).
  const releases = new ServiceBusBuildQueue(stores.serviceBus);
  const worker = new BuildWorker({
    records,
    state,
    progress: new TablePlanProgress(stores.tables, records, records.known),
    preparer: synthetic ? new SyntheticComponentPreparer(distroDir) : new FsComponentPreparer(distroDir),
    builder: synthetic ? new SyntheticBuilder(synthetic) : new RpmbuildBuilder(),
    artifacts: new BlobArtifactStore(stores.blobs),
    inspector: new RpmPackageInspector(),
    router: new DistroRepositoryRouter(distroDir),
    publish,
    scheduler,
    successes: state,
    events,
    release: { plans: new BlobPlanWaves(stores.blobs), builds: releases },
    ...(stores.telemetry ? { telemetry: stores.telemetry } : {}),
    ...(cloud
      ? { dispatcher: createContainerAppsJobDispatcher(cloud, { env: executionEnv(process.env) }) }
      : {}),
  });
  return {
    worker,
    close: async () => {
      await publish.close();
      await scheduler.close();
      await releases.close();
      await events.close();
    },
  };
}

/**
 * The app settings an execution needs to reach the same storage and Service Bus. Only identity-based settings
 * travel (a start template is an ARM request: no connection strings in it); the execution builds locally. The
 * distro tree's place does not travel: the image has its own copy and says where (builder/Dockerfile,
 * `AZL_DISTRO_DIR=/srv/distro`), while the app's is relative to the function package.
 */
const FORWARDED = [
  'AzureWebJobsStorage__accountName',
  'AzureWebJobsStorage__blobServiceUri',
  'AzureWebJobsStorage__tableServiceUri',
  'AzureWebJobsStorage__credential',
  'AzureWebJobsStorage__clientId',
  'ServiceBusConnection__fullyQualifiedNamespace',
  'ServiceBusConnection__clientId',
  'AZURE_CLIENT_ID',
  'AZL_LOG_LEVEL',
  // The identity forms only (not the connection string), so the execution composes the same accounts.
  ...PUBLISHING_STORAGE_SETTINGS.filter((name) => name.includes('__')),
];

export function executionEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const forwarded: Record<string, string> = { AZL_BUILDER: 'local', AZL_FEDORA_CATCH_UP: 'off' };
  for (const name of FORWARDED) {
    const value = env[name];
    if (value) forwarded[name] = value;
  }
  return forwarded;
}
