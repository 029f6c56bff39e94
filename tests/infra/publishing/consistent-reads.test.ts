import { describe, expect, test } from 'vitest';
import { composePublisher } from '../../../infra/publishing';
import { useAzurite } from '../../../testing/azurite';
import { publishRequest, readRepository, stageGenerated } from '../../../testing/rpm/published-repository';
import type { RepositoryView } from '../../../testing/rpm/published-repository';

const REPO = 'base/aarch64';

describe('readers during publishes', () => {
  const azurite = useAzurite();
  test('every read sees one whole generation while packages are added and replaced', async () => {
    const { blobs, tables } = azurite;
    const containers = {
      repositories: azurite.name('repos'),
      state: azurite.name('state'),
      artifacts: azurite.name('art'),
    };
    await blobs.ensureContainer(containers.artifacts);
    // A short grace period, and deletes while the repository is busy, so retired files really are deleted while
    // the readers run.
    const { publisher, store } = composePublisher(
      { blobs, tables },
      {
        containers,
        pendingTable: azurite.name('pq'),
        graceMs: 1_500,
        deletion: { quietMs: 0, maxDeferMs: 0 },
      },
    );
    const stage = (name: string, version: string) =>
      stageGenerated(blobs, containers.artifacts, {
        name,
        version,
        release: '1',
        arch: 'aarch64',
        files: [`/usr/bin/${name}`, `/usr/share/${name}/v${version}`],
      });
    // What each revision must contain, recorded as it is published.
    const expected = new Map<string, string[]>();
    const contents = new Map<string, string>();
    const record = (revision: number) =>
      expected.set(String(revision), [...contents.entries()].map(([n, v]) => `${n}-0:${v}-1.aarch64`).sort());

    let publishing = true;
    const seen: RepositoryView[] = [];
    const failures: string[] = [];
    const reader = async () => {
      while (publishing) {
        const nothingPublishedYet = expected.size === 0;
        try {
          seen.push(await readRepository(store.baseUrl(REPO)));
        } catch (error) {
          const text = String(error);
          // Before the first publish there is no repository (no public container yet: 403, or no repomd: 404).
          if (!(nothingPublishedYet && /repomd\.xml: HTTP 40[34]/.test(text))) failures.push(text);
        }
      }
    };
    const readers = [reader(), reader(), reader()];
    const steps: [string, string][][] = [
      [
        ['pkga', '1.0'],
        ['pkgb', '1.0'],
      ],
      [['pkgc', '1.0']],
      [['pkga', '1.1']],
      [
        ['pkgb', '2.0'],
        ['pkgd', '0.1'],
      ],
      [
        ['pkga', '1.2'],
        ['pkgc', '1.1'],
      ],
      [['pkge', '3.0']],
      [['pkgd', '0.2']],
      [
        ['pkga', '2.0'],
        ['pkgb', '2.1'],
        ['pkgc', '2.0'],
      ],
    ];
    for (const step of steps) {
      const packages = await Promise.all(step.map(([name, version]) => stage(name, version)));
      const outcome = await publisher.publish(publishRequest(REPO, packages));
      for (const [name, version] of step) contents.set(name, version);
      record(outcome.revision);
      await new Promise((done) => setTimeout(done, 400)); // let readers read this generation
    }
    publishing = false;
    await Promise.all(readers);

    expect(failures).toEqual([]);
    const revisions = new Set(seen.map((view) => view.revision));
    expect(revisions.size).toBeGreaterThanOrEqual(4);
    for (const view of seen) expect(view.nevras).toEqual(expected.get(view.revision));
    // And old generations really were cleaned up meanwhile.
    const names: string[] = [];
    for await (const blob of blobs.list(containers.repositories, `${REPO}/Packages/p/`))
      if (blob.name.includes('/pkga-')) names.push(blob.name);
    // pkga was published in four versions; at least the current one is there, and not all four.
    expect(names.length).toBeGreaterThan(0);
    expect(names.length).toBeLessThan(4);
  }, 90_000);
});
