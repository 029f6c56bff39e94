import { PipelineError, describeError } from '../../shared/errors';
import type { Logger } from '../telemetry/logger';
import type { LocalRuntime } from '../local/runtime/local-runtime';
import { startLocalRuntime } from '../local/runtime/local-runtime';

export interface StartOptions {
  readonly dataDir: string;
  readonly httpPort: number;
  readonly brokerPort: number;
  readonly blobPort: number;
  readonly queuePort: number;
  readonly tablePort: number;
}

/**
 * `azl-rebuilder start`: runs the pipeline locally until SIGINT or SIGTERM, then stops every part and exits.
 * Resolves with the process exit code.
 */
export async function runStart(options: StartOptions, logger: Logger): Promise<number> {
  let runtime: LocalRuntime;
  try {
    runtime = await startLocalRuntime({
      dataDir: options.dataDir,
      httpPort: options.httpPort,
      brokerPort: options.brokerPort,
      storagePorts: { blob: options.blobPort, queue: options.queuePort, table: options.tablePort },
      logger,
    });
  } catch (error) {
    const fields = error instanceof PipelineError ? { code: error.code, context: error.context } : {};
    logger.error(`could not start the local pipeline: ${describeError(error)}`, fields);
    return 1;
  }
  const { endpoints } = runtime;
  logger.info('local pipeline ready', {
    health: endpoints.healthUrl,
    api: endpoints.apiBaseUrl,
    endpointsFile: runtime.endpointsFile,
  });
  process.stdout.write(
    `azl-rebuilder is running.\n  health:    ${endpoints.healthUrl}\n  api:       ${endpoints.apiBaseUrl}` +
      ` (header x-functions-key, see ${runtime.endpointsFile})\n  stop with Ctrl-C\n`,
  );
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  logger.info('stopping the local pipeline', { signal });
  await runtime.stop();
  logger.info('stopped');
  return 0;
}
