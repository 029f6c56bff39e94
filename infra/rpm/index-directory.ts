import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRepodataRecord } from '../../shared/repodata';
import type { RecordOptions, RepodataRecord } from '../../shared/repodata';
import type { Progress } from '../../shared/progress';
import { silentProgress } from '../../shared/progress';
import { readRpmFile } from './read-rpm-file';

/**
 * The package records of every `*.rpm` under `dir` (recursively, like createrepo_c's walk; `repodata/` and
 * hidden folders are skipped), with location hrefs relative to `dir`. Unordered: the writer sorts.
 * `progress` counts the RPMs read (reading hashes every file: the long part on a large folder).
 */
export function indexDirectory(
  dir: string,
  options: RecordOptions = {},
  progress: Progress = silentProgress,
): RepodataRecord[] {
  const found = findRpmFiles(dir);
  const task = progress.begin(found.length, 'RPMs read');
  try {
    return found.map(({ path, href }) => {
      const file = readRpmFile(path);
      task.advance();
      return createRepodataRecord(
        file.pkg,
        { pkgId: file.sha256, locationHref: href, fileTime: file.mtime, fileSize: file.size },
        options,
      );
    });
  } finally {
    task.finish();
  }
}

export interface FoundRpm {
  path: string;
  /** The path relative to the searched folder, `/`-separated: the location href. */
  href: string;
}

export function findRpmFiles(dir: string): FoundRpm[] {
  const found: FoundRpm[] = [];
  const walk = (folder: string, prefix: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      const href = prefix + entry.name;
      if (entry.isDirectory()) {
        if (prefix !== '' || entry.name !== 'repodata') walk(path, `${href}/`);
      } else if (entry.isFile() && entry.name.endsWith('.rpm')) found.push({ path, href });
    }
  };
  walk(dir, '');
  return found;
}
