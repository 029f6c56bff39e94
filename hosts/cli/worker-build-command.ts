import { hostname } from 'node:os';
import type { BuildResult } from '../../shared/build';
import type { BuildRecord } from '../../shared/build-worker';
import { describeError, PipelineError } from '../../shared/errors';
import { loadSettings } from '../../shared/settings/load-settings';
import {
  buildResultsQueueFromEnv,
  readBuildRequestFromEnv,
  reportBuildResult,
} from '../../infra/builders/container-apps';
import { createServices } from '../../infra/composition';
import { closeServiceBusClient, createServiceBusClient, MessageSender } from '../../infra/servicebus';
import type { Logger } from '../../shared/logger';

/**
 * `azl-rebuilder worker build`: what a cloud build execution runs. It reads its request from
 * `AZL_BUILD_REQUEST`, builds it here with the same worker as the function app (records, artifacts, publish
 * messages), and reports a final outcome on the results queue. Exit code 0 when built (or unchanged), 4 when
 * the build failed, 3 on overlay drift, 1 when it could not run; 0 also when the worker left the build for
 * later (a retry or a wait was scheduled), since nothing is final yet.
 */
export async function runWorkerBuild(env: NodeJS.ProcessEnv, logger: Logger): Promise<number> {
  const startedAt = new Date().toISOString();
  let services;
  try {
    const request = readBuildRequestFromEnv(env);
    const settings = loadSettings({ ...env, AZL_BUILDER: 'local', AZL_FEDORA_CATCH_UP: 'off' });
    services = createServices(settings, logger);
    if (!services.buildWorker) throw PipelineError.permanent('worker.not-configured', 'set AZL_DISTRO_DIR');
    const handled = await services.buildWorker.handle(request);
    if (handled.outcome !== 'finished') {
      logger.info(`build ${request.component}: ${handled.outcome}`);
      return 0;
    }
    const client = createServiceBusClient(settings.serviceBus);
    const sender = new MessageSender(client, { queue: buildResultsQueueFromEnv(env) });
    try {
      await reportBuildResult(sender, resultOf(handled.record, env, startedAt));
    } finally {
      await sender.close();
      await closeServiceBusClient(client);
    }
    const state = handled.record.state;
    logger.info(`build ${request.component}: ${state}`, { buildId: handled.record.buildId });
    return state === 'succeeded' || state === 'unchanged' ? 0 : state === 'overlay-drift' ? 3 : 4;
  } catch (error) {
    logger.error(
      `worker build failed: ${describeError(error)}`,
      PipelineError.is(error) ? { code: error.code } : {},
    );
    return 1;
  } finally {
    await services?.close();
  }
}

function resultOf(record: BuildRecord, env: NodeJS.ProcessEnv, startedAt: string): BuildResult {
  const succeeded = record.state === 'succeeded' || record.state === 'unchanged';
  return {
    component: record.component,
    fingerprint: record.fingerprint,
    planId: record.planId,
    executionName: (env['CONTAINER_APP_JOB_EXECUTION_NAME'] ?? hostname()).slice(0, 56),
    builder: record.builder ?? 'rpmbuild',
    state: succeeded ? 'succeeded' : 'failed',
    ...(record.error
      ? {
          code: record.error.code,
          retryable: record.error.retryable,
          message: record.error.message.slice(0, 4096),
        }
      : {}),
    ...(record.logExcerpt ? { logExcerpt: record.logExcerpt.slice(-16_384) } : {}),
    artifacts: (record.artifacts ?? []).map(({ blobPath, sha256, size, kind }) => ({
      blobPath,
      sha256,
      size,
      kind,
    })),
    nevras: [...(record.nevras ?? [])],
    startedAt: record.startedAt ?? startedAt,
    finishedAt: record.finishedAt ?? new Date().toISOString(),
  };
}
