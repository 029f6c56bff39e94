import type { Page, PageRequest, RepositoryStatus } from '../status/ports';
import type { ImageRepositorySources, PublishedRepository } from './image-build-service';
import { imageUsesRepository } from './image-repositories';

const PAGE = 100;

/**
 * The published repositories an image of `arch` installs from (`imageUsesRepository`: every
 * `<channel>/<arch>`), read through the status API's listing (`StatusReaders.repositories`), so an image
 * build sees the repositories exactly as `GET /api/repos` shows them, revision and base URL included.
 */
export function publishedImageRepositories(
  list: (page: PageRequest) => Promise<Page<RepositoryStatus>>,
): ImageRepositorySources {
  return {
    async forArch(arch: string): Promise<PublishedRepository[]> {
      const found: PublishedRepository[] = [];
      let continuationToken: string | undefined;
      do {
        const page = await list({ limit: PAGE, ...(continuationToken ? { continuationToken } : {}) });
        for (const { repository, revision, baseUrl } of page.items)
          if (imageUsesRepository(arch, repository)) found.push({ repository, revision, baseUrl });
        continuationToken = page.continuationToken;
      } while (continuationToken !== undefined);
      return found;
    },
  };
}
