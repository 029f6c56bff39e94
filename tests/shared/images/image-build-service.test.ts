import { describe, expect, it } from 'vitest';
import { PipelineError } from '../../../shared/errors';
import { ImageBuildService } from '../../../shared/images/image-build-service';
import type {
  BuildableImage,
  ImageBuilder,
  ImageBuilderOutcome,
  ImageBuildJob,
  PublishedRepository,
} from '../../../shared/images/image-build-service';
import type { ImageEntry } from '../../../shared/images/image-entry';
import { ImagePublisher } from '../../../shared/images/image-publisher';
import { buildImageManifest } from '../../../shared/images/manifest';
import { resolveImageDefinition } from '../../../shared/images/resolve-definition';
import { MemoryPublisher } from '../../../testing/fakes/planning-ports';
import {
  FakeVhdUploader,
  MemoryImageBuilds,
  MemoryImageFiles,
} from '../../../testing/images/image-publisher-fakes';
import { sampleManifestInput } from '../../../testing/images/sample-image-manifest';
import { VM_BASE } from './kiwi-fixtures';

const entry: ImageEntry = { name: 'vm-base', config: {}, file: '/tree/vm-base.kiwi', allowMissing: false };
const image: BuildableImage = {
  name: 'vm-base',
  definition: resolveImageDefinition(entry, VM_BASE, 'x86_64'),
  description: { file: 'base/images/vm-base/vm-base.kiwi', sha256: 'a'.repeat(64) },
  descriptionPath: '/tree/base/images/vm-base/vm-base.kiwi',
  allowMissing: true,
};

const repo = (repository: string, revision: number): PublishedRepository => ({
  repository,
  revision,
  baseUrl: `http://127.0.0.1:10000/devstoreaccount1/repos/${repository}/`,
});

/** Builds "succeed" with a manifest of the job (what a real builder would read back), or fail as told. */
class FakeBuilder implements ImageBuilder {
  readonly kind = 'fake';
  readonly jobs: ImageBuildJob[] = [];
  readonly disposed: string[] = [];
  failWith: Error | undefined;
  dispatch = false;
  /** The fingerprint the "build" reports, when a repository moved under it. */
  sawFingerprint: string | undefined;

  build(job: ImageBuildJob): Promise<ImageBuilderOutcome> {
    this.jobs.push(job);
    if (this.failWith) return Promise.reject(this.failWith);
    if (this.dispatch) return Promise.resolve({ kind: 'dispatched', detail: 'execution job-1' });
    const manifest = buildImageManifest(
      sampleManifestInput({
        image: { name: job.image.name, version: job.version },
        fingerprint: this.sawFingerprint ?? job.fingerprint,
        repositories: job.repositories.map((r) => ({ ...r })),
      }),
    );
    return Promise.resolve({
      kind: 'built',
      vhdFile: `/work/${job.version}.vhd`,
      manifest,
      dispose: () => {
        this.disposed.push(job.version);
        return Promise.resolve();
      },
    });
  }
}

function setUp(options: { repositories?: PublishedRepository[]; known?: boolean } = {}) {
  const records = new MemoryImageBuilds();
  const events = new MemoryPublisher();
  const sample = buildImageManifest(sampleManifestInput());
  const uploader = new FakeVhdUploader(sample.vhd.sha256, sample.sizes.vhdFileBytes);
  let tick = 0;
  const now = () => new Date(Date.UTC(2026, 11, 6, 9, 0, tick++));
  const publisher = new ImagePublisher({ records, uploader, files: new MemoryImageFiles(), events, now });
  const builder = new FakeBuilder();
  let repositories = options.repositories ?? [repo('base/x86_64', 7), repo('base/noarch', 3)];
  const registered: string[] = [];
  let registerFails: Error | undefined;
  const service = new ImageBuildService({
    images: {
      get: (name) => Promise.resolve(options.known === false || name !== image.name ? undefined : image),
    },
    repositories: { forArch: () => Promise.resolve(repositories) },
    records,
    builder,
    publisher,
    events,
    register: (built, version, url) => {
      if (registerFails) return Promise.reject(registerFails);
      registered.push(`${built.name} ${version} ${url}`);
      return Promise.resolve();
    },
    now,
  });
  const request = { image: 'vm-base', reason: 'repositories-changed' as const, revisions: {} };
  return {
    service,
    records,
    events,
    builder,
    uploader,
    registered,
    request,
    moveRepositories: (next: PublishedRepository[]) => (repositories = next),
    failRegistrationWith: (error: Error) => (registerFails = error),
  };
}

const states = (records: MemoryImageBuilds, version: string) =>
  [...records.records.values()].find((r) => r.version === version)?.history.map((h) => h.state);

