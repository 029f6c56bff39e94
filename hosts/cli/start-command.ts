import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PipelineError, describeError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import type { LocalRuntime } from '../local/runtime/local-runtime';
import { startLocalRuntime } from '../local/runtime/local-runtime';
import type { DemoFedora } from '../local/demo/demo-fedora';
import { startDemoFedora } from '../local/demo/demo-fedora';
import { runDemo } from '../local/demo/run-demo';
import { waitForDemoImage } from '../local/demo/demo-image';
import type { DemoImageSummary } from '../local/demo/demo-image';
import { WebhookApiClient } from '../../infra/webhooks/webhook-api-client';
import { recordStartWebhooks, subscribeStartWebhooks } from './start-webhooks';

export interface StartOptions {
  readonly dataDir: string;
  readonly httpPort: number;
  readonly brokerPort: number;
  readonly blobPort: number;
  readonly queuePort: number;
  readonly tablePort: number;
  /** Run the demo (a small Fedora, a distro tree, a replay of messages); default on. */
  readonly demo: boolean;
  /** Follow the real Fedora (datagrepper catch-up) for the distro tree in `config`. */
  readonly live: boolean;
  /**
   * A distro tree (folder of `azldev.toml`). Without `live` the pipeline runs for it without following Fedora
   * (no catch-up; messages arrive by `replay` or HTTP), and the demo does not run (it brings its own tree).
   */
  readonly config?: string;
  /** URLs to subscribe to every event once the HTTP host is up, before the demo runs. */
  readonly webhook?: readonly string[];
}

/**
 * `azl-rebuilder start`: runs the pipeline locally until SIGINT or SIGTERM, then stops every part and exits.
 * Resolves with the process exit code.
 */
export async function runStart(options: StartOptions, logger: Logger): Promise<number> {
  let runtime: LocalRuntime;
  let demo: DemoFedora | undefined;
  try {
    if (options.live && !options.config) {
      throw PipelineError.permanent(
        'start.invalid',
        '--live follows a real distribution tree: give it with --config <dir>',
      );
    }
    const tree = options.config === undefined ? undefined : distroTreeDir(options.config);
    const useDemo = options.demo && !tree;
    if (useDemo) demo = await startDemoFedora(options.dataDir);
    const settings: Record<string, string> = demo
      ? {
          AZL_DISTRO_DIR: demo.distroDir,
          AZL_PLANNER_DEBOUNCE_SECONDS: '0',
          AZL_PLANNER_QUIET_SECONDS: '0',
          AZL_FEDORA_CATCH_UP: 'off',
          // The demo image is built a few seconds after the last publish, in the data folder. Its repositories
          // coalesce for a second only: a quiet period no longer than the coalescing window would see the gap
          // before a deferred revision as quiet (in Azure: 300 s against 10 s).
          AZL_IMAGE_QUIET_SECONDS: '3',
          AZL_REPO_COALESCE_SECONDS: '1',
          AZL_IMAGE_WORK_DIR: resolve(options.dataDir, 'image-builds'),
        }
      : tree
        ? { AZL_DISTRO_DIR: tree, AZL_FEDORA_CATCH_UP: options.live ? 'on' : 'off' }
        : {};
    runtime = await startLocalRuntime({
      settings,
      dataDir: options.dataDir,
      httpPort: options.httpPort,
      brokerPort: options.brokerPort,
      storagePorts: { blob: options.blobPort, queue: options.queuePort, table: options.tablePort },
      logger,
    });
  } catch (error) {
    await demo?.stop();
    const fields = error instanceof PipelineError ? { code: error.code, context: error.context } : {};
    logger.error(`could not start the local pipeline: ${describeError(error)}`, fields);
    return 1;
  }
  const { endpoints } = runtime;
  if (options.webhook && options.webhook.length > 0) {
    try {
      const client = new WebhookApiClient({
        apiBaseUrl: endpoints.apiBaseUrl,
        functionKey: endpoints.functionKey,
      });
      const webhooks = await subscribeStartWebhooks(client, options.webhook);
      recordStartWebhooks(options.dataDir, endpoints, webhooks);
      process.stdout.write(
        webhooks
          .map(
            (w) => `webhook ${w.id} → ${w.url}\n  secret: ${w.secret} (also in ${runtime.endpointsFile})\n`,
          )
          .join(''),
      );
    } catch (error) {
      const fields = error instanceof PipelineError ? { code: error.code, context: error.context } : {};
      logger.error(`could not subscribe the --webhook URLs: ${describeError(error)}`, fields);
      await runtime.stop();
      await demo?.stop();
      return 1;
    }
  }
  logger.info('local pipeline ready', {
    health: endpoints.healthUrl,
    api: endpoints.apiBaseUrl,
    endpointsFile: runtime.endpointsFile,
  });
  process.stdout.write(
    `azl-rebuilder is running.\n  dashboard: ${endpoints.dashboardUrl}\n  health:    ${endpoints.healthUrl}` +
      `\n  api:       ${endpoints.apiBaseUrl} (header x-functions-key, see ${runtime.endpointsFile})` +
      `\n  stop with Ctrl-C\n`,
  );
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  if (demo) await showDemo(runtime, demo, logger);
  const signal = await stopped;
  logger.info('stopping the local pipeline', { signal });
  await runtime.stop();
  await demo?.stop();
  logger.info('stopped');
  return 0;
}

