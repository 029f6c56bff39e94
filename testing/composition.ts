import type { ServiceBusClient } from '@azure/service-bus';
import { createServices } from '../infra/composition';
import type { AppServices } from '../infra/composition';
import { silentLogger } from '../shared/logger';
import { allEntities } from '../shared/messaging/entities';
import { loadSettings } from '../shared/settings/load-settings';
import type { Env } from '../shared/settings/load-settings';
import { azuriteConnectionString } from './azurite';
import { useLocalBroker } from './broker/local-broker';
import { useStarted } from './lifecycle';

/** The app's services as the Functions host composes them, with the broker they talk to. */
export interface ComposedApp {
  readonly services: AppServices;
  /** The local broker's connection string (`ServiceBusConnection`). */
  readonly serviceBusConnection: string;
  /** An `@azure/service-bus` client on that broker. */
  readonly client: ServiceBusClient;
}

/**
 * `createServices` over app settings, as the Functions host runs it, for the tests of a block: on the run's
 * Azurite and a local broker serving every entity of the pipeline. `settings` are the app settings besides
 * those two connections, worked out when the block starts (so they may name folders made by then).
 */
export function useComposedServices(settings: () => Env = () => ({})): ComposedApp {
  const broker = useLocalBroker({ entities: allEntities });
  const services = useStarted(
    'the composed services',
    async () =>
      createServices(
        loadSettings({
          AzureWebJobsStorage: azuriteConnectionString(),
          ServiceBusConnection: broker.connectionString,
          ...settings(),
        }),
        silentLogger,
      ),
    (started) => started.close(),
  );
  return {
    get services() {
      return services();
    },
    get serviceBusConnection() {
      return broker.connectionString;
    },
    get client() {
      return broker.client;
    },
  };
}
