import { getJson } from './status-client.js';
import type {
  BuildRecord,
  BuildSummary,
  EventOutcome,
  EventStatus,
  MessageFailure,
  Page,
  PlanStatus,
  PlanSummary,
  RepositoryStatus,
} from './status-types.js';

/** Everything the page shows from the keyed status API, read in one refresh. */
export interface Snapshot {
  /** Newest first, every outcome together. */
  readonly events: readonly EventStatus[];
  /** The newest plans that planned something, with their items, newest first. */
  readonly plans: readonly PlanStatus[];
  readonly planCount: number;
  /** Newest first (by last update). */
  readonly builds: readonly BuildSummary[];
  /** The full records of the newest builds (durations, errors, log excerpts), by build id. */
  readonly buildRecords: ReadonlyMap<string, BuildRecord>;
  readonly repositories: readonly RepositoryStatus[];
  readonly failures: readonly MessageFailure[];
}

const OUTCOMES: readonly EventOutcome[] = ['accepted', 'duplicate', 'rejected'];
/** How much one refresh reads: the newest of each list (one page), the details of the newest few. */
const LIST_LIMIT = 50;
const BUILD_LIMIT = 200;
const PLANS_WITH_ITEMS = 5;
const BUILD_RECORDS = 20;

export async function loadSnapshot(key: string, signal: AbortSignal): Promise<Snapshot> {
  const get = <T>(path: string): Promise<T> => getJson<T>(path, key, signal);
  const [eventPages, plans, builds, repositories, failures] = await Promise.all([
    Promise.all(OUTCOMES.map((o) => get<Page<EventStatus>>(`events?outcome=${o}&limit=${LIST_LIMIT}`))),
    get<Page<PlanSummary>>(`plans?limit=${LIST_LIMIT}`),
    get<Page<BuildSummary>>(`builds?limit=${BUILD_LIMIT}`),
    get<Page<RepositoryStatus>>(`repos?limit=${LIST_LIMIT}`),
    get<Page<MessageFailure>>(`failures?limit=${LIST_LIMIT}`),
  ]);
  const newestPlans = [...plans.items]
    .filter((plan) => plan.plannedCount > 0)
    .sort(newestFirst((p) => p.createdAt))
    .slice(0, PLANS_WITH_ITEMS);
  const newestBuilds = [...builds.items].sort(newestFirst((b) => b.updatedAt));
  const [planDetails, records] = await Promise.all([
    Promise.all(
      newestPlans.map((p) => get<PlanStatus>(`plans/${encodeURIComponent(p.planId)}?limit=${LIST_LIMIT}`)),
    ),
    Promise.all(
      newestBuilds
        .slice(0, BUILD_RECORDS)
        .map((b) => get<BuildRecord>(`builds/${encodeURIComponent(b.buildId)}`)),
    ),
  ]);
  return {
    events: eventPages.flatMap((page) => page.items).sort(newestFirst((e) => e.receivedAt ?? e.sentAt)),
    plans: planDetails,
    planCount: plans.items.length,
    builds: newestBuilds,
    buildRecords: new Map(records.map((record) => [record.buildId, record])),
    repositories: repositories.items,
    failures: [...failures.items].sort(newestFirst((f) => f.at)),
  };
}

function newestFirst<T>(time: (item: T) => string | undefined): (a: T, b: T) => number {
  return (a, b) => (time(b) ?? '').localeCompare(time(a) ?? '');
}
