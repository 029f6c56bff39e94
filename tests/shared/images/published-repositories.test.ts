import { describe, expect, it } from 'vitest';
import { publishedImageRepositories } from '../../../shared/images/published-repositories';
import type { PageRequest, RepositoryStatus } from '../../../shared/status/ports';

const status = (repository: string, revision: number): RepositoryStatus => ({
  repository,
  revision,
  packageCount: 1,
  lastPublishedAt: '2026-12-06T09:00:00.000Z',
  baseUrl: `http://127.0.0.1:10000/devstoreaccount1/repos/${repository}/`,
  repoFileUrl: `http://127.0.0.1:10000/devstoreaccount1/repos/${repository}/azl.repo`,
  dnf: 'dnf …',
});

describe('the published repositories an image installs from', () => {
  it("are every <channel>/<arch> of the image's architecture, read page by page", async () => {
    const all = [
      status('base/aarch64', 2),
      status('base/srpms', 9),
      status('base/x86_64', 7),
      status('extras/x86_64', 3),
      status('extras/x86_64/debug', 1),
    ];
    const asked: PageRequest[] = [];
    const list = (page: PageRequest) => {
      asked.push(page);
      const start = page.continuationToken === undefined ? 0 : Number(page.continuationToken);
      const items = all.slice(start, start + 2);
      const next = start + 2 < all.length ? { continuationToken: String(start + 2) } : {};
      return Promise.resolve({ items, ...next });
    };

    const found = await publishedImageRepositories(list).forArch('x86_64');

    expect(found).toEqual([
      { repository: 'base/x86_64', revision: 7, baseUrl: all[2]!.baseUrl },
      { repository: 'extras/x86_64', revision: 3, baseUrl: all[3]!.baseUrl },
    ]);
    expect(asked.map((p) => p.continuationToken)).toEqual([undefined, '2', '4']);
  });
});
