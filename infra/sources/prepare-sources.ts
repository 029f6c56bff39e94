import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeChoice } from '../../shared/sources/commit-choice';
import { planDownloads } from '../../shared/sources/download-plan';
import type { SourceManifest } from '../../shared/sources/manifest';
import { sortFiles } from '../../shared/sources/manifest';
import type { SourceRequest } from '../../shared/sources/request';
import { sourcesPermanent } from '../../shared/sources/source-errors';
import { parseSourcesFile } from '../../shared/sources/sources-file';
import type { ValidatedRequest } from '../../shared/sources/validated-request';
import { validateRequest } from '../../shared/sources/validated-request';
import { placeSpec, readSourcesFile } from './checkout-contents';
import { checkoutDistGit } from './dist-git-checkout';
import { fetchDownloads } from './fetch-downloads';
import { inventoryDistGit } from './file-inventory';

export interface PrepareOptions {
  /** The result folder; created, and must be empty if it exists. Holds `sources/` and `manifest.json`. */
  readonly outDir: string;
  /** Kill git after this long (default 120 s): `sources.unavailable`. */
  readonly gitTimeoutMs?: number;
  /** Whole-download limit per file (default 600 s): `sources.unavailable`. */
  readonly downloadTimeoutMs?: number;
  /** The fetch used for http(s) downloads (tests, proxies); global fetch by default. */
  readonly fetch?: typeof fetch;
  readonly gitPath?: string;
}

export interface PreparedSources {
  readonly dir: string;
  /** The flat sources folder: spec, dist-git files, downloaded sources. */
  readonly sourcesDir: string;
  readonly specPath: string;
  readonly manifestPath: string;
  readonly manifest: SourceManifest;
}

/**
 * Prepares the sources of one component: checks out the chosen dist-git commit (event > pin > snapshot >
 * head), renames `<upstream-name>.spec` to `<component>.spec`, downloads and verifies every file named by
 * the `sources` file from the lookaside cache and every `source-files` entry from its origin, and writes
 * `manifest.json` next to the `sources/` folder.
 *
 * All input is validated before anything is fetched or written. Failures are PipelineErrors with `sources.*`
 * codes (see shared/sources/source-errors.ts). A failed preparation removes what it wrote, so `outDir` is
 * empty again and a retryable failure can be retried with the same folder.
 */
export async function prepareSources(
  request: SourceRequest,
  options: PrepareOptions,
): Promise<PreparedSources> {
  const valid = validateRequest(request);
  const sourcesDir = join(options.outDir, 'sources');
  const manifestPath = join(options.outDir, 'manifest.json');
  await mkdir(options.outDir, { recursive: true });
  if ((await readdir(options.outDir)).length > 0) {
    throw sourcesPermanent('sources.invalid-name', `output folder ${options.outDir} is not empty`, {
      field: 'outDir',
      value: options.outDir,
    });
  }
  await mkdir(sourcesDir);
  try {
    const manifest = await fill(request, valid, sourcesDir, options);
    await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    const specPath = join(sourcesDir, valid.spec);
    return { dir: options.outDir, sourcesDir, specPath, manifestPath, manifest };
  } catch (error) {
    await rm(sourcesDir, { recursive: true, force: true });
    await rm(manifestPath, { force: true });
    throw error;
  }
}

async function fill(
  request: SourceRequest,
  valid: ValidatedRequest,
  sourcesDir: string,
  options: PrepareOptions,
): Promise<SourceManifest> {
  const commit = await checkout(valid, sourcesDir, options);
  const place = { component: valid.component, package: valid.pkg, commit };
  await placeSpec(sourcesDir, valid.pkg, valid.spec, place);
  const entries = parseSourcesFile(await readSourcesFile(sourcesDir, place));
  const reserved = new Set([valid.spec, 'sources']);
  const plan = planDownloads(valid.pkg, request.lookasideTemplate, entries, request.sourceFiles, reserved);
  const distGitFiles = await inventoryDistGit(sourcesDir, new Set(plan.map((item) => item.filename)));
  const timeoutMs = options.downloadTimeoutMs ?? 600_000;
  const downloaded = await fetchDownloads(sourcesDir, plan, {
    timeoutMs,
    place,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return {
    component: valid.component,
    upstreamName: valid.pkg,
    repository: valid.repository,
    branch: valid.branch,
    commit,
    chosenBy: valid.choice.kind,
    chosen: describeChoice(valid.choice),
    spec: valid.spec,
    files: sortFiles([...distGitFiles, ...downloaded]),
  };
}

/** Checks the chosen commit out into `sourcesDir` through a scratch bare repository that is always removed. */
async function checkout(
  valid: ValidatedRequest,
  sourcesDir: string,
  options: PrepareOptions,
): Promise<string> {
  const gitDir = await mkdtemp(join(tmpdir(), 'azl-distgit-'));
  try {
    return await checkoutDistGit({
      url: valid.repository,
      branch: valid.branch,
      choice: valid.choice,
      gitDir,
      workTree: sourcesDir,
      timeoutMs: options.gitTimeoutMs ?? 120_000,
      ...(options.gitPath ? { gitPath: options.gitPath } : {}),
    });
  } finally {
    await rm(gitDir, { recursive: true, force: true });
  }
}
