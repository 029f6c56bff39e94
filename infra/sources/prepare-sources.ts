import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseCommit, describeChoice } from '../../shared/sources/commit-choice';
import { checkPlanInputs, planDownloads } from '../../shared/sources/download-plan';
import type { PreparedFile, SourceManifest } from '../../shared/sources/manifest';
import { sortFiles } from '../../shared/sources/manifest';
import { validateBranchName, validatePackageName } from '../../shared/sources/names';
import type { SourceRequest } from '../../shared/sources/request';
import { sourcesPermanent } from '../../shared/sources/source-errors';
import { parseSourcesFile } from '../../shared/sources/sources-file';
import { validateFetchUrl } from '../../shared/sources/url-policy';
import { expandUrlTemplate } from '../../shared/sources/url-template';
import { placeSpec, readSourcesFile } from './checkout-contents';
import { checkoutDistGit } from './dist-git-checkout';
import { downloadVerified } from './download';
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
 * the `sources` file from the lookaside cache and every `source-files` entry from its origin, and writes a
 * manifest. All input is validated before any fetch. Failures are PipelineErrors with `sources.*` codes
 * (see shared/sources/source-errors.ts); a failed preparation leaves no partial download in place.
 */
export async function prepareSources(
  request: SourceRequest,
  options: PrepareOptions,
): Promise<PreparedSources> {
  const component = validatePackageName(request.component, 'component');
  const pkg = validatePackageName(request.upstreamName ?? component, 'upstreamName');
  const branch = validateBranchName(request.branch);
  const repository = validateFetchUrl(
    expandUrlTemplate(request.distGitTemplate, { pkg }),
    'dist-git URL',
  ).href;
  const choice = chooseCommit(request);
  checkPlanInputs(pkg, request.lookasideTemplate, request.sourceFiles);

  const sourcesDir = join(options.outDir, 'sources');
  await mkdir(options.outDir, { recursive: true });
  if ((await readdir(options.outDir)).length > 0) {
    throw sourcesPermanent('sources.invalid-name', `output folder ${options.outDir} is not empty`, {
      field: 'outDir',
      value: options.outDir,
    });
  }
  await mkdir(sourcesDir);
  const gitDir = await mkdtemp(join(tmpdir(), 'azl-distgit-'));
  let commit: string;
  try {
    const timeoutMs = options.gitTimeoutMs ?? 120_000;
    const checkout = { url: repository, branch, choice, gitDir, workTree: sourcesDir, timeoutMs };
    commit = await checkoutDistGit(options.gitPath ? { ...checkout, gitPath: options.gitPath } : checkout);
  } finally {
    await rm(gitDir, { recursive: true, force: true });
  }

  const place = { component, package: pkg, commit };
  const spec = `${component}.spec`;
  await placeSpec(sourcesDir, pkg, spec, place);
  const sourcesText = await readSourcesFile(sourcesDir, place);
  const plan = planDownloads(
    pkg,
    request.lookasideTemplate,
    parseSourcesFile(sourcesText),
    request.sourceFiles,
    new Set([spec, 'sources']),
  );

  const distGitFiles = await inventoryDistGit(sourcesDir, new Set(plan.map((item) => item.filename)));
  const downloaded: PreparedFile[] = [];
  for (const item of plan) {
    const target = join(sourcesDir, item.filename);
    const got = await downloadVerified({
      url: item.url,
      target,
      file: item.filename,
      hashType: item.hashType,
      ...(item.expected === undefined ? {} : { expected: item.expected }),
      timeoutMs: options.downloadTimeoutMs ?? 600_000,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      place,
    });
    downloaded.push({
      path: item.filename,
      origin: item.origin,
      size: got.size,
      hashType: item.hashType,
      hash: got.hash,
      url: item.url.href,
    });
  }

  const manifest: SourceManifest = {
    component,
    upstreamName: pkg,
    repository,
    branch,
    commit,
    chosenBy: choice.kind,
    chosen: describeChoice(choice),
    spec,
    files: sortFiles([...distGitFiles, ...downloaded]),
  };
  const manifestPath = join(options.outDir, 'manifest.json');
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir: options.outDir, sourcesDir, specPath: join(sourcesDir, spec), manifestPath, manifest };
}
