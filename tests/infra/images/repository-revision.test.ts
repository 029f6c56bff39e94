import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repositoryRevision } from '../../../infra/images/repository-revision';
import { failure } from '../../../testing/failures';
import { tempDirForTest } from '../../../testing/temp-dirs';

/** A repository folder whose repomd.xml holds `revision`; its `file:` base URL. */
function repositoryWith(revision: string | undefined): string {
  const dir = tempDirForTest('azl-repo-revision-');
  mkdirSync(join(dir, 'repodata'));
  writeFileSync(
    join(dir, 'repodata', 'repomd.xml'),
    `<?xml version="1.0" encoding="UTF-8"?>
<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">
  ${revision === undefined ? '' : `<revision>${revision}</revision>`}
  <data type="primary"><location href="repodata/primary.xml.gz"/></data>
</repomd>
`,
  );
  return pathToFileURL(dir).href;
}

describe("a repository's revision", () => {
  it("is repomd.xml's <revision>, with or without a slash after the base URL", async () => {
    const baseUrl = repositoryWith('42');
    expect(await repositoryRevision(baseUrl)).toBe(42);
    expect(await repositoryRevision(`${baseUrl}/`)).toBe(42);
  });

  it.each([['abc'], ['0'], ['1.5'], [undefined]])(
    'is refused as a permanent failure when it is %s',
    async (revision) => {
      const error = await failure(repositoryRevision(repositoryWith(revision)));
      expect(error.code).toBe('image.repository-no-revision');
      expect(error.retryable).toBe(false);
    },
  );

  it('is a transient failure when repomd.xml cannot be read', async () => {
    const error = await failure(repositoryRevision('file:///nonexistent/azl/repo/'));
    expect(error.code).toBe('image.repository-unreachable');
    expect(error.retryable).toBe(true);
    expect(error.context.baseUrl).toBe('file:///nonexistent/azl/repo/');
  });
});
