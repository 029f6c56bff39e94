import { spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { constants, gunzip, gzip } from 'node:zlib';
import type { ArchiveCompression } from '../../shared/overlays/archive-compression';

const gunzipAsync = promisify(gunzip);
const gzipAsync = promisify(gzip);

/**
 * Compression of source archives. gzip is node:zlib. xz and zstd go through the system `xz` and `zstd`
 * binaries over child-process streams: Node 20 has neither (node:zlib gains zstd only in Node 22.15/23.8,
 * and xz never), and no maintained pure-JavaScript xz or zstd compressor fits (the npm ones decompress only,
 * or are unmaintained WebAssembly builds). Both run single-threaded (`-T1`) at their default level, so the
 * output depends on the input alone: xz's multi-threaded mode splits blocks by thread count.
 */
export async function decompress(compression: ArchiveCompression, bytes: Uint8Array): Promise<Buffer> {
  switch (compression) {
    case 'none':
      return Buffer.from(bytes);
    case 'gzip':
      return gunzipAsync(bytes);
    case 'xz':
      return filter('xz', ['--decompress', '--stdout', '-T1'], bytes);
    case 'zstd':
      return filter('zstd', ['--decompress', '--stdout', '--quiet'], bytes);
  }
}

/**
 * The same compression, written reproducibly: gzip at level 9 (azldev's `gzip.BestCompression`) with Node's
 * fixed header (mtime 0, no file name); xz `-6`, zstd `-3` (their defaults), single-threaded, no file names.
 */
export async function compress(compression: ArchiveCompression, bytes: Uint8Array): Promise<Buffer> {
  switch (compression) {
    case 'none':
      return Buffer.from(bytes);
    case 'gzip':
      return gzipAsync(bytes, { level: constants.Z_BEST_COMPRESSION });
    case 'xz':
      return filter('xz', ['--compress', '--stdout', '-6', '-T1'], bytes);
    case 'zstd':
      return filter('zstd', ['--compress', '--stdout', '--quiet', '-3', '-T1', '--no-progress'], bytes);
  }
}

/** Runs `command` with `input` on stdin; its stdout, or a rejection carrying its stderr when it fails. */
function filter(command: string, args: readonly string[], input: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    // The tool may exit on bad input before reading it all: the broken pipe is reported by the exit status.
    child.stdin.on('error', () => undefined);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(Buffer.concat(out));
      else {
        const why = Buffer.concat(err).toString('utf8').trim() || `exit ${code ?? signal ?? '?'}`;
        reject(new Error(`${command} ${args.join(' ')}: ${why}`));
      }
    });
    child.stdin.end(input);
  });
}