describe('image builds the trigger asks for', () => {
  it('builds a new version from the published repositories, publishes it, registers it, and cleans up', async () => {
    const { service, records, events, builder, registered, request } = setUp();

    const outcome = await service.requestBuild(request);

    expect(outcome).toMatchObject({ kind: 'published', image: 'vm-base', buildId: '20261206.1' });
    expect(builder.jobs).toHaveLength(1);
    expect(builder.jobs[0]!.repositories.map((r) => r.repository)).toEqual(['base/x86_64', 'base/noarch']);
    expect(states(records, '20261206.1')).toEqual(['queued', 'building', 'uploading', 'published']);
    expect(registered).toEqual([
      'vm-base 20261206.1 memory://images/vm-base/20261206.1/vm-base-20261206.1.vhd',
    ]);
    expect(builder.disposed).toEqual(['20261206.1']);
    expect(events.published.map((e) => e.type)).toEqual(['image.published']);
  });

  it('builds nothing when the fingerprint is the published one, and records that once', async () => {
    const { service, records, builder, request } = setUp();
    await service.requestBuild(request);

    const again = await service.requestBuild(request);
    const third = await service.requestBuild({ ...request, reason: 'requested' });

    expect(again).toMatchObject({ kind: 'unchanged', image: 'vm-base' });
    expect(third.kind).toBe('unchanged');
    expect(builder.jobs).toHaveLength(1);
    const unchanged = [...records.records.values()].filter((r) => r.state === 'unchanged');
    expect(unchanged).toHaveLength(1);
    expect(unchanged[0]).toMatchObject({ version: '20261206.2', sameAs: '20261206.1' });
  });

  it('builds again, as the next version, once a repository moved', async () => {
    const { service, builder, request, moveRepositories } = setUp();
    const first = await service.requestBuild(request);
    moveRepositories([repo('base/x86_64', 8), repo('base/noarch', 3)]);

    const second = await service.requestBuild(request);

    expect(second).toMatchObject({ kind: 'published', buildId: '20261206.2' });
    expect(second.kind === 'published' && first.kind === 'published' && second.fingerprint).not.toBe(
      first.kind === 'published' && first.fingerprint,
    );
    expect(builder.jobs.map((j) => j.repositories[0]!.revision)).toEqual([7, 8]);
  });

  it('takes the fingerprint of what the build read when a repository moved under it', async () => {
    const { service, records, builder, request } = setUp();
    builder.sawFingerprint = 'sha256:' + 'c'.repeat(64);

    const outcome = await service.requestBuild(request);

    expect(outcome).toMatchObject({ kind: 'published', fingerprint: builder.sawFingerprint });
    expect(records.records.get('vm-base\n20261206.1')?.fingerprint).toBe(builder.sawFingerprint);
  });

  it('answers unknown-image for an image the tree no longer has, recording nothing', async () => {
    const { service, records, request } = setUp({ known: false });

    expect(await service.requestBuild(request)).toEqual({ kind: 'unknown-image', image: 'vm-base' });
    expect(records.puts).toEqual([]);
  });

  it('records a permanent failure with its code and image.failed, and completes (no retry)', async () => {
    const { service, records, events, builder, request } = setUp();
    builder.failWith = PipelineError.permanent('image.missing-packages', 'no repository has kernel', {
      missing: 'kernel',
    });

    const outcome = await service.requestBuild(request);

    expect(outcome).toMatchObject({
      kind: 'failed',
      buildId: '20261206.1',
      error: { code: 'image.missing-packages', retryable: false },
    });
    expect(states(records, '20261206.1')).toEqual(['queued', 'building', 'failed']);
    expect(events.published.map((e) => e.type)).toEqual(['image.failed']);
  });

  it('throws a retryable failure for redelivery, and the next attempt continues the same version', async () => {
    const { service, records, builder, request } = setUp();
    builder.failWith = PipelineError.transient('image.repository-unreachable', 'repomd.xml timed out');

    await expect(service.requestBuild(request)).rejects.toMatchObject({
      code: 'image.repository-unreachable',
    });
    builder.failWith = undefined;
    const outcome = await service.requestBuild(request);

    expect(outcome).toMatchObject({ kind: 'published', buildId: '20261206.1' });
    expect(states(records, '20261206.1')).toEqual([
      'queued',
      'building',
      'failed',
      'building',
      'uploading',
      'published',
    ]);
  });

  it("fails the build with the gallery's error when registration fails, before it says published", async () => {
    const { service, records, request, failRegistrationWith } = setUp();
    failRegistrationWith(PipelineError.permanent('gallery.conflict', 'version 2026.1206.1 exists'));

    const outcome = await service.requestBuild(request);

    expect(outcome).toMatchObject({ kind: 'failed', error: { code: 'gallery.conflict' } });
    expect(states(records, '20261206.1')).toEqual(['queued', 'building', 'uploading', 'failed']);
  });

  it('leaves a dispatched build building for its worker', async () => {
    const { service, records, builder, request } = setUp();
    builder.dispatch = true;

    const outcome = await service.requestBuild(request);

    expect(outcome).toMatchObject({ kind: 'queued', buildId: '20261206.1' });
    expect(states(records, '20261206.1')).toEqual(['queued', 'building']);
    // A redelivery of the same request does not start a second build of the same fingerprint's version.
    await service.requestBuild(request);
    expect(builder.jobs.map((j) => j.version)).toEqual(['20261206.1', '20261206.1']);
  });

  it("lets the dispatched build's worker continue that version, once", async () => {
    const { service, records, builder, request } = setUp();
    builder.dispatch = true;
    await service.requestBuild(request);
    builder.dispatch = false;

    const continued = await service.continueBuild('vm-base', '20261206.1');
    const again = await service.continueBuild('vm-base', '20261206.1');

    expect(continued).toMatchObject({ kind: 'published', buildId: '20261206.1' });
    expect(again).toEqual(continued);
    expect(builder.jobs.map((j) => j.version)).toEqual(['20261206.1', '20261206.1']);
    expect(states(records, '20261206.1')).toEqual(['queued', 'building', 'uploading', 'published']);
    await expect(service.continueBuild('vm-base', '20261206.9')).rejects.toMatchObject({
      code: 'image.build-not-found',
    });
  });

  it('fails permanently, recorded, when no repository of the architecture is published yet', async () => {
    const { service, records, builder, request } = setUp({ repositories: [] });

    const outcome = await service.requestBuild(request);

    expect(outcome).toMatchObject({ kind: 'failed', error: { code: 'image.no-repositories' } });
    expect(builder.jobs).toEqual([]);
    expect(states(records, '20261206.1')).toEqual(['queued', 'failed']);
  });
});
