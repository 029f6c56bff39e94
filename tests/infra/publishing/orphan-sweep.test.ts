import { beforeEach, describe, expect, test } from 'vitest';
import { composePublisher } from '../../../infra/publishing';
import type { RepositoryContainers } from '../../../infra/publishing';
import { RepositoryPublisher } from '../../../shared/publishing';
import type { PublishRequest } from '../../../shared/publishing';
import { useAzurite } from '../../../testing/azurite';
import { repoquery } from '../../../testing/rpm/dnf';
import { publishRequest, readRepository, stageGenerated } from '../../../testing/rpm/published-repository';

const REPO = 'base/x86_64';
const GRACE_MS = 60_000;

/**
 * Item 10 of issue 19: a publish killed between its uploads and its commit leaves blobs no generation
 * references; the sweep removes exactly those once the grace period has passed, and nothing committed.
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

  test('after the grace period exactly the orphans go; the committed revision and its .repo file stay, dnf reads it', async () => {
    const { publisher, store } = make();
    await publisher.publish(publishRequest(REPO, [await stage('alpha', '1.0')]));
    const committed = await everything();

    // Replaces alpha (a new package file) and adds beta: packages, metadata and state are written, no commit.
    await killedBeforeCommit(publishRequest(REPO, [await stage('alpha', '1.1'), await stage('beta', '1.0')]));
    const afterCrash = await everything();
    const left = afterCrash.filter((blob) => !committed.includes(blob));
    const name = (blob: string) => blob.slice(blob.indexOf(':') + 1, blob.lastIndexOf('@'));
    const leftNames = left.map(name);
    // The .repo file is written again (same name, new ETag): not an orphan, and it must stay.
    const repoFile = `${REPO}/azl-base-x86_64.repo`;
    const orphans = leftNames.filter((n) => n !== repoFile);
    expect(orphans).toHaveLength(6);
    expect(orphans).toEqual(
      expect.arrayContaining([
        `${REPO}/Packages/a/alpha-1.1-1.azl4.x86_64.rpm`,
        `${REPO}/Packages/b/beta-1.0-1.azl4.x86_64.rpm`,
        expect.stringMatching(new RegExp(`^${REPO}/generation-2-[^/]+\\.json$`)),
        expect.stringMatching(/\/repodata\/[0-9a-f]+-filelists\.xml\.gz$/),
        expect.stringMatching(/\/repodata\/[0-9a-f]+-other\.xml\.gz$/),
        expect.stringMatching(/\/repodata\/[0-9a-f]+-primary\.xml\.gz$/),
      ]),
    );

    // Within the grace period the sweep leaves them: the killed publish might still have been running.
    clock = Date.now() + GRACE_MS / 2;
    expect(await publisher.sweepAll()).toBe(0);
    expect(await everything()).toEqual(afterCrash);

    clock = Date.now() + GRACE_MS + 1_000;
    expect(await publisher.sweep(REPO)).toBe(orphans.length);
    const afterSweep = await everything();
    expect(afterSweep.map(name).sort()).toEqual(committed.map(name).sort());
    expect(afterSweep.filter((blob) => name(blob) !== repoFile)).toEqual(
      committed.filter((blob) => name(blob) !== repoFile),
    );
    expect(await readRepository(store.baseUrl(REPO))).toEqual({
      revision: '1',
      nevras: ['alpha-0:1.0-1.azl4.x86_64'],
    });
    expect(repoquery(store.baseUrl(REPO))).toEqual(['alpha-0:1.0-1.azl4.x86_64']);
    expect(await publisher.sweep(REPO)).toBe(0); // nothing more to find
  });

  test('the redelivered publish commits after the sweep, and a later sweep takes nothing it uses', async () => {
    const { publisher, store } = make();
    await publisher.publish(publishRequest(REPO, [await stage('alpha', '1.0')]));
    const request = publishRequest(REPO, [await stage('beta', '1.0')]);
    await killedBeforeCommit(request);
    clock = Date.now() + GRACE_MS + 1_000;
    expect(await publisher.sweep(REPO)).toBeGreaterThan(0);

    // The redelivery copies and writes everything again: the orphans' names, now a committed generation.
    expect(await publisher.publish(request)).toMatchObject({
      revision: 2,
      added: ['beta-1.0-1.azl4.x86_64'],
    });
    clock = Date.now() + 10 * GRACE_MS;
    await publisher.sweep(REPO);
    expect(repoquery(store.baseUrl(REPO))).toEqual(['alpha-0:1.0-1.azl4.x86_64', 'beta-0:1.0-1.azl4.x86_64']);
    const head = await store.head(REPO);
    const generation = head ? await store.loadGeneration(head.state) : undefined;
    for (const ref of [...(generation?.packages ?? []), ...(generation?.metadata ?? [])]) {
      expect(await blobs.head(containers.repositories, `${REPO}/${ref.href}`), ref.href).toBeDefined();
    }
  });

  test('a first publish killed before its commit: the sweep clears the repository it never made', async () => {
    const { publisher, store } = make();
    await killedBeforeCommit(publishRequest(REPO, [await stage('alpha', '1.0')]));
    expect(await store.head(REPO)).toBeUndefined();
    clock = Date.now() + GRACE_MS + 1_000;
    await publisher.sweepAll();
    // Only the .repo file (never an orphan) remains; no package, metadata or state.
    expect((await everything()).map((blob) => blob.slice(0, blob.lastIndexOf('@')))).toEqual([
      `${containers.repositories}:${REPO}/azl-base-x86_64.repo`,
    ]);
  });
});
