import { join } from 'node:path';
import type { ErrorContext } from '../../shared/errors';
import type { PlannedDownload } from '../../shared/sources/download-plan';
import type { PreparedFile } from '../../shared/sources/manifest';
import { downloadVerified } from './download';

export interface FetchDownloadsOptions {
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
  readonly place: ErrorContext;
}

/**
 * Downloads the planned files into `sourcesDir` one after another (lookaside hosts are shared; one package
 * rarely has more than a handful of files) and returns their manifest entries. The first failure stops it.
 */
export async function fetchDownloads(
  sourcesDir: string,
  plan: readonly PlannedDownload[],
  options: FetchDownloadsOptions,
): Promise<PreparedFile[]> {
  const files: PreparedFile[] = [];
  for (const item of plan) {
    const got = await downloadVerified({
      url: item.url,
      target: join(sourcesDir, item.filename),
      file: item.filename,
      hashType: item.hashType,
      ...(item.expected === undefined ? {} : { expected: item.expected }),
      timeoutMs: options.timeoutMs,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      place: options.place,
    });
    files.push({
      path: item.filename,
      origin: item.origin,
      size: got.size,
      hashType: item.hashType,
      hash: got.hash,
      url: item.url.href,
    });
  }
  return files;
}
