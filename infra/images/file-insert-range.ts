import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Inserts `length` bytes of hole at the start of the file at `path`, shifting its content up without
 * moving any data: `fallocate(FALLOC_FL_INSERT_RANGE)`, which Node does not expose, through util-linux's
 * `fallocate` command. ext4 and XFS support it for a length that is a whole number of their blocks; anything
 * else (tmpfs, btrfs, an odd length, an empty file) fails, and the caller falls back to copying.
 */
export async function insertHole(path: string, length: number, fallocate = 'fallocate'): Promise<void> {
  if (length === 0) return;
  await run(fallocate, ['--insert-range', '--offset', '0', '--length', String(length), path]);
}
