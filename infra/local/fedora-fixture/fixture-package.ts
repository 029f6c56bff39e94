import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PipelineError } from '../../../shared/errors';
import { parseSourcesFile } from '../../../shared/sources/sources-file';
import { archiveFolder } from './ustar';

/**
 * One upstream fixture package as written in `tests/fixtures/upstream/<name>/`: the files its dist-git
 * repository holds (the spec, the `sources` file, patches: every regular file of the folder) and, for every
 * sub-folder `<name>-<version>/`, the tarball `<name>-<version>.tar` made from it (see ustar.ts). Every
 * tarball must be named, with its SHA-512, by the `sources` file, and every `sources` line must name one.
 */
export interface FixturePackage {
  readonly name: string;
  /** The dist-git files: path → bytes. */
  readonly distGitFiles: ReadonlyMap<string, Buffer>;
  /** The lookaside files: name → bytes, each verified against the `sources` file. */
  readonly downloads: ReadonlyMap<string, Buffer>;
  readonly sourcesEntries: readonly { readonly filename: string; readonly hash: string }[];
}

export function readFixturePackage(folder: string): FixturePackage {
  const name = basename(folder);
  const distGitFiles = new Map<string, Buffer>();
  const downloads = new Map<string, Buffer>();
  for (const entry of readdirSync(folder).sort()) {
    const full = join(folder, entry);
    if (statSync(full).isDirectory()) downloads.set(`${entry}.tar`, archiveFolder(full, entry));
    else distGitFiles.set(entry, readFileSync(full));
  }
  const sourcesText = distGitFiles.get('sources')?.toString('utf8') ?? '';
  const entries = parseSourcesFile(sourcesText, join(folder, 'sources'));
  for (const entry of entries) {
    const bytes = downloads.get(entry.filename);
    const actual = bytes === undefined ? undefined : createHash(entry.hashType).update(bytes).digest('hex');
    if (actual !== entry.hash) {
      throw PipelineError.permanent(
        'fixture.sources-mismatch',
        `${folder}/sources names ${entry.filename} ${bytes === undefined ? 'but no folder makes it' : `with a hash that is not the generated tarball's (${actual ?? ''})`}`,
        { file: join(folder, 'sources'), package: name, filename: entry.filename },
      );
    }
  }
  const unlisted = [...downloads.keys()].filter((file) => !entries.some((e) => e.filename === file));
  if (unlisted.length > 0) {
    throw PipelineError.permanent(
      'fixture.sources-mismatch',
      `${folder}/sources does not name ${unlisted.join(', ')}`,
      {
        file: join(folder, 'sources'),
        package: name,
      },
    );
  }
  return {
    name,
    distGitFiles,
    downloads,
    sourcesEntries: entries.map((e) => ({ filename: e.filename, hash: e.hash })),
  };
}

/** Every package folder of a fixture root (each holding `<name>.spec`); `distro/` and others are skipped. */
export function readFixturePackages(root: string): FixturePackage[] {
  return readdirSync(root)
    .sort()
    .filter((entry) => {
      const full = join(root, entry);
      return statSync(full).isDirectory() && readdirSync(full).includes(`${entry}.spec`);
    })
    .map((entry) => readFixturePackage(join(root, entry)));
}
