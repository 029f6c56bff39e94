import type { HashType } from './hash-types';
import { normalizeHash, parseHashType } from './hash-types';
import type { FileOrigin } from './manifest';
import { validateFileName } from './names';
import type { SourceFileSpec } from './request';
import { invalidName } from './source-errors';
import type { LookasideEntry } from './sources-file';
import { validateFetchUrl } from './url-policy';
import { expandUrlTemplate } from './url-template';

/** One file to download into the sources folder, with the URL already checked against the URL policy. */
export interface PlannedDownload {
  readonly filename: string;
  readonly origin: Extract<FileOrigin, 'lookaside' | 'source-files'>;
  readonly url: URL;
  readonly hashType: HashType;
  /** Absent for a `source-files` entry declared without a hash. */
  readonly expected?: string;
}

/**
 * Every download for a package: each `sources` entry from the lookaside cache (template expanded with the
 * dist-git package name), except those a `source-files` entry of the same name replaces; then every
 * `source-files` entry from its origin. Names and URLs are validated here, before anything is fetched; a
 * download named like a `reserved` file (the spec, the `sources` file) is refused.
 */
export function planDownloads(
  pkg: string,
  lookasideTemplate: string,
  entries: readonly LookasideEntry[],
  sourceFiles: readonly SourceFileSpec[] = [],
  reserved: ReadonlySet<string> = new Set(),
): PlannedDownload[] {
  const replaced = new Set<string>();
  const fromOrigins = sourceFiles.map((spec, index): PlannedDownload => {
    const field = `source-files[${index}]`;
    const filename = validateFileName(spec.filename, `${field}.filename`);
    if (replaced.has(filename)) throw invalidName(`${field}.filename`, filename, 'listed twice');
    replaced.add(filename);
    if (spec.origin.type !== 'download')
      throw invalidName(`${field}.origin.type`, spec.origin.type, 'unsupported');
    const hashType = parseHashType(spec.hashType ?? 'sha512', `${field}.hash-type`);
    const url = validateFetchUrl(spec.origin.uri, `${field}.origin.uri`);
    const planned = { filename, origin: 'source-files' as const, url, hashType };
    return spec.hash === undefined
      ? planned
      : { ...planned, expected: normalizeHash(hashType, spec.hash, filename) };
  });
  const fromLookaside = entries
    .filter((entry) => !replaced.has(entry.filename))
    .map((entry): PlannedDownload => {
      const href = expandUrlTemplate(lookasideTemplate, {
        pkg,
        filename: entry.filename,
        hashtype: entry.hashType,
        hash: entry.hash,
      });
      const url = validateFetchUrl(href, `lookaside URL of ${entry.filename}`);
      return {
        filename: entry.filename,
        origin: 'lookaside',
        url,
        hashType: entry.hashType,
        expected: entry.hash,
      };
    });
  const all = [...fromLookaside, ...fromOrigins];
  const clash = all.find((item) => reserved.has(item.filename));
  if (clash)
    throw invalidName('download', clash.filename, 'would overwrite a dist-git file the preparation owns');
  return all;
}

/**
 * The input-only part of the plan, checked before anything is fetched: every `source-files` entry, and the
 * lookaside template expanded with a probe file (a template pointing at a refused scheme or host fails here).
 */
export function checkPlanInputs(
  pkg: string,
  lookasideTemplate: string,
  sourceFiles: readonly SourceFileSpec[] = [],
): void {
  const probe: LookasideEntry = { filename: 'probe', hashType: 'sha512', hash: '0'.repeat(128) };
  planDownloads(pkg, lookasideTemplate, [probe], sourceFiles);
}
