import { describe, expect, test } from 'vitest';
import {
  DEFAULT_DELETION_TIMING,
  deletionCutoff,
  emptyGeneration,
  nextGeneration,
} from '../../../shared/publishing';

const timing = { quietMs: 60_000, maxDeferMs: 3_600_000 };

describe('retired files are deleted while their repository is quiet', () => {
  test('a repository whose last revision is quietMs old or older deletes everything due; a busy one only what waited maxDeferMs', () => {
    const now = 10_000_000;
    expect(deletionCutoff(now - 60_000, now, timing)).toBe(now);
    expect(deletionCutoff(0, now, timing)).toBe(now); // never published
    expect(deletionCutoff(now - 59_999, now, timing)).toBe(now - 3_600_000);
    expect(deletionCutoff(now, now, timing)).toBe(now - 3_600_000);
  });

  test('the defaults: a minute without a revision, at most an hour of waiting', () => {
    expect(DEFAULT_DELETION_TIMING).toEqual({ quietMs: 60_000, maxDeferMs: 3_600_000 });
  });

  test('a generation hands over only the garbage due by the cutoff, and keeps the rest listed', () => {
    const base = { records: [], requests: [], added: [], removed: [], graceMs: 600_000 };
    const first = nextGeneration(emptyGeneration('r/x'), {
      ...base,
      packages: [{ href: 'Packages/a/a.rpm', etag: '"1"' }],
      metadata: [{ href: 'repodata/1-primary.xml.gz', etag: '"2"' }],
      now: 0,
    }).generation;
    // Revision 2 retires both files (due at 600,000); revision 3 the metadata of revision 2 (due at 900,000).
    const second = nextGeneration(first, {
      ...base,
      packages: [],
      metadata: [{ href: 'repodata/2-primary.xml.gz', etag: '"3"' }],
      now: 0,
    }).generation;
    const third = nextGeneration(second, {
      ...base,
      packages: [],
      metadata: [{ href: 'repodata/3-primary.xml.gz', etag: '"4"' }],
      now: 300_000,
    }).generation;
    // Busy at 1,300,000: the cutoff is an hour back, so nothing is due yet, and all three stay listed.
    const busy = nextGeneration(third, {
      ...base,
      packages: [],
      metadata: third.metadata,
      now: 1_300_000,
      dueBy: 1_300_000 - 3_600_000,
    });
    expect(busy.due).toEqual([]);
    expect(busy.generation.garbage.map((g) => g.name)).toEqual([
      'Packages/a/a.rpm',
      'repodata/1-primary.xml.gz',
      'repodata/2-primary.xml.gz',
    ]);
    // A cutoff between the two due times hands over only the files due by then.
    const between = nextGeneration(busy.generation, {
      ...base,
      packages: [],
      metadata: third.metadata,
      now: 1_300_000,
      dueBy: 700_000,
    });
    expect(between.due.map((g) => g.name)).toEqual(['Packages/a/a.rpm', 'repodata/1-primary.xml.gz']);
    expect(between.generation.garbage.map((g) => g.name)).toEqual(['repodata/2-primary.xml.gz']);
  });
});
