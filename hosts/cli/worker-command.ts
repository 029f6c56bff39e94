import { join } from 'node:path';
import { buildFunctionTable } from '../../functions/catalog';
import { describeError, PipelineError } from '../../shared/errors';
import { readHostConfig } from '../local/functions-host/host-config';
import { loadSettings } from '../../shared/settings/load-settings';
import { createServices } from '../../infra/composition';
import { startLocalHost } from '../local/functions-host/local-host';
import { projectRoot } from '../../infra/os/project-paths';
import type { Logger } from '../../shared/logger';
import { localPipelineEnv } from './local-pipeline-env';

export interface WorkerOptions {
  /** Work for the local pipeline started with `azl-rebuilder start` (its `.data/endpoints.json`). */
  readonly local: boolean;
  readonly dataDir: string;
}

/**
 * `azl-rebuilder worker`: the build function alone, as a process: it takes build jobs from `builds` (one
 * session, that is one component, at a time per worker slot, as host.json says) with the same handler and
 * adapters as the function app, so builds can run on a machine of their own. Runs until SIGINT/SIGTERM.
 */
export async function runWorker(options: WorkerOptions, logger: Logger): Promise<number> {
  let services;
  try {
    const settings = loadSettings(options.local ? localPipelineEnv(options.dataDir, 'worker') : process.env);
    if (!settings.planner) {
      throw PipelineError.permanent(
        'worker.not-configured',
        'set AZL_DISTRO_DIR to the distro tree to build from',
      );
    }
    services = createServices(settings, logger);
  } catch (error) {
    logger.error(
      `cannot start the worker: ${describeError(error)}`,
      PipelineError.is(error) ? { code: error.code } : {},
    );
    return 1;
  }
  const ready = services;
  const table = buildFunctionTable(() => Promise.resolve(ready)).filter((fn) => fn.name === 'build');
  const host = await startLocalHost({
    table,
    serviceBusConnections: { ServiceBusConnection: connectionString(process.env, options) },
    hostConfig: readHostConfig(join(projectRoot(), 'host.json')),
    logger,
  });
  logger.info('worker started: taking build jobs from the builds queue');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await host.stop();
  await services.close();
  logger.info('worker stopped');
  return 0;
}

function connectionString(env: NodeJS.ProcessEnv, options: WorkerOptions): string {
  const source = options.local ? localPipelineEnv(options.dataDir, 'worker') : env;
  const value = source['ServiceBusConnection'];
  if (!value) {
    throw PipelineError.permanent(
      'worker.not-configured',
      'the worker needs a ServiceBusConnection connection string (identity-based connections run in Azure)',
    );
  }
  return value;
}
