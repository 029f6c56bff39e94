import { describe, expect, test } from 'vitest';
import { emptyGeneration, findOrphans } from '../../../shared/publishing';
import type { Generation, ListedBlob } from '../../../shared/publishing';

const GRACE = 60_000;
const NOW = 1_800_000_000_000;
const OLD = NOW - GRACE; // exactly one grace period ago: settled
const FRESH = NOW - GRACE + 1; // written within the grace period

const committed: Generation = {
  ...emptyGeneration('base/x86_64'),
  revision: 3,
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
        deleteAfter: NOW,
      },
      {
        store: 'repository',
        name: 'repodata/bbb-primary.xml.gz',
        etag: '"repodata/bbb-primary.xml.gz"',
        deleteAfter: NOW,
      },
      {
        store: 'state',
        name: 'base/x86_64/generation-4-z.json',
        etag: '"base/x86_64/generation-4-z.json"',
        deleteAfter: NOW,
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

  test('uploads written within the grace period (a publish still running) are left alone', () => {
    expect(
      search(
        [blob('Packages/b/beta-1.0-1.x86_64.rpm', FRESH)],
        [blob('base/x86_64/generation-4-z.json', FRESH)],
      ),
    ).toEqual([]);
  });

  test('repomd.xml, .repo files and anything outside repodata/ and Packages/ are never orphans', () => {
    expect(
      search([blob('repodata/repomd.xml'), blob('azl-base-x86_64.repo'), blob('base.repo'), blob('notes/x')]),
    ).toEqual([]);
  });

  test('with nothing committed yet, every settled upload and state is an orphan', () => {
    const orphans = findOrphans({
      committed: emptyGeneration('base/x86_64'),
      files: [blob('Packages/b/beta-1.0-1.x86_64.rpm'), blob('repodata/bbb-primary.xml.gz', FRESH)],
      states: [blob('base/x86_64/generation-1-q.json')],
      now: NOW,
      graceMs: GRACE,
    });
    expect(orphans.map((o) => [o.store, o.name])).toEqual([
      ['repository', 'Packages/b/beta-1.0-1.x86_64.rpm'],
      ['state', 'base/x86_64/generation-1-q.json'],
    ]);
  });
});
