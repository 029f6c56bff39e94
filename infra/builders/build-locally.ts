import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Builder, BuiltFile } from '../../shared/build/builder';
import { buildOptionsOf } from '../../shared/build/build-macros';
import { formatNevra } from '../../shared/rpm/nevra';
import { loadDistroTree, resolveComponent } from '../../shared/distro';
import { FsDistroFiles } from '../distro/fs-distro-files';
import { digestFile } from './file-digest';
import { renderForBuild } from './render-for-build';
import { readNevras } from './rpm-headers';
import { isOverlayDrift } from '../../shared/overlays/drift';

export interface LocalBuildOptions {
  /** The distro tree (folder of `azldev.toml`). */
  readonly config: string;
  readonly component: string;
  /** A dist-git checkout with its sources downloaded. */
  readonly upstream: string;
  /** Where the SRPM, the RPMs and `build.log` are copied. */
  readonly out: string;
  readonly builder: Builder;
  readonly timeLimitMs: number;
  /** The builder's work folder; a temporary one (removed afterwards) when absent. */
  readonly workDir?: string;
}

export interface SummaryFile {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  readonly kind: BuiltFile['kind'];
}

/** What one local build did, as `azl-rebuilder build` prints it. */
export interface LocalBuildSummary {
  readonly state: 'succeeded' | 'failed' | 'overlay-drift';
  readonly component: string;
  readonly nevras: string[];
  readonly files: SummaryFile[];
  readonly logPath?: string;
  /** The builder's wall time (rendering and copying excluded). */
  readonly buildMs?: number;
  readonly code?: string;
  readonly retryable?: boolean;
  readonly message?: string;
  readonly logExcerpt?: string;
}

/**
 * Renders a component from an upstream folder with its effective overlays and builds it with the distro's
 * macros and the component's bconds, then copies what was built into `out` with each file's SHA-256. An
 * overlay that no longer applies ends as `overlay-drift` before anything is built; any other render or
 * configuration error is thrown.
 */
export async function buildLocally(options: LocalBuildOptions): Promise<LocalBuildSummary> {
  const tree = loadDistroTree(new FsDistroFiles(), options.config);
  const buildOptions = buildOptionsOf(tree, resolveComponent(tree, options.component));
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'azl-build-'));
  const summary = (
    state: LocalBuildSummary['state'],
    fields: Partial<LocalBuildSummary>,
  ): LocalBuildSummary => ({ state, component: options.component, nevras: [], files: [], ...fields });
  try {
    const sourceDir = join(workDir, 'rendered');
    try {
      await renderForBuild({ ...options, out: sourceDir });
    } catch (error) {
      if (!isOverlayDrift(error)) throw error;
      return summary('overlay-drift', { code: error.code, retryable: false, message: error.message });
    }
    const started = performance.now();
    const outcome = await options.builder.build({
      component: options.component,
      fingerprint: 'local',
      sourceDir,
      specFile: `${options.component}.spec`,
      workDir: join(workDir, 'build'),
      ...buildOptions,
      timeLimitMs: options.timeLimitMs,
    });
    const buildMs = Math.round(performance.now() - started);
    mkdirSync(options.out, { recursive: true });
    const logPath = outcome.logPath === undefined ? undefined : copyInto(options.out, outcome.logPath);
    if (outcome.state === 'failed') {
      const { code, retryable, message, logExcerpt } = outcome;
      return summary('failed', {
        ...(logPath ? { logPath } : {}),
        buildMs,
        code,
        retryable,
        message,
        logExcerpt,
      });
    }
    const files: SummaryFile[] = [];
    for (const file of outcome.files) {
      const path = file.kind === 'log' && logPath ? logPath : copyInto(options.out, file.path);
      files.push({ path, ...(await digestFile(path)), kind: file.kind });
    }
    const packages = files.filter((file) => file.kind !== 'log').map((file) => file.path);
    const nevras = (await readNevras(packages)).map(formatNevra);
    return summary('succeeded', { nevras, files, ...(logPath ? { logPath } : {}), buildMs });
  } finally {
    if (options.workDir === undefined) rmSync(workDir, { recursive: true, force: true });
  }
}

function copyInto(dir: string, file: string): string {
  const target = resolve(dir, basename(file));
  copyFileSync(file, target);
  return target;
}
