import { join } from 'node:path';
import { buildFunctionTable } from '../../../functions/catalog';
import { readHostConfig } from '../functions-host/host-config';
import { allEntities } from '../../../shared/messaging/entities';
import { loadSettings } from '../../../shared/settings/load-settings';
import { withoutPublishingStorage } from '../../../shared/settings/publishing-storage';
import { createServices } from '../../../infra/composition';
import type { Logger } from '../../../shared/logger';
import type { SupervisedAzurite } from '../../../infra/local/azurite-supervisor';
import { startSupervisedAzurite } from '../../../infra/local/azurite-supervisor';
import type { RunningBroker } from '../../../infra/local/broker/broker';
import { startBroker } from '../../../infra/local/broker/broker';
import { startLocalHost } from '../functions-host/local-host';
import type { Endpoints } from './endpoints-file';
import { removeEndpoints, writeEndpoints } from './endpoints-file';
import { localFunctionKey } from './function-key';
import { startRunDiagnostics } from './run-diagnostics';
import { LOCAL_BROKER_KEY_NAME, localBrokerKey } from './broker-key';
import { projectRoot } from '../../../infra/os/project-paths';
import { startTelemetry } from '../../../infra/telemetry/start';
import { definedSetting } from './defined-setting';
import { withLocalManagement } from './local-management';
import { startHttpInstance } from './http-instance';
import { APPLICATIONINSIGHTS_AUTHENTICATION_STRING } from '../../../shared/telemetry/authentication-string';

export interface LocalRuntimeOptions {
  readonly dataDir: string;
  /** 0 picks a free port. Defaults: the Functions host's 7071, AMQP's 5672, Azurite's 10000-10002. */
  readonly httpPort: number;
  readonly brokerPort: number;
  /**
   * The broker's TLS port (AMQPS and the management API over HTTPS). Absent: 5671, AMQPS's own, beside the
   * default `brokerPort` 5672; a free port beside any other (tests pick theirs, and must not collide on 5671).
   */
  readonly brokerSecurePort?: number;
  readonly storagePorts: { readonly blob: number; readonly queue: number; readonly table: number };
  readonly logger: Logger;
  /** App settings for this run, over the environment (the demo's distro tree, `--live`). */
  readonly settings?: Readonly<Record<string, string>>;
}

export interface LocalRuntime {
  readonly endpoints: Endpoints;
  readonly endpointsFile: string;
  stop(): Promise<void>;
}

