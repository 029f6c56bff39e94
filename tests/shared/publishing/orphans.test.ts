import { describe, expect, test } from 'vitest';
import { CLOCK_SKEW_MS, emptyGeneration, findOrphans } from '../../../shared/publishing';
import type { Generation, ListedBlob } from '../../../shared/publishing';

const GRACE = 60_000;
const NOW = 1_800_000_000_000;
/** When the committed generation was made; everything below is measured from it. */
const COMMITTED_AT = NOW - 2 * GRACE;
/** Written long enough before the committed generation (clock skew allowed for) and outside the grace period. */
const OLD = COMMITTED_AT - CLOCK_SKEW_MS - 1;

const committed: Generation = {
  ...emptyGeneration('base/x86_64'),
  revision: 3,
  publishedAt: COMMITTED_AT,
  packages: [{ href: 'Packages/a/alpha-1.0-1.x86_64.rpm', etag: '"p1"' }],
  metadata: [{ href: 'repodata/aaa-primary.xml.gz', etag: '"m1"' }],
  garbage: [
    { store: 'repository', name: 'Packages/a/alpha-0.9-1.x86_64.rpm', etag: '"g1"', deleteAfter: NOW + 5 },
    { store: 'state', name: 'base/x86_64/generation-2-x.json', etag: '"s2"', deleteAfter: NOW + 5 },
  ],
};
const committedState = { href: 'base/x86_64/generation-3-y.json', etag: '"s3"' };
const blob = (href: string, lastModified = OLD, etag = `"${href}"`): ListedBlob => ({
  href,
  etag,
  lastModified,
});

const search = (files: ListedBlob[], states: ListedBlob[] = []) =>
  findOrphans({ committed, committedState, files, states, now: NOW, graceMs: GRACE });

describe('findOrphans', () => {
  test('an unreferenced package, metadata file and state blob older than the grace period are orphans', () => {
    const orphans = search(
      [
        blob('Packages/b/beta-1.0-1.x86_64.rpm'),
        blob('repodata/bbb-primary.xml.gz'),
        blob('Packages/a/alpha-1.0-1.x86_64.rpm'),
        blob('repodata/aaa-primary.xml.gz'),
      ],
      [blob('base/x86_64/generation-4-z.json'), blob(committedState.href)],
    );
    expect(orphans).toEqual([
      {
        store: 'repository',
        name: 'Packages/b/beta-1.0-1.x86_64.rpm',
        etag: '"Packages/b/beta-1.0-1.x86_64.rpm"',
        deleteAfter: OLD + GRACE,
      },
      {
        store: 'repository',
        name: 'repodata/bbb-primary.xml.gz',
        etag: '"repodata/bbb-primary.xml.gz"',
        deleteAfter: OLD + GRACE,
      },
      {
        store: 'state',
        name: 'base/x86_64/generation-4-z.json',
        etag: '"base/x86_64/generation-4-z.json"',
        deleteAfter: OLD + GRACE,
      },
    ]);
  });

  test('a file the committed generation uses is never an orphan, even when its ETag is not the committed one', () => {
    expect(search([blob('Packages/a/alpha-1.0-1.x86_64.rpm', OLD, '"rewritten"')])).toEqual([]);
  });

  test('what the committed generation retires waits for its own garbage schedule', () => {
    expect(
      search([blob('Packages/a/alpha-0.9-1.x86_64.rpm')], [blob('base/x86_64/generation-2-x.json')]),
    ).toEqual([]);
  });

  test('uploads written after the committed generation was made (a publish that may still commit) stay, however old', () => {
    const sinceCommit = COMMITTED_AT - CLOCK_SKEW_MS + 1; // within the clock skew of the generation, or later
    expect(
      search(
        [
          blob('Packages/b/beta-1.0-1.x86_64.rpm', sinceCommit),
          blob('repodata/ccc-primary.xml.gz', NOW - GRACE),
        ],
        [blob('base/x86_64/generation-4-z.json', sinceCommit)],
      ),
    ).toEqual([]);
  });

  test('uploads from before the committed generation but within the grace period stay until it has passed', () => {
    const committedNow = { ...committed, publishedAt: NOW };
    const age = 2 * CLOCK_SKEW_MS; // written well before the commit, this long ago
    const files = [blob('Packages/b/beta-1.0-1.x86_64.rpm', NOW - age)];
    const search = (graceMs: number) =>
      findOrphans({ committed: committedNow, committedState, files, states: [], now: NOW, graceMs });
    expect(search(age + 1)).toEqual([]);
    expect(search(age).map((o) => o.name)).toEqual(['Packages/b/beta-1.0-1.x86_64.rpm']);
  });

  test('repomd.xml, .repo files and anything outside repodata/ and Packages/ are never orphans', () => {
    expect(
      search([blob('repodata/repomd.xml'), blob('azl-base-x86_64.repo'), blob('base.repo'), blob('notes/x')]),
    ).toEqual([]);
  });

  test('with nothing committed yet nothing is an orphan: the first publish may still be running', () => {
    const orphans = findOrphans({
      committed: emptyGeneration('base/x86_64'),
      files: [blob('Packages/b/beta-1.0-1.x86_64.rpm', 0), blob('repodata/bbb-primary.xml.gz', 0)],
      states: [blob('base/x86_64/generation-1-q.json', 0)],
      now: NOW,
      graceMs: GRACE,
    });
    expect(orphans).toEqual([]);
  });
});
