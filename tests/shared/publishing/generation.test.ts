import { describe, expect, test } from 'vitest';
import { emptyGeneration, nextGeneration } from '../../../shared/publishing';
import type { Generation } from '../../../shared/publishing';

const base = { records: [], requests: [], added: [], removed: [], graceMs: 600_000 };

describe('generations and garbage', () => {
  test('files the previous generation used and the new one does not become garbage for the grace period', () => {
    const first = nextGeneration(emptyGeneration('base/x86_64'), {
      ...base,
      packages: [{ href: 'Packages/a/a.rpm', etag: '"1"' }],
      metadata: [{ href: 'repodata/p1-primary.xml.gz', etag: '"2"' }],
      now: 1_000,
    }).generation;
    expect(first.revision).toBe(1);
    expect(first.garbage).toEqual([]);
    const { generation: second, due } = nextGeneration(first, {
      ...base,
      packages: [{ href: 'Packages/b/b.rpm', etag: '"3"' }],
      metadata: [{ href: 'repodata/p2-primary.xml.gz', etag: '"4"' }],
      previousState: { href: 'base/x86_64/generation-1.json', etag: '"5"' },
      now: 2_000,
    });
    expect(second.revision).toBe(2);
    expect(due).toEqual([]);
    expect(second.garbage).toEqual([
      { store: 'repository', name: 'Packages/a/a.rpm', etag: '"1"', deleteAfter: 602_000 },
      { store: 'repository', name: 'repodata/p1-primary.xml.gz', etag: '"2"', deleteAfter: 602_000 },
      { store: 'state', name: 'base/x86_64/generation-1.json', etag: '"5"', deleteAfter: 602_000 },
    ]);
    // After the grace period the next generation hands the garbage over for deletion.
    const third = nextGeneration(second, {
      ...base,
      packages: second.packages,
      metadata: second.metadata,
      now: 602_000,
    });
    expect(third.due.map((g) => g.name)).toEqual([
      'Packages/a/a.rpm',
      'repodata/p1-primary.xml.gz',
      'base/x86_64/generation-1.json',
    ]);
    expect(third.generation.garbage).toEqual([]);
  });

  test('garbage whose name is in use again is forgotten, never deleted', () => {
    const first = nextGeneration(emptyGeneration('r/x'), {
      ...base,
      packages: [{ href: 'Packages/a/a.rpm', etag: '"1"' }],
      metadata: [],
      now: 0,
    }).generation;
    const second = nextGeneration(first, { ...base, packages: [], metadata: [], now: 10 }).generation;
    expect(second.garbage).toHaveLength(1);
    const third = nextGeneration(second, {
      ...base,
      packages: [{ href: 'Packages/a/a.rpm', etag: '"9"' }],
      metadata: [],
      now: 10_000_000,
    });
    expect(third.due).toEqual([]);
    expect(third.generation.garbage).toEqual([]);
  });

  test('at most maxDue of the due garbage is handed over, the longest due first; the rest stays due', () => {
    const ref = (href: string) => ({ href, etag: `"${href}"` });
    let generation = nextGeneration(emptyGeneration('r/x'), {
      ...base,
      packages: ['a', 'b', 'c'].map((n) => ref(`Packages/${n}.rpm`)),
      metadata: [],
      now: 0,
    }).generation;
    // Retired at different times: a at 10, then b and c at 20.
    generation = nextGeneration(generation, {
      ...base,
      packages: ['b', 'c'].map((n) => ref(`Packages/${n}.rpm`)),
      metadata: [],
      now: 10,
    }).generation;
    generation = nextGeneration(generation, { ...base, packages: [], metadata: [], now: 20 }).generation;
    expect(generation.garbage.map((g) => [g.name, g.deleteAfter])).toEqual([
      ['Packages/a.rpm', 600_010],
      ['Packages/b.rpm', 600_020],
      ['Packages/c.rpm', 600_020],
    ]);

    const first = nextGeneration(generation, {
      ...base,
      packages: [],
      metadata: [],
      now: 700_000,
      maxDue: 2,
    });
    expect(first.due.map((g) => g.name)).toEqual(['Packages/a.rpm', 'Packages/b.rpm']);
    expect(first.generation.garbage.map((g) => g.name)).toEqual(['Packages/c.rpm']);

    const second = nextGeneration(first.generation, {
      ...base,
      packages: [],
      metadata: [],
      now: 700_001,
      maxDue: 2,
    });
    expect(second.due.map((g) => g.name)).toEqual(['Packages/c.rpm']);
    expect(second.generation.garbage).toEqual([]);
  });

  test('only the garbage due by `dueBy` is handed over (a busy repository: `deletionCutoff`); the rest stays listed', () => {
    /** The next generation with one metadata file of its own and no packages. */
    const revise = (previous: Generation, metadata: string, now: number, dueBy?: number) =>
      nextGeneration(previous, {
        ...base,
        packages: [],
        metadata: [{ href: metadata, etag: `"${metadata}"` }],
        now,
        ...(dueBy === undefined ? {} : { dueBy }),
      });
    const first = nextGeneration(emptyGeneration('r/x'), {
      ...base,
      packages: [{ href: 'Packages/a/a.rpm', etag: '"1"' }],
      metadata: [{ href: 'repodata/1-primary.xml.gz', etag: '"2"' }],
      now: 0,
    }).generation;
    // Revision 2 retires both files (due at 600,000); revision 3 the metadata of revision 2 (due at 900,000).
    const second = revise(first, 'repodata/2-primary.xml.gz', 0).generation;
    const third = revise(second, 'repodata/3-primary.xml.gz', 300_000).generation;
    // Busy at 1,300,000: the cutoff is an hour back, so nothing is due yet, and all three stay listed.
    const busy = revise(third, 'repodata/3-primary.xml.gz', 1_300_000, 1_300_000 - 3_600_000);
    expect(busy.due).toEqual([]);
    expect(busy.generation.garbage.map((g) => g.name)).toEqual([
      'Packages/a/a.rpm',
      'repodata/1-primary.xml.gz',
      'repodata/2-primary.xml.gz',
    ]);
    // A cutoff between the two due times hands over only the files due by then.
    const between = revise(busy.generation, 'repodata/3-primary.xml.gz', 1_300_000, 700_000);
    expect(between.due.map((g) => g.name)).toEqual(['Packages/a/a.rpm', 'repodata/1-primary.xml.gz']);
    expect(between.generation.garbage.map((g) => g.name)).toEqual(['repodata/2-primary.xml.gz']);
  });
});
