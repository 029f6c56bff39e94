import { HttpRequest, InvocationContext } from '@azure/functions';
import type { HttpResponseInit } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { imagesFunctions } from '../../functions/images';
import { PipelineError } from '../../shared/errors';
import { moveImageBuild, newImageBuild } from '../../shared/images/image-build';
import type { ImageBuildRecords } from '../../shared/images/image-build-records';
import { fakeServices } from '../../testing/fakes/services';
import { MemoryImageBuilds } from '../../testing/images/image-publisher-fakes';

const context = new InvocationContext({
  invocationId: 'i',
  functionName: 'images',
  logHandler: () => undefined,
});
type Json = HttpResponseInit & { jsonBody: Record<string, unknown> };

async function call(
  records: ImageBuildRecords | undefined,
  route: string,
  params: Record<string, string> = {},
) {
  const services = fakeServices(records ? { imageRecords: records } : {});
  const fn = imagesFunctions(() => Promise.resolve(services)).find((f) => f.route === route);
  if (!fn) throw new Error(`no function for ${route}`);
  const request = new HttpRequest({ method: 'GET', url: 'http://localhost/api/images', params });
  return (await fn.handler(request, context)) as Json;
}

async function sampleRecords(): Promise<MemoryImageBuilds> {
  const records = new MemoryImageBuilds();
  const build = (image: string, version: string, at: string) =>
    newImageBuild({ image, version, fingerprint: `sha256:${version}`, at });
  const published = moveImageBuild(
    moveImageBuild(
      build('vm-base', '20261206.1', '2026-12-06T09:00:00.000Z'),
      'uploading',
      '2026-12-06T09:01:00.000Z',
    ),
    'published',
    '2026-12-06T09:02:00.000Z',
    undefined,
    {
      urls: { vhd: 'http://x/a.vhd', manifest: 'http://x/manifest.json', sbom: 'http://x/sbom.spdx.json' },
      sizes: { virtualBytes: 1048576, vhdFileBytes: 1049088, dataBytes: 4096 },
      sha256: 'a'.repeat(64),
    },
  );
  await records.put(published);
  await records.put(build('vm-base', '20261206.2', '2026-12-06T10:00:00.000Z'));
  await records.put(build('container-base', '20261201.1', '2026-12-01T00:00:00.000Z'));
  return records;
}

describe('images API handlers', () => {
  it('are GET functions behind a function key', () => {
    const all = imagesFunctions(() => Promise.resolve(fakeServices()));
    expect(all.map((f) => f.route)).toEqual(['images', 'images/{name}']);
    for (const fn of all) expect([fn.authLevel, fn.methods]).toEqual(['function', ['GET']]);
  });

  it('GET /api/images: every image by name with its newest build, without its history', async () => {
    const answer = await call(await sampleRecords(), 'images');
    expect(answer.status).toBe(200);
    expect(answer.jsonBody).toEqual({
      images: [
        {
          image: 'container-base',
          latest: expect.objectContaining({ version: '20261201.1', state: 'queued' }),
        },
        {
          image: 'vm-base',
          latest: {
            image: 'vm-base',
            version: '20261206.2',
            fingerprint: 'sha256:20261206.2',
            requestedAt: '2026-12-06T10:00:00.000Z',
            state: 'queued',
            updatedAt: '2026-12-06T10:00:00.000Z',
          },
        },
      ],
    });
  });

  it('GET /api/images/{name}: every version newest first, with state, sizes, URLs and history', async () => {
    const answer = await call(await sampleRecords(), 'images/{name}', { name: 'vm-base' });
    expect(answer.status).toBe(200);
    const versions = answer.jsonBody['versions'] as Record<string, unknown>[];
    expect(answer.jsonBody['image']).toBe('vm-base');
    expect(versions.map((v) => [v['version'], v['state']])).toEqual([
      ['20261206.2', 'queued'],
      ['20261206.1', 'published'],
    ]);
    expect(versions[1]).toMatchObject({
      updatedAt: '2026-12-06T09:02:00.000Z',
      sizes: { virtualBytes: 1048576 },
      urls: { vhd: 'http://x/a.vhd' },
      sha256: 'a'.repeat(64),
      history: [{ state: 'queued' }, { state: 'uploading' }, { state: 'published' }],
    });
  });

  it('an image with no builds is 404 image.unknown-image', async () => {
    const answer = await call(await sampleRecords(), 'images/{name}', { name: 'nope' });
    expect(answer.status).toBe(404);
    expect(answer.jsonBody).toEqual({
      code: 'image.unknown-image',
      message: 'no builds of an image named nope',
    });
  });

  it('a store that is down is 503 with Retry-After; no records at all is 503 status.not-configured', async () => {
    const down = new MemoryImageBuilds();
    down.failListingsWith = PipelineError.transient('storage.unavailable', 'tables down');
    const answer = await call(down, 'images');
    expect(answer.status).toBe(503);
    expect(answer.headers).toEqual({ 'retry-after': '10' });
    expect((await call(undefined, 'images')).jsonBody['code']).toBe('status.not-configured');
  });
});
