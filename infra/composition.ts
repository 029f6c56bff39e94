import type { Services } from '../functions/services';
import type { Settings } from '../shared/settings';
import { serviceBusProbe, storageProbe } from './health-probes';
import { closeServiceBusClient, createServiceBusClient } from './servicebus';
import type { Logger } from './telemetry/logger';

export interface AppServices extends Services {
  close(): Promise<void>;
}

/**
 * The composition root: adapters built from settings, handed to the function handlers as ports. The Azure
 * entry and the local runtime both call this; only the settings differ.
 */
export function createServices(settings: Settings, logger: Logger): AppServices {
  const serviceBus = createServiceBusClient(settings.serviceBus);
  return {
    logger,
    dependencies: [storageProbe(settings.storage), serviceBusProbe(serviceBus)],
    close: () => closeServiceBusClient(serviceBus),
  };
}