/**
 * The whole pipeline on one machine: Azurite (storage, started again if it exits), the local Service Bus
 * broker (journaled under the data folder, so queued messages survive a restart), and the local host driving
 * the same function table as Azure: its Service Bus and timer functions on this thread, its HTTP functions on
 * an instance of their own (a worker thread, started again if it exits; http-instance.ts), as Flex
 * Consumption scales them apart.
 * Whatever started is stopped again if a later step fails.
 *
 * With `APPLICATIONINSIGHTS_CONNECTION_STRING` set (in the environment or the run's settings) it exports to
 * Application Insights as the Azure entry does (functions/bootstrap.ts), before anything else starts, and
 * flushes on stop. What the run costs (memory, storage operations, messages held) is in `diagnostics.json`
 * beside `endpoints.json` (run-diagnostics.ts). The local host opens no request of its own, so each Service Bus invocation's CONSUMER span
 * is its request (see `serviceBusFunction`).
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const { dataDir, logger } = options;
  const started: { stop(): Promise<void> }[] = [];
  const stopAll = async (): Promise<void> => {
    for (const part of started.reverse()) await part.stop().catch(() => undefined);
    started.length = 0;
  };
  try {
    const appSettings = { ...process.env, ...options.settings };
    const telemetry = startTelemetry({
      logger,
      ...definedSetting(
        'applicationInsightsConnectionString',
        appSettings.APPLICATIONINSIGHTS_CONNECTION_STRING,
      ),
      ...definedSetting(
        'applicationInsightsAuthenticationString',
        appSettings[APPLICATIONINSIGHTS_AUTHENTICATION_STRING],
      ),
    });
    // First in, so stopped last: the shutdown flushes what the other parts recorded while stopping.
    started.push({ stop: () => telemetry.shutdown() });
    const storage: SupervisedAzurite = await startSupervisedAzurite({
      persistence: { location: join(dataDir, 'azurite') },
      blobPort: options.storagePorts.blob,
      queuePort: options.storagePorts.queue,
      tablePort: options.storagePorts.table,
      logger,
    });
    started.push(storage);
    const broker: RunningBroker = await startBroker({
      entities: allEntities,
      port: options.brokerPort,
      journalPath: join(dataDir, 'servicebus', 'journal.jsonl'),
      secure: {
        certificateDir: join(dataDir, 'servicebus', 'tls'),
        sharedAccessKeys: { [LOCAL_BROKER_KEY_NAME]: localBrokerKey(dataDir) },
        port: options.brokerSecurePort ?? (options.brokerPort === 5672 ? 5671 : 0),
      },
      logger,
    });
    started.push(broker);
    // Stopped after the host (parts stop in reverse), so its last write counts the whole run.
    started.push(startRunDiagnostics(dataDir, broker.namespace));

    // The app settings of this run, for the services of both instances (this thread's and the HTTP one's).
    const settingsEnv = definedValues({
      // The local demo does not follow the real Fedora: no datagrepper polling unless asked for.
      AZL_FEDORA_CATCH_UP: 'off',
      // Receivers on this machine (`webhooks listen`, tests) may subscribe with http://127.0.0.1 URLs.
      AZL_WEBHOOK_ALLOW_LOOPBACK: 'true',
      ...process.env,
      // One Azurite account holds everything locally: a publishing account exported in the shell is not used.
      ...withoutPublishingStorage(),
      ...options.settings,
      AzureWebJobsStorage: storage.connectionString,
      ServiceBusConnection: broker.connectionString,
    });
    const localManagement = broker.secure && {
      connectionString: broker.secure.connectionString,
      certificatePath: broker.secure.certificatePath,
    };
    const services = createServices(withLocalManagement(loadSettings(settingsEnv), localManagement), logger);
    started.push({ stop: async () => services.close() });
    const functionKey = localFunctionKey(dataDir);
    // The HTTP functions on an instance of their own, as Flex Consumption runs them (http-instance.ts); this
    // thread runs the Service Bus and timer functions. Both start at once: the HTTP instance loads its
    // modules on another thread meanwhile.
    const [http] = await startedTogether(
      started,
      startHttpInstance({
        data: {
          settings: settingsEnv,
          ...(localManagement ? { localManagement } : {}),
          http: { port: options.httpPort, functionKey },
          telemetry: {
            ...definedSetting('connectionString', appSettings.APPLICATIONINSIGHTS_CONNECTION_STRING),
            ...definedSetting('authenticationString', appSettings[APPLICATIONINSIGHTS_AUTHENTICATION_STRING]),
          },
        },
        logger,
      }),
      startLocalHost({
        table: buildFunctionTable(async () => services).filter((fn) => fn.kind !== 'http'),
        serviceBusConnections: { ServiceBusConnection: broker.connectionString },
        hostConfig: readHostConfig(join(projectRoot(), 'host.json')),
        logger,
      }),
    );

    const endpoints: Endpoints = {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      httpBaseUrl: http.url,
      apiBaseUrl: `${http.url}/api`,
      healthUrl: `${http.url}/api/health`,
      dashboardUrl: dashboardUrl(http.url, functionKey),
      functionKey,
      serviceBusConnectionString: broker.connectionString,
      ...(broker.secure
        ? {
            serviceBusTlsConnectionString: broker.secure.connectionString,
            serviceBusCertificatePath: broker.secure.certificatePath,
          }
        : {}),
      storageConnectionString: storage.connectionString,
    };
    const endpointsFile = writeEndpoints(dataDir, endpoints);
    return {
      endpoints,
      endpointsFile,
      stop: async () => {
        removeEndpoints(dataDir);
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * The dashboard with the key in the URL fragment: browsers never send a fragment to the server, and the page
 * moves the key to session storage and out of the address bar.
 */
export const dashboardUrl = (httpBaseUrl: string, functionKey: string): string =>
  `${httpBaseUrl}/dashboard#key=${encodeURIComponent(functionKey)}`;

/**
 * Waits for parts started at once, and keeps every one that started in `started` (so a failure stops them
 * too); rejects with the first failure.
 */
async function startedTogether<A extends Stoppable, B extends Stoppable>(
  started: Stoppable[],
  first: Promise<A>,
  second: Promise<B>,
): Promise<[A, B]> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === 'fulfilled') started.push(a.value);
  if (b.status === 'fulfilled') started.push(b.value);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return [a.value, b.value];
}

interface Stoppable {
  stop(): Promise<void>;
}

/** The environment's entries that have a value (`process.env` types every entry as possibly undefined). */
function definedValues(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
