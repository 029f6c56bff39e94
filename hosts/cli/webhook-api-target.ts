import type { Command } from 'commander';
import { describeError, PipelineError } from '../../shared/errors';
import { defaultDataDir } from '../../infra/os/project-paths';
import type { WebhookApiTarget } from '../../infra/webhooks/webhook-api-client';
import { readEndpoints } from '../local/runtime/endpoints-file';

/** Where the webhook commands send their requests, as `replay` says it: `--local`, or `--url` and `--key`. */
export interface TargetOptions {
  readonly local: boolean;
  readonly dataDir: string;
  readonly url?: string;
  readonly key?: string;
}

/** Adds the options that name the pipeline to one command. */
export function withTargetOptions(command: Command): Command {
  return command
    .option('--local', 'the local pipeline started with `azl-rebuilder start` (its endpoints.json)', false)
    .option('--data-dir <dir>', "the local pipeline's data folder (with --local)", defaultDataDir())
    .option('--url <apiBaseUrl>', 'the API base URL, e.g. https://<app>.azurewebsites.net/api')
    .option('--key <functionKey>', 'the function key of the webhook API');
}

/**
 * The API to talk to: `--url` (with `--key`) wins; `--local` reads the running local pipeline's
 * `endpoints.json`. Neither, or no local pipeline: `webhooks.no-pipeline`.
 */
export function resolveWebhookTarget(options: TargetOptions): WebhookApiTarget {
  if (options.url) return { apiBaseUrl: options.url, ...(options.key ? { functionKey: options.key } : {}) };
  if (!options.local)
    throw PipelineError.permanent(
      'webhooks.no-pipeline',
      'say where the pipeline is: --local, or --url <apiBaseUrl> --key <key>',
    );
  let endpoints;
  try {
    endpoints = readEndpoints(options.dataDir);
  } catch (error) {
    throw PipelineError.permanent(
      'webhooks.no-pipeline',
      `cannot read ${options.dataDir}/endpoints.json: ${describeError(error)}`,
      { dataDir: options.dataDir },
    );
  }
  if (!endpoints)
    throw PipelineError.permanent(
      'webhooks.no-pipeline',
      `no local pipeline running: ${options.dataDir}/endpoints.json is missing (run azl-rebuilder start first)`,
      { dataDir: options.dataDir },
    );
  return { apiBaseUrl: endpoints.apiBaseUrl, functionKey: endpoints.functionKey };
}
