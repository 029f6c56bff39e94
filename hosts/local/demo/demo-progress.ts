import { isFinalBuildState } from '../../../shared/build';
import type { BuildRecord } from '../../../shared/build-worker';
import { BlobRepositoryStore } from '../../../infra/publishing';
import { CatalogueTable, oneAccount } from '../../../infra/storage';
import type { BlobStore, TableStore } from '../../../infra/storage';
import { buildsTable, pendingEventsTable, planItemsTable, plansTable } from '../../../shared/storage';
import type { TableDefinition } from '../../../shared/storage';

export interface RepositoryView {
  readonly repository: string;
  readonly revision: number;
  readonly packages: readonly string[];
}

export interface DemoSnapshot {
  readonly plans: number;
  /** Components planned, over all plans (each one becomes a build record). */
  readonly plannedItems: number;
  /** Events not yet decided by a planning pass. */
  readonly pendingEvents: number;
  readonly builds: readonly BuildRecord[];
  readonly repositories: readonly RepositoryView[];
}

/** What the local pipeline has done so far, read back from its tables and repositories. */
export async function snapshot(tables: TableStore, blobs: BlobStore): Promise<DemoSnapshot> {
  const plans = await all(tables, plansTable);
  const plannedItems = (await all(tables, planItemsTable)).length;
  const pendingEvents = (await all(tables, pendingEventsTable)).length;
  const builds = await all(tables, buildsTable);
  const store = new BlobRepositoryStore(oneAccount(blobs));
  const repositories: RepositoryView[] = [];
  const ids = new Set(builds.flatMap((b) => b.repositories ?? []));
  for (const repository of [...ids].sort()) {
    const head = await store.head(repository);
    if (!head) continue;
    const generation = await store.loadGeneration(head.state);
    const packages = generation.records
      .map((r) => r.locationHref.replace(/^.*\//, '').replace(/\.rpm$/, ''))
      .sort();
    repositories.push({ repository, revision: generation.revision, packages });
  }
  return { plans: plans.length, plannedItems, pendingEvents, builds, repositories };
}

/** Nothing pending, every planned component has a final build, and every repository a successful build named has it. */
export function settled(view: DemoSnapshot): boolean {
  if (view.pendingEvents > 0 || view.builds.length === 0 || view.builds.length < view.plannedItems)
    return false;
  if (!view.builds.every((b) => isFinalBuildState(b.state))) return false;
  const published = new Map(view.repositories.map((r) => [r.repository, new Set(r.packages)]));
  return view.builds
    .filter((b) => b.state === 'succeeded')
    .every((b) =>
      (b.repositories ?? []).every((repo) => (b.nevras ?? []).some((n) => published.get(repo)?.has(n))),
    );
}

/** The rows of a table read so far; a table no stage has created yet, or a failed read, ends the list. */
async function all<Row>(tables: TableStore, entry: TableDefinition<Row, readonly unknown[]>): Promise<Row[]> {
  const rows: Row[] = [];
  try {
    for await (const row of new CatalogueTable(tables, entry).all()) rows.push(row);
  } catch {
    // a progress snapshot: the next one reads again
  }
  return rows;
}
