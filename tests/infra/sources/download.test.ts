import { createHash } from 'node:crypto';
import { readFileSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { downloadVerified } from '../../../infra/sources/download';
import type { DownloadRequest } from '../../../infra/sources/download';
import { failure } from '../../../testing/failures';
import { useTempDir } from '../../../testing/temp-dirs';
import { useLoopbackServer } from '../../../testing/loopback-http';

const BODY = Buffer.from('payload '.repeat(1000));
const sha512 = (data: Buffer) => createHash('sha512').update(data).digest('hex');

const dir = useTempDir('azl-download-test-');
const server = useLoopbackServer((req, res) => {
  switch (req.url) {
    case '/file':
      res.end(BODY);
      return;
    case '/hang':
      return; // never answers
    case '/short':
      res.writeHead(200, { 'content-length': String(BODY.length * 2) });
      res.write(BODY, () => res.destroy());
      return;
    case '/redirect-ok':
      res.writeHead(302, { location: '/file' }).end();
      return;
    case '/redirect-away':
      res.writeHead(302, { location: 'http://example.org/file' }).end();
      return;
    case '/loop':
      res.writeHead(302, { location: '/loop' }).end();
      return;
    default:
      res.writeHead(403).end();
  }
});

let n = 0;
const download = (url: string, extra: Partial<DownloadRequest> = {}) =>
  downloadVerified({
    url: new URL(url),
    target: join(dir, `f${(n += 1)}`),
    file: 'f',
    hashType: 'sha512',
    timeoutMs: 2_000,
    ...extra,
  });

describe('downloadVerified', () => {
  it('streams, hashes and places a file; without an expected hash it records the computed one', async () => {
    expect(await download(`${server.origin}/file`, { expected: sha512(BODY) })).toEqual({
      size: BODY.length,
      hash: sha512(BODY),
    });
    expect(await download(`${server.origin}/redirect-ok`)).toEqual({ size: BODY.length, hash: sha512(BODY) });
  });

  it('reads file: URLs; a missing local file is sources.not-found', async () => {
    const local = join(dir, 'local.bin');
    writeFileSync(local, BODY);
    expect((await download(pathToFileURL(local).href)).hash).toBe(sha512(BODY));
    const missing = await failure(download(pathToFileURL(join(dir, 'nope')).href));
    expect(missing).toMatchObject({ code: 'sources.not-found', retryable: false });
  });

  it('replaces a symlink at the target instead of writing through it', async () => {
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'keep me');
    const target = join(dir, 'linked');
    symlinkSync(victim, target);
    await downloadVerified({
      url: new URL(`${server.origin}/file`),
      target,
      file: 'linked',
      hashType: 'sha512',
      timeoutMs: 2_000,
    });
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect(lstatSync(target).isSymbolicLink()).toBe(false);
  });

  it('a server that never answers, or cuts the body short, is sources.unavailable', async () => {
    const hang = await failure(download(`${server.origin}/hang`, { timeoutMs: 300 }));
    expect(hang).toMatchObject({ code: 'sources.unavailable', retryable: true });
    const short = await failure(download(`${server.origin}/short`));
    expect(short).toMatchObject({ code: 'sources.unavailable', retryable: true });
  });

  it('checks every redirect hop; other 4xx are sources.rejected', async () => {
    expect(await failure(download(`${server.origin}/redirect-away`))).toMatchObject({
      code: 'sources.invalid-url',
    });
    expect(await failure(download(`${server.origin}/loop`))).toMatchObject({ code: 'sources.rejected' });
    expect(await failure(download(`${server.origin}/forbidden`))).toMatchObject({
      code: 'sources.rejected',
      retryable: false,
    });
  });
});
