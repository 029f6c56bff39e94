import { execFile } from 'node:child_process';
import { open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describeError, PipelineError } from '../../shared/errors';

/**
 * The file systems of an image's partitions, made as files by the system's tools: no loop device, no mount,
 * no privilege beyond owning the files. Each image file is exactly its partition's size and sparse, so the
 * disk writer copies only what holds data.
 */

/** The sbin folders too: mkfs.* live there, and a user's PATH may lack them. */
const toolEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin`,
  LC_ALL: 'C',
  // mtools refuses a FAT whose geometry does not look like a floppy's or a disk's unless told not to check.
  MTOOLS_SKIP_CHECK: '1',
});

/**
 * An ext4 file system of `sizeBytes` at `path` holding the tree under `from` (`mkfs.ext4 -d`: owners, modes,
 * links and special files as they are in `from`), labelled `label`. Files that do not fit fail as a
 * permanent `image.filesystem-failed` with mkfs's words.
 */
export async function makeExt4FileSystem(
  path: string,
  sizeBytes: number,
  options: { readonly label: string; readonly from: string },
): Promise<void> {
  await sparseFile(path, sizeBytes);
  await runTool('mkfs.ext4', ['-q', '-F', '-L', options.label, '-d', options.from, path], {
    what: `the ext4 file system "${options.label}" of ${sizeBytes} bytes holding ${options.from}`,
    sizeBytes,
  });
}

/**
 * A FAT file system of `sizeBytes` at `path` (`mkfs.vfat` picks FAT12/16/32 for the size), labelled `label`,
 * holding what is under `from` when that folder exists (`mcopy -s`, recursively).
 */
export async function makeFatFileSystem(
  path: string,
  sizeBytes: number,
  options: { readonly label: string; readonly from?: string },
): Promise<{ readonly entries: number }> {
  await sparseFile(path, sizeBytes);
  const context = { what: `the FAT file system "${options.label}" of ${sizeBytes} bytes`, sizeBytes };
  await runTool('mkfs.vfat', ['-n', options.label, path], context);
  const entries = options.from === undefined ? [] : await entriesOf(options.from);
  if (entries.length > 0) {
    await runTool(
      'mcopy',
      ['-s', '-p', '-Q', '-i', path, ...entries.map((e) => join(options.from!, e)), '::/'],
      context,
    );
  }
  return { entries: entries.length };
}

async function entriesOf(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function sparseFile(path: string, sizeBytes: number): Promise<void> {
  await rm(path, { force: true });
  const file = await open(path, 'w');
  try {
    await file.truncate(sizeBytes);
  } finally {
    await file.close();
  }
}

/** What a tool makes, for its error: `what` in the message, the size in the context. */
interface ToolTarget {
  readonly what: string;
  readonly sizeBytes: number;
}

function runTool(command: string, args: readonly string[], target: ToolTarget): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { env: toolEnv(), encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
      (error, _out, stderr) => {
        if (!error) {
          resolve();
          return;
        }
        const detail =
          stderr.trim() === '' ? describeError(error) : stderr.trim().split('\n').slice(-10).join('\n');
        reject(
          PipelineError.permanent(
            'image.filesystem-failed',
            `${command} could not make ${target.what}: ${detail}`,
            { command, sizeBytes: target.sizeBytes },
            error,
          ),
        );
      },
    );
  });
}
