import { join } from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import { parentPort, workerData } from 'node:worker_threads';
import { buildFunctionTable, httpRoutesOf } from '../../../functions/catalog';
import { dashboardRootPaths } from '../../../functions/dashboard';
import { createServices } from '../../../infra/composition';
import { projectRoot } from '../../../infra/os/project-paths';
import { jsonLogFields } from '../../../infra/telemetry/logger';
import { startTelemetry } from '../../../infra/telemetry/start';
import { PipelineError, describeError } from '../../../shared/errors';
import type { LogFields, Logger } from '../../../shared/logger';
import type { LogLevel } from '../../../shared/log-level';
import { loadSettings } from '../../../shared/settings/load-settings';
import type { AppServices } from '../../../infra/composition';
import { readHostConfig } from '../functions-host/host-config';
import { startLocalHost } from '../functions-host/local-host';
import type { HttpInstanceData, HttpInstanceMessage } from './http-instance-protocol';
import { STOP_MESSAGE, httpInstanceDataSchema } from './http-instance-protocol';
import { definedSetting } from './defined-setting';
import { withLocalManagement } from './local-management';

/**
 * The entry of the local runtime's HTTP instance (started by http-instance.ts as a worker thread): the
 * function table's HTTP functions, served by the local host, over services of its own built from the
 * runtime's settings, as an Azure instance of the app builds its own. Telemetry is exported from here too
 * when the runtime exports (each instance exports its own, as in Azure). Logs go to the runtime's logger.
 */
async function main(port: MessagePort): Promise<void> {
  const post = (message: HttpInstanceMessage): void => port.postMessage(message);
  const logger = forwardingLogger(post, { instance: 'http' });
  const parts: { stop(): Promise<void> }[] = [];
  const stopAll = async (): Promise<void> => {
    for (const part of parts.reverse()) await part.stop().catch(() => undefined);
    parts.length = 0;
  };
  try {
    const data: HttpInstanceData = httpInstanceDataSchema.parse(workerData);
    const telemetry = startTelemetry({
      logger,
      ...definedSetting('applicationInsightsConnectionString', data.telemetry.connectionString),
      ...definedSetting('applicationInsightsAuthenticationString', data.telemetry.authenticationString),
    });
    parts.push({ stop: () => telemetry.shutdown() });
    const services: AppServices = createServices(
      withLocalManagement(loadSettings(data.settings), data.localManagement),
      logger,
    );
    parts.push({ stop: async () => services.close() });
    const host = await startLocalHost({
      table: httpRoutesOf(buildFunctionTable(async () => services)),
      serviceBusConnections: {},
      hostConfig: readHostConfig(join(projectRoot(), 'host.json')),
      http: {
        port: data.http.port,
        functionKeys: { default: data.http.functionKey },
        rootPaths: dashboardRootPaths(),
      },
      logger,
    });
    parts.push(host);
    let stopping = false;
    port.on('message', (message: unknown) => {
      if (message !== STOP_MESSAGE || stopping) return;
      stopping = true;
      void stopAll().finally(() => {
        post({ type: 'stopped' });
        port.close();
      });
    });
    post({ type: 'ready', url: host.http!.url, port: host.http!.port });
  } catch (error) {
    await stopAll();
    post({
      type: 'failed',
      error: PipelineError.is(error) ? error.toJSON() : { message: describeError(error) },
    });
    port.close();
  }
}

/** A logger that hands every line to the runtime, which writes it with its own logger (level and sink). */
function forwardingLogger(post: (message: HttpInstanceMessage) => void, bindings: LogFields): Logger {
  const write =
    (level: LogLevel) =>
    (message: string, fields?: LogFields): void =>
      post({
        type: 'log',
        level,
        message,
        fields: JSON.parse(JSON.stringify({ ...bindings, ...jsonLogFields(fields) })) as LogFields,
      });
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => forwardingLogger(post, { ...bindings, ...more }),
  };
}

if (parentPort) void main(parentPort);
