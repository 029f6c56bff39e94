import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RepodataOutput } from '../../shared/repodata';

/**
 * Writes the metadata as `<root>/repodata/`, replacing what was there the way createrepo_c does: everything
 * goes to `<root>/.repodata/` first, repomd.xml last, then the old folder is swapped out and removed.
 */
export function writeRepodataDir(root: string, output: RepodataOutput): string {
  const staging = join(root, '.repodata');
  const target = join(root, 'repodata');
  const old = join(root, '.repodata.old');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, 'repodata'), { recursive: true });
  for (const file of output.files) writeFileSync(join(staging, file.href), file.bytes);
  writeFileSync(join(staging, output.repomd.href), output.repomd.bytes);
  rmSync(old, { recursive: true, force: true });
  try {
    renameSync(target, old);
  } catch {
    // no previous repodata
  }
  renameSync(join(staging, 'repodata'), target);
  rmSync(staging, { recursive: true, force: true });
  rmSync(old, { recursive: true, force: true });
  return target;
}
