import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { PipelineError } from '../../shared/errors';
import type { ErrorContext } from '../../shared/errors';
import type { HashType } from '../../shared/sources/hash-types';
import { sourcesPermanent } from '../../shared/sources/source-errors';
import { classifyHttpStatus, classifyTransportFailure } from './download-errors';
import { getFollowingRedirects } from './http-get';

export interface DownloadRequest {
  /** A URL already accepted by validateFetchUrl (https, loopback http, local file). */
  readonly url: URL;
  /** Final path of the file; it only appears there once its hash is verified. */
  readonly target: string;
  /** Named in errors and context. */
  readonly file: string;
  readonly hashType: HashType;
  /** Expected lower-case hex digest; when absent the digest is only computed (and recorded). */
  readonly expected?: string;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
  readonly place?: ErrorContext;
}

export interface Downloaded {
  readonly size: number;
  readonly hash: string;
}

/**
 * Streams one file to `<target>.partial` while hashing it, checks the digest, then renames it into place.
 * Renaming (rather than writing to `target`) also replaces, instead of following, a symlink a hostile
 * dist-git commit may have put at that name. A mismatch is `sources.hash-mismatch` naming the file, the
 * expected and the actual hash; other failures are classified by download-errors.
 */
export async function downloadVerified(request: DownloadRequest): Promise<Downloaded> {
  const { url, file } = request;
  const place: ErrorContext = { ...request.place, file };
  const partial = `${request.target}.partial`;
  const digest = createHash(request.hashType);
  let size = 0;
  const measure = async function* (source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      digest.update(chunk);
      size += chunk.length;
      yield chunk;
    }
  };
  try {
    // `wx` after removing any leftover: never write through a symlink planted at the partial name.
    await rm(partial, { force: true });
    const source = await openSource(request, place);
    await pipeline(source, measure, createWriteStream(partial, { flags: 'wx', mode: 0o644 }));
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof PipelineError) throw error;
    throw classifyTransportFailure(error, url.href, place);
  }
  const actual = digest.digest('hex');
  if (request.expected !== undefined && actual !== request.expected) {
    await rm(partial, { force: true });
    throw sourcesPermanent(
      'sources.hash-mismatch',
      `${file}: ${request.hashType} is ${actual}, expected ${request.expected}`,
      {
        ...place,
        url: url.href,
        hashType: request.hashType,
        expected: request.expected,
        actual,
      },
    );
  }
  await rename(partial, request.target);
  return { size, hash: actual };
}

/** The body as a Node stream: a local file for `file:` URLs, else a GET (redirects checked, whole download timed). */
async function openSource(request: DownloadRequest, place: ErrorContext): Promise<Readable> {
  const { url } = request;
  if (url.protocol === 'file:') return createReadStream(fileURLToPath(url));
  const signal = AbortSignal.timeout(request.timeoutMs);
  const response = await getFollowingRedirects(request.fetch ?? fetch, url, signal, place);
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw classifyHttpStatus(response.status, url.href, place);
  }
  if (response.body === null) return Readable.from([]);
  return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
}
