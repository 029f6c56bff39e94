import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PipelineError } from '../../shared/errors';
import type { ImageJobRequest } from '../../shared/images/image-job-request';
import { kiwiBuildCommand } from '../../shared/images/kiwi-build-command';

/**
 * The first step of `azl-rebuilder worker image`: kiwi-ng's one-step build of the image's real description
 * with the pipeline's repositories (shared/images/kiwi-build-command.ts), and where its results are. kiwi-ng
 * writes the image root under `<target>/build/image-root` (where the rpm database is read for the manifest) and
 * the disk beside it as `<target>/<image name>.<arch>-<version>.vhd` for `format="vhd-fixed"`; exactly one
 * `.vhd` is expected there.
 *
 * Errors, both permanent (the same description and repository revisions fail the same way):
 * `image.kiwi-failed` (kiwi-ng could not start, or exited non-zero; the message ends with its last output) and
 * `image.kiwi-output-missing` (it exited 0 but left no single `.vhd`).
 */
export interface KiwiRunOptions {
  readonly request: ImageJobRequest;
  /** The image's `.kiwi` file in the distro tree; its folder is kiwi-ng's `--description`. */
  readonly descriptionFile: string;
  /** An empty folder for kiwi-ng's `--target-dir`. */
  readonly targetDir: string;
  /** The kiwi-ng executable (default `kiwi-ng` on the PATH). */
  readonly kiwiExecutable?: string;
  /** kiwi-ng's output as it comes (the worker prints it to the execution's log). */
  readonly onOutput?: (chunk: string) => void;
  readonly signal?: AbortSignal;
}

export interface KiwiRunResult {
  readonly vhdFile: string;
  readonly imageRoot: string;
  /** The command line run, for the log and the manifest's provenance. */
  readonly command: readonly string[];
}

/** How much of kiwi-ng's last output a failure carries. */
const OUTPUT_TAIL_CHARS = 2_000;

export async function runKiwiBuild(options: KiwiRunOptions): Promise<KiwiRunResult> {
  const { request, targetDir } = options;
  const [command = 'kiwi-ng', ...args] = kiwiBuildCommand({
    descriptionDir: dirname(options.descriptionFile),
    targetDir,
    profiles: request.profiles,
    repositories: request.repositories,
  });
  const executable = options.kiwiExecutable ?? command;
  const context = { image: request.image, version: request.version, kiwi: executable };
  const { code, tail, spawnError } = await run(executable, args, options);
  if (spawnError !== undefined || code !== 0) {
    const why =
      spawnError !== undefined ? `could not start: ${spawnError.message}` : `exited ${String(code)}`;
    throw PipelineError.permanent(
      'image.kiwi-failed',
      `kiwi-ng build of ${request.image} ${request.version} ${why}${tail ? `; its last output:\n${tail}` : ''}`,
      { ...context, exitCode: code },
    );
  }
  const vhds = (await readdir(targetDir)).filter((name) => name.endsWith('.vhd')).sort();
  const [vhd] = vhds;
  if (vhd === undefined || vhds.length > 1) {
    throw PipelineError.permanent(
      'image.kiwi-output-missing',
      `kiwi-ng built ${request.image} ${request.version} but left ${vhds.length === 0 ? 'no .vhd' : `${vhds.length} .vhd files (${vhds.join(', ')})`} in ${targetDir}`,
      { ...context, targetDir, vhdFiles: vhds.length },
    );
  }
  return {
    vhdFile: join(targetDir, vhd),
    imageRoot: join(targetDir, 'build', 'image-root'),
    command: [executable, ...args],
  };
}

interface RunEnd {
  readonly code: number | null;
  readonly tail: string;
  readonly spawnError?: Error;
}

function run(executable: string, args: readonly string[], options: KiwiRunOptions): Promise<RunEnd> {
  return new Promise((resolve) => {
    let tail = '';
    const child = spawn(executable, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const take = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      options.onOutput?.(text);
      tail = (tail + text).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('error', (error) => resolve({ code: null, tail: tail.trim(), spawnError: error }));
    child.once('close', (code) => resolve({ code, tail: tail.trim() }));
  });
}
