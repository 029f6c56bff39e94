import { createHash, hash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { PipelineError } from '../../shared/errors';
import { measureRpmHeader, readRpmPackage } from '../../shared/rpm';
import type { RpmPackage } from '../../shared/rpm';

export interface RpmFileFacts {
  pkg: RpmPackage;
  /** sha256 hex of the whole file. */
  sha256: string;
  size: number;
  /** mtime in whole seconds, as createrepo_c's `<time file>`. */
  mtime: number;
}

const CHUNK = 1024 * 1024;
/**
 * Bytes after the main header are only hashed, so they go through one buffer for the whole process (reads
 * here are synchronous, so nothing else uses it meanwhile). A 1 MiB buffer per file made the collector, not
 * the reads, the largest cost of indexing thousands of small packages.
 */
let tailBuffer: Buffer | undefined;

/**
 * Reads one RPM file in one pass: hashes the file's `size` bytes (as `fstat` gives it when opened, so the
 * checksum and the size describe the same bytes) and keeps only the leading bytes up to the end of the main
 * header for the reader. A missing or unreadable file is `rpm.unreadable` naming the file; reader errors keep
 * their code and gain the file name.
 */
export function readRpmFile(path: string): RpmFileFacts {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw PipelineError.permanent('rpm.unreadable', `cannot open ${path}`, { file: path }, error);
  }
  try {
    const stat = fstatSync(fd);
    const prefix = readHeaderPrefix(fd, stat.size);
    return {
      pkg: withFile(path, () => readRpmPackage(prefix)),
      sha256: prefix.length === stat.size ? hash('sha256', prefix) : hashWithRest(fd, prefix, stat.size),
      size: stat.size,
      mtime: Math.floor(stat.mtimeMs / 1000),
    };
  } catch (error) {
    if (PipelineError.is(error)) throw error;
    throw PipelineError.permanent('rpm.unreadable', `cannot read ${path}`, { file: path }, error);
  } finally {
    closeSync(fd);
  }
}

/** sha256 hex of `prefix` and the `size - prefix.length` bytes that follow it in the file. */
function hashWithRest(fd: number, prefix: Buffer, size: number): string {
  const sha256 = createHash('sha256').update(prefix);
  const tail = (tailBuffer ??= Buffer.allocUnsafe(CHUNK));
  for (let left = size - prefix.length; left > 0;) {
    const read = readSync(fd, tail, 0, Math.min(left, tail.length), null);
    if (read === 0) break;
    sha256.update(tail.subarray(0, read));
    left -= read;
  }
  return sha256.digest('hex');
}

/**
 * The leading bytes up to the end of the main header (or all `size` bytes, if the file ends first; the reader
 * then says what is missing), read in chunks of up to 1 MiB: a small package is one read.
 */
function readHeaderPrefix(fd: number, size: number): Buffer {
  const chunkSize = Math.max(1, Math.min(size, CHUNK));
  const chunks: Buffer[] = [];
  let kept = 0;
  while (kept < size) {
    const buffer = Buffer.allocUnsafe(Math.min(chunkSize, size - kept));
    const read = readSync(fd, buffer, 0, buffer.length, null);
    if (read === 0) break;
    chunks.push(buffer.subarray(0, read));
    kept += read;
    const prefix = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, kept);
    if (measureRpmHeader(prefix).complete) return prefix;
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, kept);
}

function withFile<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!PipelineError.is(error)) throw error;
    const context = { ...error.context, file: path };
    throw new PipelineError(error.code, `${path}: ${error.message}`, false, context, { cause: error });
  }
}
