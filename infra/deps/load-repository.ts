import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { PipelineError, describeError } from '../../shared/errors';
import type { Progress } from '../../shared/progress';
import { silentProgress } from '../../shared/progress';
import { megabyteProgress } from '../progress/megabyte-progress';
import { PrimaryParser } from './primary-parser';
import type { PackageSink } from './primary-parser';
import { primaryHref } from './repomd';

/**
 * Streams a repository's primary.xml(.gz) into `sink` and returns the number of packages read.
 * `location` is a local folder or an http(s) base URL holding `repodata/repomd.xml` (the primary file is the
 * one repomd names), or directly a primary.xml / primary.xml.gz path or URL.
 * Failures: unreachable host, HTTP 5xx/429 or a local I/O error → retryable `deps.unavailable`; a missing
 * repomd/primary, other HTTP errors, bad gzip or bad XML → permanent `deps.malformed` (with file and line).
 * `progress` counts the primary file's bytes read (compressed, as stored), in megabytes, when its size is
 * known (a local file, or an HTTP answer with a Content-Length); a download of Fedora's is the long part.
 */
export async function loadRepository(
  location: string,
  sink: PackageSink,
  progress: Progress = silentProgress,
): Promise<number> {
  const remote = /^https?:\/\//.test(location);
  let primary = location;
  if (!/\.xml(\.gz)?$/.test(location)) {
    const repomd = remote
      ? new URL('repodata/repomd.xml', withSlash(location)).href
      : join(location, 'repodata', 'repomd.xml');
    const text = remote ? await (await open(repomd)).text() : await readLocal(repomd);
    const href = primaryHref(text, repomd);
    primary = remote ? new URL(href, withSlash(location)).href : join(location, href);
  }
  let raw: Readable;
  let size: number | undefined;
  if (remote) {
    const response = await open(primary);
    size = Number(response.headers.get('content-length') ?? '') || undefined;
    raw = Readable.fromWeb(response.body as never);
  } else {
    size = await stat(primary).then(
      (facts) => facts.size,
      () => undefined, // the read below reports the error
    );
    raw = createReadStream(primary);
  }
  const gunzip = primary.endsWith('.gz') ? createGunzip() : undefined;
  const stream = gunzip ? raw.pipe(gunzip) : raw;
  if (stream !== raw) raw.on('error', (e: Error) => stream.destroy(e));
  const parser = new PrimaryParser(sink, primary);
  const decoder = new StringDecoder('utf8');
  const read = size === undefined ? undefined : megabyteProgress(progress, size, 'of repodata read');
  let plainBytes = 0;
  try {
    for await (const chunk of stream) {
      parser.write(decoder.write(chunk as Buffer));
      plainBytes += (chunk as Buffer).length;
      read?.at(gunzip ? gunzip.bytesWritten : plainBytes);
    }
    parser.write(decoder.end());
    parser.end();
    read?.complete();
  } catch (cause) {
    throw classify(cause, primary);
  } finally {
    read?.finish();
  }
  return parser.packages;
}

const withSlash = (url: string): string => (url.endsWith('/') ? url : `${url}/`);

async function open(url: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (cause) {
    throw PipelineError.transient(
      'deps.unavailable',
      `${url}: ${describeError(cause)}`,
      { file: url },
      cause,
    );
  }
  if (res.ok && res.body) return res;
  const context = { file: url, status: res.status };
  if (res.status >= 500 || res.status === 429)
    throw PipelineError.transient('deps.unavailable', `${url}: HTTP ${res.status}`, context);
  throw PipelineError.permanent('deps.malformed', `${url}: HTTP ${res.status}`, context);
}

async function readLocal(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    throw classify(cause, file);
  }
}

function classify(cause: unknown, file: string): PipelineError {
  if (cause instanceof PipelineError) return cause;
  const code = (cause as { code?: unknown }).code;
  if (code === 'ENOENT' || code === 'ENOTDIR' || (typeof code === 'string' && code.startsWith('Z_'))) {
    return PipelineError.permanent('deps.malformed', `${file}: ${describeError(cause)}`, { file }, cause);
  }
  return PipelineError.transient('deps.unavailable', `${file}: ${describeError(cause)}`, { file }, cause);
}
