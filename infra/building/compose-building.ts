import { BuildWorker } from '../../shared/building';
import type { Settings } from '../../shared/settings';
import { RpmbuildBuilder } from '../builders/rpmbuild';
import { TablePlannerState } from '../planning';
import { TablePendingPublishes } from '../publishing';
import { TopicEventPublisher } from '../planning/topic-event-publisher';
import type { ServiceBusClient } from '../servicebus';
import type { BlobStore, TableStore } from '../storage';
import { BlobArtifactStore } from './blob-artifact-store';
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
 * `AZL_BUILDER=container-apps-job` the build itself runs in a Container Apps Job execution; that path is
 * dispatched by `infra/builders/container-apps/` and not wired here yet.
 */
export function composeBuilding(
  settings: Settings,
  stores: { readonly tables: TableStore; readonly blobs: BlobStore; readonly serviceBus: ServiceBusClient },
): ComposedBuilding {
  const distroDir = settings.planner?.distroDir;
  if (!distroDir || settings.builder.kind !== 'local') return { close: () => Promise.resolve() };
  const records = new TableBuildRecords(stores.tables);
  const state = new TablePlannerState(stores.tables);
  const publish = new ServiceBusPublishQueue(stores.serviceBus, new TablePendingPublishes(stores.tables));
  const scheduler = new ServiceBusBuildScheduler(stores.serviceBus);
  const events = new TopicEventPublisher(stores.serviceBus);
  const worker = new BuildWorker({
    records,
    latest: state,
    progress: new TablePlanProgress(stores.tables, records),
    preparer: new FsComponentPreparer(distroDir),
    builder: new RpmbuildBuilder(),
    artifacts: new BlobArtifactStore(stores.blobs),
    inspector: new RpmPackageInspector(),
    router: new DistroRepositoryRouter(distroDir),
    publish,
    scheduler,
    successes: state,
    events,
  });
  return {
    worker,
    close: async () => {
      await publish.close();
      await scheduler.close();
      await events.close();
    },
  };
}
