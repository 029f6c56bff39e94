import { PipelineError } from '../../shared/errors';
import { imageJobRequestSchema } from '../../shared/images/image-job-request';
import type { ImageJobRequest } from '../../shared/images/image-job-request';
import type { Env } from '../../shared/settings/load-settings';
import type { JobExecutionTemplate } from '../builders/container-apps';

/**
 * The contract of `azl-rebuilder worker image`, the image builder container's command (its ENTRYPOINT is the
 * CLI, infra/images/image-builder.Dockerfile):
 *
 * - **Arguments**: `worker image --image <name> --version <version>`. They repeat what the request says so that
 *   an execution is recognisable in the portal and in `az containerapp job execution list`; a worker whose
 *   arguments and request disagree refuses to build.
 * - **Environment**: `AZL_IMAGE_JOB_REQUEST`, the ImageJobRequest (shared/images/image-job-request.ts) as
 *   base64 JSON (an env value carries no newlines or quotes), plus what the function app forwards (storage
 *   account, identity client id, log level), since a start template replaces the job's own containers.
 * - **Work**: run kiwi-ng (`runKiwiBuild`, infra/images/kiwi-run.ts) on the image's description in the
 *   distro tree (`AZL_DISTRO_DIR`), then the existing upload (infra/images/page-blob-upload.ts), manifest and
 *   SBOM and, with `AZL_GALLERY_ID`, the gallery registration, writing to `output`.
 * - **End**: exit 0 once the VHD and its manifest are uploaded; non-zero otherwise. The dispatcher reads the
 *   execution's end from ARM (Succeeded / Failed), so the exit code is the whole report.
 */
export const IMAGE_JOB_REQUEST_ENV = 'AZL_IMAGE_JOB_REQUEST';
export const IMAGE_WORKER_COMMAND: readonly string[] = ['worker', 'image'];

export interface ImageExecutionContainer {
  readonly image: string;
  readonly containerName: string;
  readonly resources?: { readonly cpu: number; readonly memory: string };
  /** Further variables the worker needs (storage, identity, log level); the request's own always wins. */
  readonly env?: Readonly<Record<string, string>>;
}

/** The container args of one image build: the command, then `--image` and `--version`. */
export function imageWorkerArgs(request: ImageJobRequest): string[] {
  return [...IMAGE_WORKER_COMMAND, '--image', request.image, '--version', request.version];
}

export function encodeImageJobRequest(request: ImageJobRequest): string {
  return Buffer.from(JSON.stringify(request), 'utf8').toString('base64');
}

/** The start template that runs `azl-rebuilder worker image` for `request` in the image builder container. */
export function imageExecutionTemplate(
  request: ImageJobRequest,
  container: ImageExecutionContainer,
): JobExecutionTemplate {
  const env = [
    ...Object.entries(container.env ?? {})
      .filter(([name]) => name !== IMAGE_JOB_REQUEST_ENV)
      .map(([name, value]) => ({ name, value })),
    { name: IMAGE_JOB_REQUEST_ENV, value: encodeImageJobRequest(request) },
  ];
  return {
    containers: [
      {
        name: container.containerName,
        image: container.image,
        args: imageWorkerArgs(request),
        env,
        ...(container.resources === undefined ? {} : { resources: { ...container.resources } }),
      },
    ],
  };
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The worker's side: the request from `AZL_IMAGE_JOB_REQUEST`, checked against the arguments after
 * `worker image`. Any problem is a permanent `image.job-request-invalid` naming the variable or argument.
 */
export function readImageJobRequest(args: readonly string[], env: Env): ImageJobRequest {
  const reject = (problem: string, detail: Record<string, string> = {}): never => {
    throw PipelineError.permanent('image.job-request-invalid', problem, detail);
  };
  const text = env[IMAGE_JOB_REQUEST_ENV]?.trim();
  const variable = { variable: IMAGE_JOB_REQUEST_ENV };
  if (!text)
    return reject(`${IMAGE_JOB_REQUEST_ENV}: missing (the image build request, base64 JSON)`, variable);
  if (!BASE64.test(text)) return reject(`${IMAGE_JOB_REQUEST_ENV}: is not base64`, variable);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
  } catch {
    return reject(`${IMAGE_JOB_REQUEST_ENV}: is base64 but not of JSON`, variable);
  }
  const parsed = imageJobRequestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') || '(the request)';
    return reject(
      `${IMAGE_JOB_REQUEST_ENV}: is not an image build request: ${field}: ${issue?.message ?? 'invalid'}`,
      { ...variable, field },
    );
  }
  const request = parsed.data;
  const named = parseWorkerOptions(args, reject);
  for (const option of ['image', 'version'] as const) {
    if (named[option] !== request[option]) {
      reject(
        `--${option} ${JSON.stringify(named[option] ?? null)} is not the request's ${JSON.stringify(request[option])}`,
        { argument: `--${option}` },
      );
    }
  }
  return request;
}

/** `--image <name> --version <version>` (either order, each once, nothing else). */
function parseWorkerOptions(
  args: readonly string[],
  reject: (problem: string, detail?: Record<string, string>) => never,
): { image?: string; version?: string } {
  const named: { image?: string; version?: string } = {};
  for (let index = 0; index < args.length; index += 2) {
    const flag = args[index];
    const value = args[index + 1];
    if (flag !== '--image' && flag !== '--version') {
      reject(`unknown argument ${JSON.stringify(flag)} (worker image takes --image and --version)`, {
        argument: String(flag),
      });
    }
    const option = flag === '--image' ? 'image' : 'version';
    if (value === undefined || value.startsWith('--'))
      reject(`${flag} needs a value`, { argument: flag ?? '' });
    if (named[option] !== undefined) reject(`${flag} given twice`, { argument: flag ?? '' });
    named[option] = value;
  }
  return named;
}
