import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFunctionTable } from '../../../functions/catalog';
import { dashboardRootPaths } from '../../../functions/dashboard';
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
import type { RunningLocalHost } from '../functions-host/local-host';
import { startLocalHost } from '../functions-host/local-host';
import type { Endpoints } from './endpoints-file';
import { removeEndpoints, writeEndpoints } from './endpoints-file';
import { localFunctionKey } from './function-key';
import { startRunDiagnostics } from './run-diagnostics';
import { LOCAL_BROKER_KEY_NAME, localBrokerKey } from './broker-key';
import { projectRoot } from '../../../infra/os/project-paths';
import { startTelemetry } from '../../../infra/telemetry/start';
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
 * the same function table as Azure.
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

    const settings = loadSettings({
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
    // The host's own clients use the plain connection (the SDK's AMQP client cannot be told to trust a
    // certificate in-process); the health check's administration client reads backlogs over the TLS port.
    const services = createServices(
      broker.secure
        ? {
            ...settings,
            serviceBus: {
              ...settings.serviceBus,
              localManagement: {
                connectionString: broker.secure.connectionString,
                trustedCertificate: readFileSync(broker.secure.certificatePath, 'utf8'),
              },
            },
          }
        : settings,
      logger,
    );
    const functionKey = localFunctionKey(dataDir);
    const host: RunningLocalHost = await startLocalHost({
      table: buildFunctionTable(async () => services),
      serviceBusConnections: { ServiceBusConnection: broker.connectionString },
      hostConfig: readHostConfig(join(projectRoot(), 'host.json')),
      http: {
        port: options.httpPort,
        functionKeys: { default: functionKey },
        rootPaths: dashboardRootPaths(),
      },
      logger,
    });
    started.push(host, { stop: async () => services.close() });

    const endpoints: Endpoints = {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      httpBaseUrl: host.httpUrl,
      apiBaseUrl: `${host.httpUrl}/api`,
      healthUrl: `${host.httpUrl}/api/health`,
      dashboardUrl: dashboardUrl(host.httpUrl, functionKey),
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

function definedSetting<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return value?.trim() ? ({ [key]: value } as { [P in K]?: string }) : {};
}
