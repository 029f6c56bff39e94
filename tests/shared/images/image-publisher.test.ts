import { describe, expect, test } from 'vitest';
import { PipelineError } from '../../../shared/errors';
import { eventCatalogue } from '../../../shared/events/catalogue';
import { moveImageBuild, newImageBuild } from '../../../shared/images/image-build';
import { ImagePublisher } from '../../../shared/images/image-publisher';
import type { PublishImageRequest } from '../../../shared/images/image-publisher';
import { buildImageManifest } from '../../../shared/images/manifest';
import type { ImageManifest } from '../../../shared/images/manifest';
import { MemoryPublisher } from '../../../testing/fakes/planning-ports';
import {
  FakeVhdUploader,
  MemoryImageBuilds,
  MemoryImageFiles,
} from '../../../testing/images/image-publisher-fakes';
import { sampleManifestInput } from '../../../testing/images/sample-image-manifest';

const VERSION = '20261206.2';
const manifestOf = (version = VERSION, fingerprint?: string): ImageManifest =>
  buildImageManifest(
    sampleManifestInput({
      image: { name: 'vm-base', version },
      ...(fingerprint ? { fingerprint } : {}),
    }),
  );

function setUp() {
  const manifest = manifestOf();
  const records = new MemoryImageBuilds();
  const uploader = new FakeVhdUploader(manifest.vhd.sha256, manifest.sizes.vhdFileBytes);
  const files = new MemoryImageFiles();
  const events = new MemoryPublisher();
  let tick = 0;
  const now = () => new Date(Date.UTC(2026, 11, 6, 9, 0, tick++));
  const publisher = new ImagePublisher({ records, uploader, files, events, now });
  const request: PublishImageRequest = {
    image: 'vm-base',
    version: VERSION,
    vhdFile: '/tmp/disk.vhd',
    manifest,
  };
  return { manifest, records, uploader, files, events, publisher, request };
}

async function failureOf(promise: Promise<unknown>): Promise<PipelineError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PipelineError) return error;
    throw error;
  }
  throw new Error('it did not fail');
}

