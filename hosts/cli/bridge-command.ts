import { readFileSync } from 'node:fs';
import { describeError, PipelineError } from '../../shared/errors';
import { loadSettings } from '../../shared/settings/load-settings';
import { createServices } from '../../infra/composition';
import { runBridgeProcess } from '../../infra/fedora-bridge';
import { localPipelineEnv } from './local-pipeline-env';
import type { Logger } from '../../shared/logger';

export interface BridgeOptions {
  /** JSON file with the bridge configuration (see infra/fedora-bridge/config.ts); absent: Fedora's public broker. */
  readonly config?: string;
  readonly url?: string;
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  /** Feed the local pipeline started with `azl-rebuilder start` (its `.data/endpoints.json`). */
  readonly local: boolean;
  readonly dataDir: string;
}

/**
 * `azl-rebuilder bridge`: consumes Fedora Messaging and hands every message to the pipeline's ingest service
 * (acked only once queued), with a datagrepper catch-up after every (re)connect. Runs until SIGINT/SIGTERM.
 */
export async function runBridge(options: BridgeOptions, logger: Logger): Promise<number> {
  let services;
  try {
    const env = options.local ? localPipelineEnv(options.dataDir, 'bridge') : process.env;
    services = createServices(loadSettings(env), logger);
  } catch (error) {
    logger.error(
      `cannot reach the pipeline: ${describeError(error)}`,
      PipelineError.is(error) ? { code: error.code } : {},
    );
    return 1;
  }
  const { catchUp } = services;
  try {
    const stats = await runBridgeProcess(bridgeConfig(options), {
      sink: services.ingest,
      onConnected: async () => {
        if (catchUp) await catchUp();
      },
      logger,
    });
    logger.info('bridge stopped', { ...stats });
    return 0;
  } catch (error) {
    logger.error(
      `bridge failed: ${describeError(error)}`,
      PipelineError.is(error) ? { code: error.code } : {},
    );
    return 1;
  } finally {
    await services.close();
  }
}

function bridgeConfig(options: BridgeOptions): Record<string, unknown> {
  const fromFile = options.config
    ? (JSON.parse(readFileSync(options.config, 'utf8')) as Record<string, unknown>)
    : {};
  const tls =
    options.ca || options.cert || options.key
      ? {
          ...(options.ca ? { caFile: options.ca } : {}),
          ...(options.cert ? { certFile: options.cert } : {}),
          ...(options.key ? { keyFile: options.key } : {}),
        }
      : undefined;
  return { ...fromFile, ...(options.url ? { url: options.url } : {}), ...(tls ? { tls } : {}) };
}
