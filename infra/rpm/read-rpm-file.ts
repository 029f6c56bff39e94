import { createHash } from 'node:crypto';
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
 * Reads one RPM file in one pass: hashes every byte and keeps only the leading bytes up to the end of the
 * main header for the reader. A missing or unreadable file is `rpm.unreadable` naming the file; reader
 * errors keep their code and gain the file name.
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
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let kept = 0;
    let headerComplete = false;
    const chunkSize = Math.max(1, Math.min(stat.size, CHUNK));
    let reusable: Buffer | undefined;
    for (;;) {
      // Header chunks are kept, so they get their own buffer; after the header one buffer is reused.
      const buffer: Buffer = headerComplete
        ? (reusable ??= Buffer.allocUnsafe(CHUNK))
        : Buffer.allocUnsafe(chunkSize);
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      const chunk: Buffer = buffer.subarray(0, read);
      hash.update(chunk);
      if (!headerComplete) {
        chunks.push(chunk);
        kept += read;
        headerComplete = measureRpmHeader(chunks.length === 1 ? chunk : Buffer.concat(chunks, kept)).complete;
      }
    }
    const prefix = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, kept);
    return {
      pkg: withFile(path, () => readRpmPackage(prefix)),
      sha256: hash.digest('hex'),
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

function withFile<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!PipelineError.is(error)) throw error;
    throw PipelineError.permanent(
      error.code,
      `${path}: ${error.message}`,
      { ...error.context, file: path },
      error,
    );
  }
}