describe('publishing an image', () => {
  test('records uploading then published, puts the VHD, manifest and SBOM beside it, and emits image.published', async () => {
    const { publisher, request, records, uploader, files, events, manifest } = setUp();

    const outcome = await publisher.publish(request);

    expect(outcome.outcome).toBe('published');
    expect(records.puts.map((r) => r.state)).toEqual(['uploading', 'published']);
    expect(outcome.record.history.map((h) => h.state)).toEqual(['queued', 'uploading', 'published']);
    expect(uploader.uploads).toEqual([
      {
        file: '/tmp/disk.vhd',
        blobName: `vm-base/${VERSION}/vm-base-${VERSION}.vhd`,
        metadata: { image: 'vm-base', version: VERSION },
      },
    ]);
    expect(JSON.parse(files.files.get(`vm-base/${VERSION}/manifest.json`)!.body)).toEqual(manifest);
    const sbom = files.files.get(`vm-base/${VERSION}/sbom.spdx.json`)!;
    expect(sbom.contentType).toBe('application/spdx+json');
    expect(JSON.parse(sbom.body)).toMatchObject({ spdxVersion: 'SPDX-2.3' });
    expect(outcome.record).toMatchObject({
      state: 'published',
      sha256: manifest.vhd.sha256,
      sizes: manifest.sizes,
      packages: manifest.packages.length,
      missing: ['cloud-init'],
      repositories: { 'base/x86_64': 7, 'base/noarch': 3 },
      urls: {
        vhd: `memory://images/vm-base/${VERSION}/vm-base-${VERSION}.vhd`,
        manifest: `memory://images/vm-base/${VERSION}/manifest.json`,
        sbom: `memory://images/vm-base/${VERSION}/sbom.spdx.json`,
      },
    });
    // MemoryPublisher reads each event back as a receiver would, against the catalogue.
    expect(events.published).toHaveLength(1);
    const [event] = events.published;
    expect(event?.type).toBe('image.published');
    expect(event?.subject).toBe('vm-base');
    expect(eventCatalogue['image.published'].data.parse(event?.data)).toEqual({
      image: 'vm-base',
      version: VERSION,
      fingerprint: manifest.fingerprint,
      repositories: { 'base/x86_64': 7, 'base/noarch': 3 },
      blobUrl: outcome.record.urls?.vhd,
      manifestUrl: outcome.record.urls?.manifest,
      sbomUrl: outcome.record.urls?.sbom,
      sha256: manifest.vhd.sha256,
      virtualSizeBytes: manifest.sizes.virtualBytes,
      packages: manifest.packages.length,
      missing: ['cloud-init'],
    });
  });

  test('a given SBOM is put as it is', async () => {
    const { publisher, request, files } = setUp();
    await publisher.publish({ ...request, sbom: '{"spdxVersion":"SPDX-2.3","given":true}' });
    expect(files.files.get(`vm-base/${VERSION}/sbom.spdx.json`)?.body).toBe(
      '{"spdxVersion":"SPDX-2.3","given":true}',
    );
  });

  test('continues a build the trigger queued and the builder is building', async () => {
    const { publisher, request, records, manifest } = setUp();
    const queued = newImageBuild({
      image: 'vm-base',
      version: VERSION,
      fingerprint: manifest.fingerprint,
      at: 'x',
    });
    await records.put(moveImageBuild(queued, 'building', 'y', 'local'));

    const outcome = await publisher.publish(request);

    expect(outcome.record.history.map((h) => h.state)).toEqual([
      'queued',
      'building',
      'uploading',
      'published',
    ]);
  });

  test('the same fingerprint as the latest published version: unchanged, nothing uploaded, no event', async () => {
    const { publisher, request, records, uploader, files, events } = setUp();
    await publisher.publish({ ...request, version: '20261206.1', manifest: manifestOf('20261206.1') });
    events.published.length = 0;

    const outcome = await publisher.publish(request);

    expect(outcome).toMatchObject({ outcome: 'unchanged', bytesSent: 0 });
    expect(outcome.record).toMatchObject({ state: 'unchanged', sameAs: '20261206.1' });
    expect(outcome.record.history.at(-1)?.detail).toBe('same fingerprint as 20261206.1');
    expect(uploader.uploads).toHaveLength(1);
    expect([...files.files.keys()].every((name) => name.startsWith('vm-base/20261206.1/'))).toBe(true);
    expect(events.published).toEqual([]);
    expect((await records.get('vm-base', VERSION))?.state).toBe('unchanged');
  });

  test('another fingerprint than the latest published version is published as a new version', async () => {
    const { publisher, request, uploader } = setUp();
    await publisher.publish({
      ...request,
      version: '20261206.1',
      manifest: manifestOf('20261206.1', 'sha256:old'),
    });
    expect((await publisher.publish(request)).outcome).toBe('published');
    expect(uploader.uploads.map((u) => u.blobName)).toEqual([
      'vm-base/20261206.1/vm-base-20261206.1.vhd',
      `vm-base/${VERSION}/vm-base-${VERSION}.vhd`,
    ]);
  });

  test('publishing a published version again repeats its event (same id) and uploads nothing', async () => {
    const { publisher, request, uploader, events } = setUp();
    await publisher.publish(request);
    const again = await publisher.publish(request);
    expect(again.outcome).toBe('already-published');
    expect(uploader.uploads).toHaveLength(1);
    expect(events.published.map((e) => e.id)).toEqual([events.published[0]?.id, events.published[0]?.id]);
  });

  test('a published version is never written with other content: image.version-taken', async () => {
    const { publisher, request, uploader, records } = setUp();
    await publisher.publish(request);
    const error = await failureOf(
      publisher.publish({ ...request, manifest: manifestOf(VERSION, 'sha256:other') }),
    );
    expect(error.code).toBe('image.version-taken');
    expect(uploader.uploads).toHaveLength(1);
    expect((await records.get('vm-base', VERSION))?.state).toBe('published');
  });

  test('a transient upload failure records failed and image.failed; calling again continues to published', async () => {
    const { publisher, request, uploader, records, events } = setUp();
    uploader.failWith = PipelineError.transient('storage.unavailable', 'Azurite is down');

    const error = await failureOf(publisher.publish(request));

    expect(error.code).toBe('storage.unavailable');
    const failed = await records.get('vm-base', VERSION);
    expect(failed?.state).toBe('failed');
    expect(failed?.error).toEqual({
      code: 'storage.unavailable',
      message: 'Azurite is down',
      retryable: true,
    });
    expect(events.published.map((e) => e.type)).toEqual(['image.failed']);
    expect(eventCatalogue['image.failed'].data.parse(events.published[0]?.data)).toMatchObject({
      image: 'vm-base',
      version: VERSION,
      error: { code: 'storage.unavailable', retryable: true },
    });

    uploader.failWith = undefined;
    const retried = await publisher.publish(request);
    expect(retried.record.history.map((h) => h.state)).toEqual([
      'queued',
      'uploading',
      'failed',
      'uploading',
      'published',
    ]);
    expect(retried.record.error).toBeUndefined();
    expect(events.published.map((e) => e.type)).toEqual(['image.failed', 'image.published']);
  });

  test('a VHD that is not the one the manifest describes fails permanently, and stays failed', async () => {
    const { publisher, request, uploader, records, files, events } = setUp();
    uploader.sha256 = 'c'.repeat(64);

    const error = await failureOf(publisher.publish(request));

    expect(error.code).toBe('image.manifest-mismatch');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/SHA-256 is c{64}, the manifest says b{64}/);
    expect(files.files.size).toBe(0);
    expect((await records.get('vm-base', VERSION))?.error?.code).toBe('image.manifest-mismatch');
    expect(events.published.map((e) => e.type)).toEqual(['image.failed']);
    // Permanent: the same request is refused again, and nothing more is recorded or sent.
    uploader.sha256 = request.manifest.vhd.sha256;
    expect((await failureOf(publisher.publish(request))).code).toBe('image.invalid-transition');
    expect(events.published).toHaveLength(1);
  });

  test('a manifest of another image or version is refused before anything is uploaded', async () => {
    const { publisher, request, uploader } = setUp();
    const error = await failureOf(publisher.publish({ ...request, version: '20261206.3' }));
    expect(error.code).toBe('image.manifest-mismatch');
    expect(error.message).toMatch(/the manifest is of vm-base 20261206\.2/);
    expect(uploader.uploads).toEqual([]);
  });

  test('an unexpected failure is recorded as image.publish-failed and thrown as it was', async () => {
    const { publisher, request, uploader, records } = setUp();
    uploader.failWith = new TypeError('boom');
    await expect(publisher.publish(request)).rejects.toThrow(TypeError);
    expect((await records.get('vm-base', VERSION))?.error).toEqual({
      code: 'image.publish-failed',
      message: 'boom',
      retryable: false,
    });
  });

  test('when recording the failure fails too, the first failure is the one thrown', async () => {
    const { publisher, request, uploader, records } = setUp();
    uploader.failWith = PipelineError.transient('storage.unavailable', 'down');
    records.failPutsOf = 'failed';
    expect((await failureOf(publisher.publish(request))).code).toBe('storage.unavailable');
    expect((await records.get('vm-base', VERSION))?.state).toBe('uploading');
  });
});
