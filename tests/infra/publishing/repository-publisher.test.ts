import { beforeEach, describe, expect, test } from 'vitest';
import { composePublisher } from '../../../infra/publishing';
import type { RepositoryContainers } from '../../../infra/publishing';
import { PipelineError } from '../../../shared/errors';
import { eventIdOf, parseCloudEvent, toCloudEvent } from '../../../shared/events';
import type { PipelineEvent } from '../../../shared/events';
import { packageHref, publishRequestKey, RepositoryPublisher } from '../../../shared/publishing';
import type {
  CommitCondition,
  PublishFlushes,
  PublishRequest,
  RepositoryStore,
} from '../../../shared/publishing';
import { CatalogueTable } from '../../../infra/storage';
import { publishQueueTable } from '../../../shared/storage';
import { useAzurite } from '../../../testing/azurite';
import { publishRequest, readRepository, stageGenerated } from '../../../testing/rpm/published-repository';
import { recordingTelemetry } from '../../../testing/fakes/telemetry';

const REPO = 'base/x86_64';

describe('RepositoryPublisher on Azurite', () => {
  const azurite = useAzurite();
  const { blobs, tables } = azurite;
  let containers: RepositoryContainers;
  let pendingTable: string;
  let events: PipelineEvent<'repo.published'>[];
  let clock: number;

  const make = (
    over: {
      graceMs?: number;
      store?: (s: RepositoryStore) => RepositoryStore;
      telemetry?: ReturnType<typeof recordingTelemetry>['telemetry'];
      coalesce?: { coalesceMs: number; flushes: PublishFlushes };
    } = {},
  ) => {
    const composed = composePublisher(
      {
        blobs,
        tables,
        events: { publish: (list) => Promise.resolve(void events.push(...list.map(repoPublished))) },
      },
      {
        containers,
        pendingTable,
        graceMs: over.graceMs ?? 60_000,
        now: () => clock,
        ...(over.telemetry ? { telemetry: over.telemetry } : {}),
        ...over.coalesce,
      },
    );
    if (!over.store) return composed;
    // Same pending table and events, a wrapped store: the port under test.
    const publisher = new RepositoryPublisher(
      over.store(composed.store),
      composed.pending,
      { publish: (list) => Promise.resolve(void events.push(...list.map(repoPublished))) },
      { graceMs: over.graceMs ?? 60_000, now: () => clock, ...over.coalesce },
    );
    return { ...composed, publisher };
  };
  const stage = (name: string, version: string, arch = 'x86_64') =>
    stageGenerated(blobs, containers.artifacts, { name, version, release: '1.azl4', arch });

  beforeEach(async () => {
    containers = {
      repositories: azurite.name('repos'),
      state: azurite.name('state'),
      artifacts: azurite.name('art'),
    };
    pendingTable = azurite.name('pq');
    await blobs.ensureContainer(containers.artifacts);
    events = [];
    clock = 1_700_000_000_000;
  });

  test('reports each publish: its span, duration by outcome, packages, RepoPublished, the end-to-end latency', async () => {
    const recorded = recordingTelemetry();
    const { publisher } = make({ telemetry: recorded.telemetry });
    const request = {
      ...publishRequest(REPO, [await stage('alpha', '1.0'), await stage('beta', '2.0')]),
      upstreamSentAt: new Date(Date.now() - 90_000).toISOString(),
    };
    await publisher.publish(request);
    await publisher.publish(request);

    expect(recorded.spans.map((s) => [s.name, s.attributes['azl.repository.revision']])).toEqual([
      ['publish', 1],
      ['publish', 1],
    ]);
    expect(recorded.metricsNamed('azl.publish.duration').map((m) => m.dimensions)).toEqual([
      { repository: REPO, outcome: 'published' },
      { repository: REPO, outcome: 'unchanged' },
    ]);
    expect(recorded.metricsNamed('azl.publish.packages')).toEqual([
      { name: 'azl.publish.packages', value: 2, dimensions: { repository: REPO } },
    ]);
    expect(recorded.eventsNamed('RepoPublished')).toEqual([
      {
        name: 'RepoPublished',
        properties: { repository: REPO, revision: 1, packages: 2, added: 2, removed: 0 },
      },
    ]);
    const [latency] = recorded.metricsNamed('azl.pipeline.latency');
    expect(latency?.dimensions).toEqual({ repository: REPO });
    expect(latency?.value).toBeGreaterThanOrEqual(90);
  });

  test('the first publish creates revision 1, readable anonymously, and announces repo.published', async () => {
    const { publisher, store } = make();
    const outcome = await publisher.publish(
      publishRequest(REPO, [await stage('alpha', '1.0'), await stage('beta', '2.0')]),
    );
    expect(outcome).toMatchObject({
      revision: 1,
      changed: true,
      added: ['alpha-1.0-1.azl4.x86_64', 'beta-2.0-1.azl4.x86_64'],
    });
    const view = await readRepository(store.baseUrl(REPO));
    expect(view).toEqual({
      revision: '1',
      nevras: ['alpha-0:1.0-1.azl4.x86_64', 'beta-0:2.0-1.azl4.x86_64'],
    });
    expect(events.map((e) => [e.type, e.subject, e.data.revision])).toEqual([['repo.published', REPO, 1]]);
    const repoFile = await fetch(`${store.baseUrl(REPO)}azl-base-x86_64.repo`);
    expect(await repoFile.text()).toContain(`baseurl=${store.baseUrl(REPO)}`);
  });

  test('a publisher that dies just before its commit leaves the old revision served; the redelivery commits once', async () => {
    const { publisher, store } = make();
    await publisher.publish(publishRequest(REPO, [await stage('alpha', '1.0')]));
    const request = publishRequest(REPO, [await stage('beta', '1.0')]);
    // The dying publisher: metadata and state written, then it never reaches the commit.
    let reached: () => void = () => undefined;
    const atCommit = new Promise<void>((resolve) => (reached = resolve));
    const dying = new RepositoryPublisher(
      store,
      make().pending,
      { publish: (list) => Promise.resolve(void events.push(...list.map(repoPublished))) },
      {
        graceMs: 60_000,
        now: () => clock,
        beforeCommit: () => (reached(), new Promise<void>(() => undefined)),
      },
    );
    void dying.publish(request);
    await atCommit;
    expect(await readRepository(store.baseUrl(REPO))).toEqual({
      revision: '1',
      nevras: ['alpha-0:1.0-1.azl4.x86_64'],
    });

    const outcome = await make().publisher.publish(request);
    expect(outcome).toMatchObject({ revision: 2, changed: true, added: ['beta-1.0-1.azl4.x86_64'] });
    expect(await readRepository(store.baseUrl(REPO))).toEqual({
      revision: '2',
      nevras: ['alpha-0:1.0-1.azl4.x86_64', 'beta-0:1.0-1.azl4.x86_64'],
    });
    expect(await make().publisher.publish(request)).toMatchObject({ revision: 2, changed: false });
    expect(events.map((e) => e.data.revision)).toEqual([1, 2]);
  });

  test('a redelivered message, or another message for packages already there, makes no new revision', async () => {
    const { publisher, store } = make();
    const request = publishRequest(REPO, [await stage('alpha', '1.0')]);
    await publisher.publish(request);
    const before = await blobs.head(containers.repositories, `${REPO}/repodata/repomd.xml`);
    const again = await publisher.publish(request);
    expect(again).toMatchObject({ revision: 1, changed: false, added: [] });
    const sameBytesOtherBuild = await publisher.publish({
      ...request,
      fingerprint: `sha256:${'e'.repeat(64)}`,
    });
    expect(sameBytesOtherBuild).toMatchObject({ revision: 1, changed: false });
    const after = await blobs.head(containers.repositories, `${REPO}/repodata/repomd.xml`);
    expect(after?.etag).toBe(before?.etag);
    expect(events).toHaveLength(1);
    expect((await readRepository(store.baseUrl(REPO))).revision).toBe('1');
  });

  test('a run that committed but failed to announce announces on redelivery, without a new revision', async () => {
    let failNext = true;
    const { store, pending } = make();
    const flaky = new RepositoryPublisher(store, pending, {
      publish: (list) => {
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('topic unavailable'));
        }
        events.push(...list.map(repoPublished));
        return Promise.resolve();
      },
    });
    const request = publishRequest(REPO, [await stage('alpha', '1.0')]);
    await expect(flaky.publish(request)).rejects.toThrow('topic unavailable');
    expect((await readRepository(store.baseUrl(REPO))).revision).toBe('1'); // committed before the failure
    const redelivered = await flaky.publish(request);
    expect(redelivered).toMatchObject({ revision: 1, changed: false });
    expect(events.map((e) => [e.id, e.data.added])).toEqual([
      [eventIdOf('repo.published', `${REPO}:1`), ['alpha-1.0-1.azl4.x86_64']],
    ]);
    // Once announced and marked done, a further redelivery is silent.
    await flaky.publish(request);
    expect(events).toHaveLength(1);
  });

  test('retention replaces the older build; its files stay for the grace period, then are deleted', async () => {
    const { publisher, store } = make({ graceMs: 60_000 });
    const alpha10 = await stage('alpha', '1.0');
    await publisher.publish(publishRequest(REPO, [alpha10]));
    const firstRepomd = await (await fetch(`${store.baseUrl(REPO)}repodata/repomd.xml`)).text();
    const oldPrimary = /href="(repodata\/[0-9a-f]+-primary\.xml\.gz)"/.exec(firstRepomd)?.[1] ?? '';
    const oldRpm = packageHref(alpha10.fileName, alpha10.sha256);
    clock += 1_000;
    const second = await publisher.publish(publishRequest(REPO, [await stage('alpha', '1.1')]));
    expect(second).toMatchObject({
      revision: 2,
      added: ['alpha-1.1-1.azl4.x86_64'],
      removed: ['alpha-1.0-1.azl4.x86_64'],
    });
    expect((await readRepository(store.baseUrl(REPO))).nevras).toEqual(['alpha-0:1.1-1.azl4.x86_64']);
    // Within the grace period a client holding the old repomd.xml still finds everything.
    expect((await fetch(`${store.baseUrl(REPO)}${oldPrimary}`)).status).toBe(200);
    expect((await fetch(`${store.baseUrl(REPO)}${oldRpm}`)).status).toBe(200);
    expect(await publisher.sweep(REPO)).toBe(0);
    clock += 60_000;
    expect(await publisher.sweepAll()).toBeGreaterThanOrEqual(3); // the timer's sweep finds the repository
    expect((await fetch(`${store.baseUrl(REPO)}${oldPrimary}`)).status).toBe(404);
    expect((await fetch(`${store.baseUrl(REPO)}${oldRpm}`)).status).toBe(404);
    expect((await readRepository(store.baseUrl(REPO))).nevras).toEqual(['alpha-0:1.1-1.azl4.x86_64']);
  });

  test('after a mass rebuild a publish deletes only its share of the due garbage, 8 at a time; the sweep of a quiet repository takes the rest', async () => {
    const { store, pending } = make();
    const deleted: string[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const publisher = new RepositoryPublisher(
      {
        ...bind(store),
        deleteGarbage: async (repository, garbage) => {
          mostInFlight = Math.max(mostInFlight, ++inFlight);
          try {
            await store.deleteGarbage(repository, garbage);
            deleted.push(garbage.name);
          } finally {
            inFlight--;
          }
        },
      },
      pending,
      { publish: () => Promise.resolve() },
      { graceMs: 60_000, now: () => clock, deletesPerPublish: 10 },
    );
    const names = Array.from({ length: 12 }, (_, i) => `pkg${String(i).padStart(2, '0')}`);
    const firstBuilds = await Promise.all(names.map((n) => stage(n, '1.0')));
    await publisher.publish(publishRequest(REPO, firstBuilds));
    clock += 1_000;
    // Every package rebuilt at once: all of revision 1 is retired together.
    await publisher.publish(publishRequest(REPO, await Promise.all(names.map((n) => stage(n, '1.1')))));
    const committed = async () => store.loadGeneration((await store.head(REPO))!.state);
    const retired = (await committed()).garbage.map((g) => g.name);
    expect(retired.length).toBeGreaterThan(names.length);
    expect(retired.length).toBeLessThan(20);

    clock += 60_000;
    await publisher.publish(publishRequest(REPO, [await stage('late', '1.0')]));
    expect(deleted).toHaveLength(10);
    expect(mostInFlight).toBe(8);
    const stillDue = (await committed()).garbage.filter((g) => g.deleteAfter <= clock).map((g) => g.name);
    expect([...deleted, ...stillDue].sort()).toEqual([...retired].sort());

    // Right after that revision the repository is busy: the sweep leaves the rest for now.
    await publisher.sweep(REPO);
    expect(deleted).toHaveLength(10);
    clock += 60_000;
    await publisher.sweep(REPO);
    // Quiet a minute later: the rest of the rebuild's garbage goes (with what the 'late' revision retired).
    const deletedOfRebuild = () => deleted.filter((name) => retired.includes(name));
    expect(deletedOfRebuild().sort()).toEqual([...retired].sort());
    // The committed generation still lists what the sweep deleted; neither the next sweep nor the next
    // publishes, which hand it over 10 at a time, send those deletes again.
    const stillListed = async () =>
      (await committed()).garbage.filter((g) => retired.includes(g.name)).length;
    expect(await stillListed()).toBe(retired.length - 10);
    await publisher.sweep(REPO);
    clock += 1_000;
    await publisher.publish(publishRequest(REPO, [await stage('later', '1.0')]));
    expect(deletedOfRebuild()).toHaveLength(retired.length);
    expect(await stillListed()).toBe(0); // the rest: fewer than 20 were retired
    const pkg00 = firstBuilds[0]!;
    expect(retired).toContain(packageHref(pkg00.fileName, pkg00.sha256));
    expect((await fetch(`${store.baseUrl(REPO)}${packageHref(pkg00.fileName, pkg00.sha256)}`)).status).toBe(
      404,
    );
    const served = await readRepository(store.baseUrl(REPO));
    expect(served.nevras).toHaveLength(names.length + 2);
  });

  test('while the repository is busy its due garbage waits, neither the publishes nor the sweep delete it, until it is quiet or has waited maxDeferMs', async () => {
    const { store, pending } = make();
    const deleted: string[] = [];
    const publisher = new RepositoryPublisher(
      {
        ...bind(store),
        deleteGarbage: async (repository, garbage) => {
          await store.deleteGarbage(repository, garbage);
          deleted.push(garbage.name);
        },
      },
      pending,
      { publish: () => Promise.resolve() },
      { graceMs: 60_000, now: () => clock, deletion: { quietMs: 30_000, maxDeferMs: 300_000 } },
    );
    const alpha10 = await stage('alpha', '1.0');
    await publisher.publish(publishRequest(REPO, [alpha10]));
    clock += 1_000;
    await publisher.publish(publishRequest(REPO, [await stage('alpha', '1.1')]));
    const retiredAt = clock;
    const committed = async () => store.loadGeneration((await store.head(REPO))!.state);
    const retired = (await committed()).garbage.map((g) => g.name);
    const oldRpm = packageHref(alpha10.fileName, alpha10.sha256);
    expect(retired).toContain(oldRpm);

    // A revision every 20 s, past the grace period and for less than maxDeferMs after it: nothing is deleted,
    // and what waits stays listed in the committed generation.
    for (let i = 0; i < 12; i++) {
      clock += 20_000;
      await publisher.publish(publishRequest(REPO, [await stage(`busy${i}`, '1.0')]));
      await publisher.sweep(REPO);
    }
    expect(clock - retiredAt).toBeGreaterThan(60_000 + 120_000);
    expect(deleted).toEqual([]);
    expect((await committed()).garbage.map((g) => g.name)).toEqual(expect.arrayContaining(retired));
    expect((await fetch(`${store.baseUrl(REPO)}${oldRpm}`)).status).toBe(200);

    // Quiet for 30 s: the sweep deletes everything due.
    clock += 30_000;
    await publisher.sweep(REPO);
    expect(deleted).toEqual(expect.arrayContaining(retired));
    expect((await fetch(`${store.baseUrl(REPO)}${oldRpm}`)).status).toBe(404);

    // A repository that never rests: its garbage goes once it has waited maxDeferMs past its grace period.
    deleted.length = 0;
    clock += 1_000;
    await publisher.publish(publishRequest(REPO, [await stage('beta', '1.0')]));
    clock += 1_000;
    await publisher.publish(publishRequest(REPO, [await stage('beta', '1.1')]));
    const retiredBeta = (await committed()).garbage
      .filter((g) => g.name.includes('beta-1.0'))
      .map((g) => g.name);
    expect(retiredBeta).toHaveLength(1);
    const dueAt = clock + 60_000;
    while (clock < dueAt + 300_000) {
      clock += 20_000;
      await publisher.sweep(REPO);
      if (clock < dueAt + 300_000) expect(deleted).not.toContain(retiredBeta[0]);
      await publisher.publish(publishRequest(REPO, [await stage(`again${clock}`, '1.0')]));
    }
    expect(deleted).toContain(retiredBeta[0]);
  });

  test('a late, older build is not published at all', async () => {
    const { publisher } = make();
    await publisher.publish(publishRequest(REPO, [await stage('alpha', '2.0')]));
    const older = await stage('alpha', '1.0');
    const late = await publisher.publish(publishRequest(REPO, [older]));
    expect(late).toMatchObject({ revision: 1, changed: false });
    expect(
      await blobs.head(containers.repositories, `${REPO}/${packageHref(older.fileName, older.sha256)}`),
    ).toBeUndefined();
  });

  test('requests pending for the repository are coalesced into one generation', async () => {
    const { publisher, pending } = make();
    const waiting = publishRequest(REPO, [await stage('gamma', '1.0')]);
    await pending.record(publishRequestKey(waiting), waiting); // arrived while another run was busy
    const outcome = await publisher.publish(publishRequest(REPO, [await stage('delta', '1.0')]));
    expect(outcome.revision).toBe(1);
    expect(outcome.added.sort()).toEqual(['delta-1.0-1.azl4.x86_64', 'gamma-1.0-1.azl4.x86_64']);
    expect(outcome.requests).toContain(publishRequestKey(waiting));
    const itsOwnTurn = await publisher.publish(waiting);
    expect(itsOwnTurn).toMatchObject({ revision: 1, changed: false });
  });

  test('within the coalescing window a request waits for one flush at its end, which publishes all that waited', async () => {
    const flushes: { request: PublishRequest; at: number }[] = [];
    const recorder: PublishFlushes = {
      scheduleFlush: (request, at) => Promise.resolve(void flushes.push({ request, at: at.getTime() })),
    };
    const { publisher } = make({ coalesce: { coalesceMs: 10_000, flushes: recorder } });
    const first = await publisher.publish(publishRequest(REPO, [await stage('alpha', '1.0')]));
    expect(first).toMatchObject({ revision: 1, changed: true }); // a quiet repository publishes at once
    const publishedAt = clock;

    clock += 2_000;
    const beta = publishRequest(REPO, [await stage('beta', '1.0')]);
    const gamma = publishRequest(REPO, [await stage('gamma', '1.0')]);
    expect(await publisher.publish(beta)).toMatchObject({
      revision: 1,
      changed: false,
      deferredUntil: new Date(publishedAt + 10_000).toISOString(),
    });
    clock += 3_000;
    expect((await publisher.publish(gamma)).changed).toBe(false);
    // Both wait for the same moment: this publisher asks for that flush once (the queue would drop a repeat).
    expect(flushes.map((f) => f.at)).toEqual([publishedAt + 10_000]);

    clock = publishedAt + 10_000;
    const flushed = await publisher.publish(flushes[0]!.request, { deferrable: false });
    expect(flushed).toMatchObject({ revision: 2, changed: true });
    expect(flushed.added.sort()).toEqual(['beta-1.0-1.azl4.x86_64', 'gamma-1.0-1.azl4.x86_64']);
    expect(await publisher.publish(gamma, { deferrable: false })).toMatchObject({
      revision: 2,
      changed: false,
    });
    expect(events.map((e) => e.data.revision)).toEqual([1, 2]);
  });

  test('a flush is never deferred again, even when this clock says the window has not passed', async () => {
    const flushes: number[] = [];
    const recorder: PublishFlushes = {
      scheduleFlush: (_r, at) => Promise.resolve(void flushes.push(at.getTime())),
    };
    const { publisher } = make({ coalesce: { coalesceMs: 10_000, flushes: recorder } });
    await publisher.publish(publishRequest(REPO, [await stage('alpha', '1.0')]));
    clock += 1_000; // behind the broker's clock that delivered the flush
    const flushed = await publisher.publish(publishRequest(REPO, [await stage('beta', '1.0')]), {
      deferrable: false,
    });
    expect(flushed).toMatchObject({ revision: 2, changed: true });
    expect(flushes).toEqual([]);
  });

  test('the generation is read again only when the head names another state blob', async () => {
    let loads = 0;
    const { publisher } = make({
      store: (store) => ({ ...bind(store), loadGeneration: (s) => (loads++, store.loadGeneration(s)) }),
    });
    await publisher.publish(publishRequest(REPO, [await stage('alpha', '1.0')]));
    await publisher.publish(publishRequest(REPO, [await stage('beta', '1.0')]));
    const again = publishRequest(REPO, [await stage('gamma', '1.0')]);
    await publisher.publish(again);
    await publisher.publish(again); // redelivered: already published
    expect(loads).toBe(0); // every generation it used was its own last commit

    // Another publisher commits: the head moves, and this one reads the new generation once.
    const other = make();
    await other.publisher.publish(publishRequest(REPO, [await stage('delta', '1.0')]));
    const outcome = await publisher.publish(publishRequest(REPO, [await stage('epsilon', '1.0')]));
    expect(outcome.revision).toBe(5);
    expect(loads).toBe(1);
  });

  test('a commit that keeps losing the race ends as the transient publish.lost-race', async () => {
    const alwaysLoses = (inner: RepositoryStore): RepositoryStore => ({
      ...bind(inner),
      commit: () =>
        Promise.reject(PipelineError.permanent('storage.precondition-failed', 'condition not met', {})),
    });
    const { publisher } = make({ store: alwaysLoses });
    const error = await publisher
      .publish(publishRequest(REPO, [await stage('alpha', '1.0')]))
      .catch((e: unknown) => e);
    expect(PipelineError.is(error, 'publish.lost-race')).toBe(true);
    expect((error as PipelineError).retryable).toBe(true);
  });

  test('an artifact that is not the package the request names is a permanent publish.artifact-mismatch', async () => {
    const { publisher, store } = make();
    const staged = await stage('alpha', '1.0');
    const error = await publisher
      .publish(
        publishRequest(REPO, [
          { ...staged, nevra: 'alpha-9.9-1.azl4.x86_64', fileName: 'alpha-9.9-1.azl4.x86_64.rpm' },
        ]),
      )
      .catch((e: unknown) => e);
    expect(PipelineError.is(error, 'publish.artifact-mismatch')).toBe(true);
    expect((error as PipelineError).retryable).toBe(false);
    expect(await store.head(REPO)).toBeUndefined(); // nothing was committed
  });

  test('a request whose file is gone is set aside with its reason; the other requests are published, and later publishes do not stop on it', async () => {
    const { publisher, pending, store } = make();
    const queue = new CatalogueTable(tables, publishQueueTable, pendingTable);
    const alpha = publishRequest(REPO, [await stage('alpha', '1.0')]);
    // beta's build: its binary and source RPM, the binary deleted since (a retention period that passed).
    const betaRpm = await stage('beta', '1.0');
    const gone = publishRequest(REPO, [betaRpm, await stage('beta', '1.0', 'src')]);
    expect(await blobs.delete(containers.artifacts, betaRpm.artifactBlob)).toBe(true);
    await pending.add(publishRequestKey(gone), gone);

    const outcome = await publisher.publish(alpha);
    expect(outcome).toMatchObject({ revision: 1, added: ['alpha-1.0-1.azl4.x86_64'] });
    expect(outcome.requests).toEqual([publishRequestKey(alpha)]);
    expect(outcome.setAside?.map((s) => [s.key, s.error.code, s.error.context['artifactBlob']])).toEqual([
      [publishRequestKey(gone), 'publish.artifact-missing', betaRpm.artifactBlob],
    ]);
    // All of the request or none of it: the source RPM, which is there, stayed out too.
    expect(await readRepository(store.baseUrl(REPO))).toEqual({
      revision: '1',
      nevras: ['alpha-0:1.0-1.azl4.x86_64'],
    });
    const kept = await queue.get(REPO, publishRequestKey(gone), 'rejected');
    expect(kept?.row).toMatchObject({
      state: 'rejected',
      request: gone,
      error: { code: 'publish.artifact-missing', context: { artifactBlob: betaRpm.artifactBlob } },
    });
    expect(await pending.pending(REPO)).toEqual([]);

    // Its own message: it fails on it again and ends with the reason, publishing nothing.
    const own = await publisher.publish(gone).catch((e: unknown) => e);
    expect(PipelineError.is(own, 'publish.artifact-missing')).toBe(true);
    expect((own as PipelineError).retryable).toBe(false);
    // The next build is published as if nothing had happened.
    const gamma = publishRequest(REPO, [await stage('gamma', '3.0')]);
    expect(await publisher.publish(gamma)).toMatchObject({
      revision: 2,
      requests: [publishRequestKey(gamma)],
    });
    expect((await readRepository(store.baseUrl(REPO))).nevras).toEqual([
      'alpha-0:1.0-1.azl4.x86_64',
      'gamma-0:3.0-1.azl4.x86_64',
    ]);

    // The cause fixed (the same file back in artifacts), the request sent again, as re-sending its
    // dead-lettered message does: it is pending again and published whole.
    expect((await stage('beta', '1.0')).artifactBlob).toBe(betaRpm.artifactBlob);
    expect(await publisher.publish(gone)).toMatchObject({
      revision: 3,
      requests: [publishRequestKey(gone)],
      added: ['beta-1.0-1.azl4.x86_64', 'beta-1.0-1.azl4.src'],
    });
    expect((await readRepository(store.baseUrl(REPO))).nevras).toEqual([
      'alpha-0:1.0-1.azl4.x86_64',
      'beta-0:1.0-1.azl4.src',
      'beta-0:1.0-1.azl4.x86_64',
      'gamma-0:3.0-1.azl4.x86_64',
    ]);
    expect((await queue.get(REPO, publishRequestKey(gone), 'done'))?.row).toMatchObject({ revision: 3 });
  });

  test('a rebuild with the same NEVRA and other contents: readers see the old file until the commit, then the new one', async () => {
    // A reverse-dependency rebuild: same spec, so the same NEVRA, but other dependencies and files.
    const alpha = (files: string[]) =>
      stageGenerated(blobs, containers.artifacts, {
        name: 'alpha',
        version: '1.0',
        release: '1.azl4',
        files,
      });
    let seenAtCommit: Awaited<ReturnType<typeof readRepository>> | Error | undefined;
    const { publisher, store } = make({
      store: (inner) => ({
        ...bind(inner),
        commit: async (repository, bytes, condition, state) => {
          if (condition && 'ifMatch' in condition)
            seenAtCommit = await readRepository(inner.baseUrl(repository)).catch((e: unknown) => e as Error);
          return inner.commit(repository, bytes, condition, state);
        },
      }),
    });
    const first = await alpha(['/usr/bin/alpha']);
    const rebuilt = await alpha(['/usr/bin/alpha', '/usr/lib/alpha/plugin.so']);
    expect(rebuilt.sha256).not.toBe(first.sha256);
    await publisher.publish(publishRequest(REPO, [first]));
    const outcome = await publisher.publish(publishRequest(REPO, [rebuilt]));

    expect(outcome).toMatchObject({ revision: 2, changed: true, packages: 1 });
    // Just before the commit, revision 1 is served whole: its file is the one its primary.xml describes.
    expect(seenAtCommit).toEqual({ revision: '1', nevras: ['alpha-0:1.0-1.azl4.x86_64'] });
    expect(await readRepository(store.baseUrl(REPO))).toEqual({
      revision: '2',
      nevras: ['alpha-0:1.0-1.azl4.x86_64'],
    });
  });

  test('two concurrent publishers: the one that loses the ETag race retries and both builds are published', async () => {
    let releaseLoser: () => void = () => undefined;
    const winnerCommitted = new Promise<void>((done) => (releaseLoser = done));
    let loserAtCommit: () => void = () => undefined;
    const loserReady = new Promise<void>((done) => (loserAtCommit = done));
    let commits = 0;
    let lostRaces = 0;
    const lostAttemptFiles: string[] = [];
    // The loser reads the head first, then waits at its commit until the winner has committed.
    const loserStore = (inner: RepositoryStore): RepositoryStore => ({
      ...bind(inner),
      commit: async (repository: string, bytes: Uint8Array, condition: CommitCondition, state) => {
        if (commits++ === 0) {
          lostAttemptFiles.push(
            ...[
              ...Buffer.from(bytes)
                .toString()
                .matchAll(/href="([^"]+)"/g),
            ].map((m) => m[1] ?? ''),
          );
          loserAtCommit();
          await winnerCommitted;
        }
        try {
          await inner.commit(repository, bytes, condition, state);
        } catch (error) {
          lostRaces += 1;
          throw error;
        }
      },
    });
    const winnerStore = (inner: RepositoryStore): RepositoryStore => ({
      ...bind(inner),
      commit: async (repository, bytes, condition, state) => {
        await inner.commit(repository, bytes, condition, state);
        releaseLoser();
      },
    });
    // Different pending tables, so neither sees the other's request: only the ETag protects the repository.
    const loser = make({ store: loserStore });
    pendingTable = azurite.name('pq');
    const winner = make({ store: winnerStore });
    const loserRequest = publishRequest(REPO, [await stage('left', '1.0')]);
    const winnerRequest = publishRequest(REPO, [await stage('right', '1.0')]);
    const loserRun = loser.publisher.publish(loserRequest);
    await loserReady; // the loser has read the empty head and written everything but repomd.xml
    const [lost, won] = await Promise.all([loserRun, winner.publisher.publish(winnerRequest)]);
    expect(lostRaces).toBe(1);
    expect(won.revision).toBe(1);
    expect(lost.revision).toBe(2);
    expect((await readRepository(loser.store.baseUrl(REPO))).nevras).toEqual([
      'left-0:1.0-1.azl4.x86_64',
      'right-0:1.0-1.azl4.x86_64',
    ]);
    // What the lost attempt wrote and nothing references is retired with the generation, not leaked.
    const head = await loser.store.head(REPO);
    const committed = head ? await loser.store.loadGeneration(head.state) : undefined;
    expect(lostAttemptFiles).toHaveLength(3);
    expect(committed?.garbage.map((g) => g.name)).toEqual(expect.arrayContaining(lostAttemptFiles));
  });
});

/** The store's methods bound to it, so a wrapper can spread them and override one. */
function bind(store: RepositoryStore): RepositoryStore {
  return {
    head: (r) => store.head(r),
    loadGeneration: (s) => store.loadGeneration(s),
    copyPackage: (a, r, h) => store.copyPackage(a, r, h),
    readRange: (r, h, o, c) => store.readRange(r, h, o, c),
    writeFile: (r, h, b, t) => store.writeFile(r, h, b, t),
    writeState: (g) => store.writeState(g),
    commit: (r, b, c, s) => store.commit(r, b, c, s),
    deleteGarbage: (r, g) => store.deleteGarbage(r, g),
    repositories: () => store.repositories(),
    listGenerationFiles: (r) => store.listGenerationFiles(r),
    listStates: (r) => store.listStates(r),
    baseUrl: (r) => store.baseUrl(r),
  };
}

/** The publisher announces nothing but `repo.published`, valid as a receiver reads it. */
function repoPublished(event: PipelineEvent): PipelineEvent<'repo.published'> {
  if (event.type !== 'repo.published') throw new Error(`unexpected ${event.type}`);
  parseCloudEvent(JSON.parse(JSON.stringify(toCloudEvent(event, 'publisher-test'))));
  return event;
}
