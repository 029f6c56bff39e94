import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The system's disk tools, run on files (no loop devices, no mounts, no root needed): they make partition
 * images for the disk writer and read its disks back, as an independent check of our bytes.
 */

/** The sbin folders too: mkfs.*, sfdisk, debugfs live there and a user's PATH may lack them. */
const env = { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin`, LC_ALL: 'C' };

export function run(command: string, args: readonly string[]): string {
  return execFileSync(command, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A command that may fail: its exit status and both outputs. */
export function runForStatus(
  command: string,
  args: readonly string[],
): { status: number | null; stdout: string; stderr: string } {
  const { status, stdout, stderr } = spawnSync(command, args, { env, encoding: 'utf8' });
  return { status, stdout, stderr };
}

/** An ext4 image of `size` bytes at `path`, labelled `label`, holding the tree under `from` (`mkfs.ext4 -d`). */
export function makeExt4Image(path: string, size: number, options: { label: string; from: string }): void {
  writeFileSync(path, '');
  truncateSync(path, size);
  run('mkfs.ext4', ['-q', '-F', '-L', options.label, '-d', options.from, path]);
}

/** A FAT image of `size` bytes at `path`, labelled `label`, holding `files` (absolute path inside → content). */
export function makeFatImage(
  path: string,
  size: number,
  options: { label: string; files: Record<string, string> },
): void {
  writeFileSync(path, '');
  truncateSync(path, size);
  run('mkfs.vfat', ['-n', options.label, path]);
  const folders = new Set<string>();
  for (const inside of Object.keys(options.files)) {
    for (let dir = dirname(inside); dir !== '/'; dir = dirname(dir)) folders.add(dir);
  }
  // Sorted, a parent comes before its children.
  for (const dir of [...folders].sort()) run('mmd', ['-i', path, `::${dir}`]);
  const staging = mkdtempSync(join(tmpdir(), 'azl-fat-'));
  try {
    for (const [inside, content] of Object.entries(options.files)) {
      const local = join(staging, 'file');
      writeFileSync(local, content);
      run('mcopy', ['-i', path, local, `::${inside}`]);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export interface SfdiskPartition {
  node: string;
  start: number;
  size: number;
  type: string;
  uuid: string;
  name?: string;
}

export interface SfdiskTable {
  label: string;
  id: string;
  firstlba: number;
  lastlba: number;
  sectorsize: number;
  partitions: SfdiskPartition[];
}

/** The partition table as `sfdisk --json` reads it. */
export function sfdiskJson(path: string): SfdiskTable {
  return (JSON.parse(run('sfdisk', ['--json', path])) as { partitiontable: SfdiskTable }).partitiontable;
}

/** `qemu-img info` of a file read as `format`. */
export function qemuImgInfo(path: string, format: 'vpc' | 'raw'): { format: string; 'virtual-size': number } {
  return JSON.parse(run('qemu-img', ['info', '-f', format, '--output', 'json', path])) as {
    format: string;
    'virtual-size': number;
  };
}
