import type { Endpoints } from '../runtime/endpoints-file';
import { BlobStore, TableStore } from '../../../infra/storage';
import type { Logger } from '../../../shared/logger';
import { repositoryAccess } from '../../../shared/publishing/repository-access';
import { reposContainer } from '../../../shared/storage';
import { demoMessages } from './demo-messages';
import { settled, snapshot } from './demo-progress';
import type { DemoSnapshot } from './demo-progress';

export interface DemoSummary {
  readonly events: Record<string, number>;
  readonly plans: number;
  readonly builds: Record<string, number>;
  readonly repositories: readonly { repository: string; revision: number; packages: number }[];
  /** How to use the first binary repository (the same `repositoryAccess` the status API answers). */
  readonly dnf: string;
  readonly repoFileUrl: string;
  readonly settled: boolean;
}

/**
 * Replays the demo's Fedora messages into the running local pipeline (HTTP ingest, as Fedora's bridge
 * would), prints progress as plans, builds and publishes happen, and ends with a summary and the `dnf`
 * command that lists what was published.
 */
export async function runDemo(
  endpoints: Endpoints,
  packages: readonly string[],
  options: { readonly logger: Logger; readonly out: (line: string) => void; readonly timeoutMs?: number },
): Promise<DemoSummary> {
  const { out } = options;
  const messages = demoMessages(packages);
  const response = await fetch(`${endpoints.apiBaseUrl}/fedora/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-functions-key': endpoints.functionKey },
    body: JSON.stringify(messages),
  });
  const answer = (await response.json()) as { results?: { id?: string; outcome: string; reason?: string }[] };
  const events: Record<string, number> = {};
  for (const result of answer.results ?? []) {
    events[result.outcome] = (events[result.outcome] ?? 0) + 1;
    out(
      `event   ${result.outcome.padEnd(9)} ${result.id ?? '?'}${result.reason ? `  (${result.reason})` : ''}`,
    );
  }
  const tables = new TableStore({ connectionString: endpoints.storageConnectionString });
  const blobs = new BlobStore({ connectionString: endpoints.storageConnectionString });
  const seen = new Map<string, string>();
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  let view: DemoSnapshot;
  let plans = 0;
  for (;;) {
    view = await snapshot(tables, blobs);
    if (view.plans !== plans) out(`plan    ${view.plans} plan(s) recorded`);
    plans = view.plans;
    for (const build of view.builds) {
      if (seen.get(build.buildId) === build.state) continue;
      seen.set(build.buildId, build.state);
      const detail = build.error
        ? `  ${build.error.code}`
        : build.nevras
          ? `  ${build.nevras.join(' ')}`
          : '';
      out(`build   ${build.state.padEnd(9)} ${build.buildId}${detail}`);
    }
    for (const repo of view.repositories) {
      const key = `repo:${repo.repository}`;
      if (seen.get(key) === String(repo.revision)) continue;
      seen.set(key, String(repo.revision));
      out(`repo    ${repo.repository} revision ${repo.revision}: ${repo.packages.length} packages`);
    }
    if (settled(view) || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const builds: Record<string, number> = {};
  for (const build of view.builds) builds[build.state] = (builds[build.state] ?? 0) + 1;
  const binary = view.repositories.find((r) => !r.repository.endsWith('/srpms'))?.repository ?? 'base/x86_64';
  const url = blobs.url(reposContainer.name, binary);
  const { dnf, repoFileUrl } = repositoryAccess(binary, url);
  return {
    events,
    plans: view.plans,
    builds,
    repositories: view.repositories.map((r) => ({
      repository: r.repository,
      revision: r.revision,
      packages: r.packages.length,
    })),
    dnf,
    repoFileUrl,
    settled: settled(view),
  };
}
