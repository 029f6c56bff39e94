import { beforeEach, describe, expect, test } from 'vitest';
import { composePublisher } from '../../../infra/publishing';
import type { RepositoryContainers } from '../../../infra/publishing';
import { CLOCK_SKEW_MS, packageHref, RepositoryPublisher } from '../../../shared/publishing';
import type { PublishRequest } from '../../../shared/publishing';
import { useAzurite } from '../../../testing/azurite';
import { repoquery } from '../../../testing/rpm/dnf';
import { publishRequest, readRepository, stageGenerated } from '../../../testing/rpm/published-repository';

const REPO = 'base/x86_64';
const GRACE_MS = 60_000;

/**
 * Item 10 of issue 19: a publish killed between its uploads and its commit leaves blobs no generation
 * references; the sweep removes exactly those once a later generation is committed and the grace period has
 * passed, never a committed file, and never the uploads of a publish that can still commit.
 */
describe('the sweep removes what a publish killed before its commit left behind', () => {
  const azurite = useAzurite();
  const { blobs, tables } = azurite;
  let containers: RepositoryContainers;
  let pendingTable: string;
  /** The publisher's clock, fixed by the test. Blob times are the service's, so it starts at the real now. */
  let clock: number;

  beforeEach(async () => {
    containers = {
      repositories: azurite.name('repos'),
      state: azurite.name('state'),
      artifacts: azurite.name('art'),
    };
    pendingTable = azurite.name('pq');
    await blobs.ensureContainer(containers.artifacts);
    clock = Date.now();
  });

  const make = () =>
    composePublisher({ blobs, tables }, { containers, pendingTable, graceMs: GRACE_MS, now: () => clock });
  const stage = (name: string, version: string) =>
    stageGenerated(blobs, containers.artifacts, { name, version, release: '1.azl4', arch: 'x86_64' });
  /** Every blob of the repository, in both containers, as `container:name@etag`. */
  const everything = async () => {
    const found: string[] = [];
    for (const container of [containers.repositories, containers.state]) {
      for await (const blob of blobs.list(container, `${REPO}/`))
        found.push(`${container}:${blob.name}@${blob.etag}`);
    }
    return found.sort();
  };
  /** Runs `request` until it has uploaded everything and written its state, then stops it there for good. */
  const killedBeforeCommit = async (request: PublishRequest) => {
    const { store, pending } = make();
    let reached: () => void = () => undefined;
    const atCommit = new Promise<void>((resolve) => (reached = resolve));
    const dying = new RepositoryPublisher(
      store,
      pending,
      { publish: () => Promise.resolve() },
      {
        graceMs: GRACE_MS,
        now: () => clock,
        beforeCommit: () => (reached(), new Promise<void>(() => undefined)),
      },
    );
    void dying.publish(request);
    await atCommit;
  };

  /** Names only, for comparing listings across rewrites. */
  const name = (blob: string) => blob.slice(blob.indexOf(':') + 1, blob.lastIndexOf('@'));
  const repoFile = `${REPO}/azl-base-x86_64.repo`;
  /** A clock that puts the next generation clearly after every blob written so far (storage clock skew allowed). */
  const nextGenerationClock = () => Date.now() + CLOCK_SKEW_MS + 1_000;

  test('once a later generation is committed and the grace period has passed, exactly the orphans go; dnf reads it', async () => {
    const { publisher, store } = make();
    await publisher.publish(publishRequest(REPO, [await stage('alpha', '1.0')]));
    const committed = await everything();

    // Replaces alpha (a new package file) and adds beta: packages, metadata and state are written, no commit.
    const [alpha11, beta10] = [await stage('alpha', '1.1'), await stage('beta', '1.0')];
    await killedBeforeCommit(publishRequest(REPO, [alpha11, beta10]));
    const afterCrash = await everything();
    const left = afterCrash.filter((blob) => !committed.includes(blob)).map(name);
    expect(left.filter((n) => n !== repoFile)).toHaveLength(6);
    expect(left).toEqual(
      expect.arrayContaining([
        `${REPO}/${packageHref(alpha11.fileName, alpha11.sha256)}`,
        `${REPO}/${packageHref(beta10.fileName, beta10.sha256)}`,
        expect.stringMatching(new RegExp(`^${REPO}/generation-2-[^/]+\\.json$`)),
        expect.stringMatching(/\/repodata\/[0-9a-f]+-filelists\.xml\.gz$/),
        expect.stringMatching(/\/repodata\/[0-9a-f]+-other\.xml\.gz$/),
        expect.stringMatching(/\/repodata\/[0-9a-f]+-primary\.xml\.gz$/),
      ]),
    );

    // Long after the grace period, but nothing committed since: the killed publish might still be running.
    clock = Date.now() + 10 * GRACE_MS;
    expect(await publisher.sweepAll()).toBe(0);
    expect(await everything()).toEqual(afterCrash);

    // The next publish (gamma) takes the killed request along (still pending) and commits revision 2: it
    // writes the same package names again; the killed attempt's metadata and state are what nothing uses.
    clock = nextGenerationClock();
    await publisher.publish(publishRequest(REPO, [await stage('gamma', '1.0')]));
    const afterCommit = await everything();
    const orphans = left.filter((n) => n !== repoFile && !n.includes('/Packages/'));
    expect(orphans).toHaveLength(4);
    expect(afterCommit.map(name)).toEqual(expect.arrayContaining(orphans));

    // Past the orphans' grace period, before the retired revision 1 files are due: only the orphans go.
    clock = Date.now() + GRACE_MS + 1_000;
    expect(await publisher.sweep(REPO)).toBe(orphans.length);
    expect(await everything()).toEqual(afterCommit.filter((blob) => !orphans.includes(name(blob))));
    expect(await readRepository(store.baseUrl(REPO))).toEqual({
      revision: '2',
      nevras: ['alpha-0:1.1-1.azl4.x86_64', 'beta-0:1.0-1.azl4.x86_64', 'gamma-0:1.0-1.azl4.x86_64'],
    });
    expect(repoquery(store.baseUrl(REPO))).toEqual([
      'alpha-0:1.1-1.azl4.x86_64',
      'beta-0:1.0-1.azl4.x86_64',
      'gamma-0:1.0-1.azl4.x86_64',
    ]);
    expect(await publisher.sweep(REPO)).toBe(0); // nothing more to find until revision 1's files are due
  });

  test('a publish slower than the grace period loses nothing it commits, even when the sweep runs meanwhile', async () => {
    const { publisher, store } = make();
    await publisher.publish(publishRequest(REPO, [await stage('alpha', '1.0')]));
    // The slow publisher stops at its commit until released; its own pending table, so no one coalesces it.
    let reached: () => void = () => undefined;
    const atCommit = new Promise<void>((resolve) => (reached = resolve));
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let waits = 0;
    const slowParts = composePublisher(
      { blobs, tables },
      { containers, pendingTable: azurite.name('pq'), graceMs: GRACE_MS, now: () => clock },
    );
    const slow = new RepositoryPublisher(
      slowParts.store,
      slowParts.pending,
      { publish: () => Promise.resolve() },
      {
        graceMs: GRACE_MS,
        now: () => clock,
        beforeCommit: () => (waits++ === 0 ? (reached(), released) : Promise.resolve()),
      },
    );
    const beta10 = await stage('beta', '1.0');
    const slowRun = slow.publish(publishRequest(REPO, [beta10]));
    await atCommit;
    const beta = `${REPO}/${packageHref(beta10.fileName, beta10.sha256)}`;

    // A sweep long past the grace period while it waits deletes none of its uploads: it can still commit.
    clock = Date.now() + 10 * GRACE_MS;
    expect(await publisher.sweep(REPO)).toBe(0);
    expect(await blobs.head(containers.repositories, beta)).toBeDefined();

    // Meanwhile another publish commits revision 2, and a sweep far past the grace period deletes the slow
    // publisher's uploads (written before revision 2 was made, used by nothing committed).
    clock = nextGenerationClock();
    await publisher.publish(publishRequest(REPO, [await stage('gamma', '1.0')]));
    clock = Date.now() + CLOCK_SKEW_MS + 10 * GRACE_MS;
    expect(await publisher.sweep(REPO)).toBeGreaterThan(0);
    expect(await blobs.head(containers.repositories, beta)).toBeUndefined();

    // Its commit loses the If-Match race (revision 2 moved repomd.xml); the retry uploads again and commits.
    release();
    expect(await slowRun).toMatchObject({ revision: 3, added: ['beta-1.0-1.azl4.x86_64'] });
    expect(repoquery(store.baseUrl(REPO))).toEqual([
      'alpha-0:1.0-1.azl4.x86_64',
      'beta-0:1.0-1.azl4.x86_64',
      'gamma-0:1.0-1.azl4.x86_64',
    ]);
  });

  test('a first publish killed before its commit: nothing goes until the redelivery commits, then only its state', async () => {
    const { publisher, store } = make();
    const request = publishRequest(REPO, [await stage('alpha', '1.0')]);
    await killedBeforeCommit(request);
    expect(await store.head(REPO)).toBeUndefined();
    const afterCrash = await everything();
    clock = Date.now() + 10 * GRACE_MS;
    expect(await publisher.sweepAll()).toBe(0);
    expect(await everything()).toEqual(afterCrash);

    clock = nextGenerationClock();
    expect(await publisher.publish(request)).toMatchObject({ revision: 1, changed: true });
    const afterCommit = await everything();
    const head = await store.head(REPO);
    const killedState = afterCrash
      .map(name)
      .filter((n) => n.includes('/generation-1-') && n !== head?.state.href);
    expect(killedState).toHaveLength(1);

    clock = Date.now() + GRACE_MS + 1_000;
    expect(await publisher.sweep(REPO)).toBe(1);
    expect(await everything()).toEqual(afterCommit.filter((blob) => name(blob) !== killedState[0]));
    expect(repoquery(store.baseUrl(REPO))).toEqual(['alpha-0:1.0-1.azl4.x86_64']);
  });
});
