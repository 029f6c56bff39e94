import { realpathSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import { stopProcessesWorkingIn } from './leftover-processes';
import {
  describeOwner,
  formatOwnerRecord,
  ownerRecordOf,
  ownerState,
  parseOwnerRecord,
} from '../os/owner-record';

/**
 * An exclusive lock on a folder path between processes of this machine: `<path>.lock` created with O_EXCL,
 * holding the owner record (owner-record.ts) of the process that took it. A lock whose owner is not running
 * here (gone, or a record this process cannot read or judge) is taken over, once whatever the dead owner
 * left running in the folder (an orphaned build's process group) is stopped. Builds of one component use
 * one fixed folder (so compiled-in paths stay the same); two workers on one machine take turns on it.
 */
export async function lockFolder(
  path: string,
  options: { readonly waitMs?: number; readonly pollMs?: number } = {},
): Promise<() => Promise<void>> {
  const lockPath = `${path}.lock`;
  const deadline = Date.now() + (options.waitMs ?? 2 * 3_600_000);
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(formatOwnerRecord(ownerRecordOf()));
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = parseOwnerRecord(await readFile(lockPath, 'utf8').catch(() => ''));
    if (owner === undefined || ownerState(owner) !== 'running') {
      await stopProcessesWorkingIn(realPath(path));
      await rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${path} is still locked by ${describeOwner(owner)}`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
  }
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path; // not there: nothing can be working in it
  }
}
