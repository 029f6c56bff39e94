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

/**
 * Details already read, so a refresh asks only for what changed: a build record until its summary's
 * `updatedAt` moves, a plan once all its items (up to a page) are written. Each refresh is then the eight list
 * requests plus the details of what is new.
 */
const buildRecords = new Map<string, BuildRecord>();
const completePlans = new Map<string, PlanStatus>();
const recordKey = (build: BuildSummary): string => `${build.buildId} ${build.updatedAt}`;

async function planDetail(plan: PlanSummary, get: <T>(path: string) => Promise<T>): Promise<PlanStatus> {
  const known = completePlans.get(plan.planId);
  if (known) return known;
  const detail = await get<PlanStatus>(`plans/${encodeURIComponent(plan.planId)}?limit=${LIST_LIMIT}`);
  if (detail.items.items.length >= Math.min(detail.plannedCount, LIST_LIMIT))
    completePlans.set(plan.planId, detail);
  return detail;
}

async function buildRecord(build: BuildSummary, get: <T>(path: string) => Promise<T>): Promise<BuildRecord> {
  const known = buildRecords.get(recordKey(build));
  if (known) return known;
  const record = await get<BuildRecord>(`builds/${encodeURIComponent(build.buildId)}`);
  buildRecords.set(recordKey(build), record);
  return record;
}

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
  const shownBuilds = newestBuilds.slice(0, BUILD_RECORDS);
  const [planDetails, records] = await Promise.all([
    Promise.all(newestPlans.map((plan) => planDetail(plan, get))),
    Promise.all(shownBuilds.map((build) => buildRecord(build, get))),
  ]);
  // Forget the records of builds no longer among the newest (or updated since).
  const current = new Set(shownBuilds.map(recordKey));
  for (const cached of buildRecords.keys()) if (!current.has(cached)) buildRecords.delete(cached);
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
