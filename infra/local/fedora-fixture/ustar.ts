import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A deterministic POSIX ustar archive of a folder: entries sorted by name, owner 0:0 with no user or group
 * names, one fixed modification time, modes normalised to 0755 (folders, executables) or 0644. The same
 * folder gives the same bytes on every machine, so a fixture's `sources` file can carry a fixed SHA-512.
 * Uncompressed on purpose: compressors differ between versions, tar headers do not.
 */
const BLOCK = 512;
/** 2026-01-01T00:00:00Z: the fixtures' release date. */
export const FIXTURE_MTIME = 1_767_225_600;

interface Entry {
  readonly path: string;
  readonly directory: boolean;
  readonly mode: number;
  readonly content: Buffer;
}

/** Archives `folder` with every path under `prefix/` (e.g. `azl-hello-lib-1.0/`), as `%autosetup` expects. */
export function archiveFolder(folder: string, prefix: string): Buffer {
  const entries: Entry[] = [{ path: `${prefix}/`, directory: true, mode: 0o755, content: Buffer.alloc(0) }];
  collect(folder, prefix, entries);
  const blocks = entries.flatMap((entry) => [header(entry), padded(entry.content)]);
  return Buffer.concat([...blocks, Buffer.alloc(2 * BLOCK)]);
}

function collect(dir: string, prefix: string, entries: Entry[]): void {
  const names = readdirSync(dir).sort();
  for (const name of names) {
    const full = join(dir, name);
    const path = `${prefix}/${name}`;
    const stat = statSync(full);
    if (stat.isDirectory()) {
      entries.push({ path: `${path}/`, directory: true, mode: 0o755, content: Buffer.alloc(0) });
      collect(full, path, entries);
    } else if (stat.isFile()) {
      const mode = (stat.mode & 0o111) !== 0 ? 0o755 : 0o644;
      entries.push({ path, directory: false, mode, content: readFileSync(full) });
    }
  }
}

function header(entry: Entry): Buffer {
  if (Buffer.byteLength(entry.path) > 100)
    throw new Error(`ustar: path longer than 100 bytes: ${entry.path}`);
  const block = Buffer.alloc(BLOCK);
  block.write(entry.path, 0, 100, 'utf8');
  octal(block, 100, 8, entry.mode);
  octal(block, 108, 8, 0);
  octal(block, 116, 8, 0);
  octal(block, 124, 12, entry.content.length);
  octal(block, 136, 12, FIXTURE_MTIME);
  block.write(entry.directory ? '5' : '0', 156, 1, 'ascii');
  block.write('ustar\u000000', 257, 8, 'ascii');
  // The checksum is computed with its own field read as eight spaces.
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
  return block;
}

/** A zero-padded octal number ending in NUL, in a field of `width` bytes. */
function octal(block: Buffer, offset: number, width: number, value: number): void {
  block.write(`${value.toString(8).padStart(width - 1, '0')}\u0000`, offset, width, 'ascii');
}

function padded(content: Buffer): Buffer {
  const rest = content.length % BLOCK;
  return rest === 0 ? content : Buffer.concat([content, Buffer.alloc(BLOCK - rest)]);
}
