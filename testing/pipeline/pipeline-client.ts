import type { Endpoints } from '../../hosts/local/runtime/endpoints-file';
import { BlobStore } from '../../infra/storage';
import { reposContainer } from '../../shared/storage';

/** What the bench reads from a running pipeline, through its HTTP API and anonymous repository URLs. */
export interface IngestAnswer {
  readonly status: number;
  /** `Date.now()` when the answer (the 202) arrived. */
  readonly answeredAt: number;
  readonly results: readonly { readonly id?: string; readonly outcome: string; readonly reason?: string }[];
}

export class PipelineClient {
  private readonly blobs: BlobStore;

  constructor(private readonly endpoints: Endpoints) {
    this.blobs = new BlobStore({ connectionString: endpoints.storageConnectionString });
  }

  /** `POST /api/fedora/messages` with one message or an array. */
  async post(messages: unknown): Promise<IngestAnswer> {
    const response = await fetch(`${this.endpoints.apiBaseUrl}/fedora/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-functions-key': this.endpoints.functionKey },
      body: JSON.stringify(messages),
    });
    const answeredAt = Date.now();
    const body = (await response.json().catch(() => ({}))) as { results?: IngestAnswer['results'] };
    return { status: response.status, answeredAt, results: body.results ?? [] };
  }

  /** A status API route (`/builds/<id>`, `/builds?component=…`), as JSON; throws on anything but 200. */
  async status<T>(route: string): Promise<T> {
    const response = await fetch(`${this.endpoints.apiBaseUrl}${route}`, {
      headers: { 'x-functions-key': this.endpoints.functionKey },
    });
    if (response.status !== 200) throw new Error(`GET ${route}: HTTP ${response.status}`);
    return (await response.json()) as T;
  }

  /**
   * The `<revision>` of a repository's repomd.xml as dnf would fetch it (anonymous blob URL); 0 when absent
   * (404, or 403 before the first publish has created the `repos` container with anonymous read).
   */
  async revision(repository: string): Promise<number> {
    const response = await fetch(
      this.blobs.url(reposContainer.name, reposContainer.blobName(repository, 'repodata/repomd.xml')),
    );
    if (response.status === 404 || response.status === 403) return 0;
    if (response.status !== 200) throw new Error(`${repository} repomd.xml: HTTP ${response.status}`);
    const revision = /<revision>(\d+)<\/revision>/.exec(await response.text())?.[1];
    return revision === undefined ? 0 : Number(revision);
  }

  /**
   * Polls every `intervalMs` until the repository's revision is above `after`; resolves with the revision and
   * `Date.now()` when it was first seen (so the figure is late by at most one interval plus one GET).
   */
  async waitForRevision(
    repository: string,
    after: number,
    timeoutMs: number,
    intervalMs = 20,
  ): Promise<{ revision: number; seenAt: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const revision = await this.revision(repository);
      if (revision > after) return { revision, seenAt: Date.now() };
      if (Date.now() > deadline)
        throw new Error(`${repository}: no revision after ${after} in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
