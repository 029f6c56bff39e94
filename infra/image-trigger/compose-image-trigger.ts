import type { ServiceBusClient } from '@azure/service-bus';
import { imageTargets } from '../../shared/images/image-repositories';
import { ImageTrigger } from '../../shared/images/image-trigger-service';
import type { ImageSettings, PlannerSettings } from '../../shared/settings/load-settings';
import { sharedDistroTree } from '../distro/distro-tree-cache';
import type { TableStore } from '../storage';
import { ServiceBusImageBuildQueue } from './service-bus-image-build-queue';
import { TableImageTriggerState } from './table-image-trigger-state';

/**
 * The image build trigger from settings: absent without a distro tree (`AZL_DISTRO_DIR`). The tree's image
 * names are read on first use from the process's shared tree (again when a file of the folder changes), so a
 * tree that does not load fails the image functions, not the app's start.
 */
export function composeImageTrigger(
  settings: { readonly planner?: PlannerSettings; readonly images: ImageSettings },
  stores: { readonly tables: TableStore; readonly serviceBus: ServiceBusClient },
): { readonly trigger?: ImageTrigger; close(): Promise<void> } {
  const distroDir = settings.planner?.distroDir;
  if (distroDir === undefined) return { close: () => Promise.resolve() };
  const queue = new ServiceBusImageBuildQueue(stores.serviceBus);
  const tree = sharedDistroTree(distroDir);
  const trigger = new ImageTrigger({
    images: () =>
      tree.derive('image-targets', ({ tree: loaded }) =>
        imageTargets(Object.keys(loaded.images).sort(), settings.images.arch),
      ).value,
    state: new TableImageTriggerState(stores.tables),
    queue,
    quietMs: settings.images.quietMs,
  });
  return { trigger, close: () => queue.close() };
}