/** `--config`'s folder, absolute, once it is seen to hold a distro tree (`start.invalid` otherwise). */
function distroTreeDir(config: string): string {
  const dir = resolve(config);
  if (!existsSync(join(dir, 'azldev.toml'))) {
    throw PipelineError.permanent(
      'start.invalid',
      `--config names a distro tree, the folder of azldev.toml: ${dir} has none`,
    );
  }
  return dir;
}

/** The image's lines of the demo's summary: where to download it and what is (and is not) inside. */
function describeDemoImage(image: DemoImageSummary): string {
  if (image.state !== 'published' || !image.vhdUrl)
    return `image ${image.image}: ${image.state}${image.error ? ` (${image.error.code}: ${image.error.message})` : ''}\n`;
  return (
    `image ${image.image} ${image.version ?? ''}: published\n` +
    `  VHD:      ${image.vhdUrl}\n` +
    `  manifest: ${image.manifestUrl ?? ''}\n` +
    `  installed: ${image.packages.join(' ')}\n` +
    (image.missing.length > 0 ? `  left out (no repository has them): ${image.missing.join(' ')}\n` : '') +
    (image.unresolved > 0 ? `  unmet dependencies: ${image.unresolved} (see the manifest)\n` : '') +
    `check it with:\n  curl -sO ${image.vhdUrl} && qemu-img info -f vpc ${image.vhdUrl.split('/').pop() ?? ''}\n`
  );
}

/** Replays the demo's messages and prints progress, then the summary and the dnf command. */
async function showDemo(runtime: LocalRuntime, demo: DemoFedora, logger: Logger): Promise<void> {
  const out = (line: string) => process.stdout.write(`  ${line}\n`);
  process.stdout.write('demo: replaying Fedora messages about the small Fedora into the pipeline\n');
  try {
    const summary = await runDemo(runtime.endpoints, demo.packages, { logger, out });
    const line = (label: string, counts: Record<string, number>) =>
      `  ${label}: ${
        Object.entries(counts)
          .map(([k, v]) => `${v} ${k}`)
          .join(', ') || 'none'
      }\n`;
    process.stdout.write(
      `demo summary${summary.settled ? '' : ' (not settled yet: still working)'}\n` +
        line('events', summary.events) +
        `  plans: ${summary.plans}\n` +
        line('builds', summary.builds) +
        summary.repositories
          .map((r) => `  repository ${r.repository}: revision ${r.revision}, ${r.packages} packages\n`)
          .join('') +
        `list the published packages with:\n  ${summary.dnf}\n` +
        `or put its .repo file into /etc/yum.repos.d/:\n  ${summary.repoFileUrl}\n`,
    );
    const images = [];
    for (const image of demo.images) {
      process.stdout.write(
        `demo: waiting for the preview image ${image} (built once the repositories are quiet)\n`,
      );
      const built = await waitForDemoImage(runtime.endpoints, image, { out });
      images.push(built);
      process.stdout.write(describeDemoImage(built));
    }
    writeFileSync(
      join(runtime.endpointsFile, '..', 'demo-summary.json'),
      `${JSON.stringify({ ...summary, images }, null, 2)}\n`,
    );
  } catch (error) {
    logger.error(`the demo failed: ${describeError(error)}`);
  }
}
