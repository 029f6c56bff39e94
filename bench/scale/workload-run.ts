import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildRecord } from '../../shared/build-worker/build-record';
import { round } from '../../testing/measure';
import { runCli } from '../../testing/pipeline/cli-process';
import { repoquery } from '../../testing/rpm/dnf';
import type { Workload } from '../../testing/scale/scale-workloads';
import { spread } from '../pipeline/stats';
import type { Spread } from '../pipeline/stats';
import type { BuildCensus } from './pipeline-observer';
import { PipelineObserver } from './pipeline-observer';
import type { ScalePipeline } from './scale-pipeline';
import type { RunDiagnostics } from '../../hosts/local/runtime/run-diagnostics';
import { stageCounts } from './stage-counts';
import type { StageCounts } from './stage-counts';
import { StatusLatencyProbe } from './status-latency';
import type { LatencyFigures, StatusProbe } from './status-latency';

interface PlanSummary {
  readonly planId: string;
  readonly createdAt: string;
  readonly messageCount: number;
  readonly plannedCount: number;
  readonly skippedCount: number;
  readonly waveCount: number;
}

interface RepoSummary {
  readonly repository: string;
  readonly revision: number;
  readonly packageCount: number;
  readonly lastPublishedAt?: string;
  readonly baseUrl: string;
}

/** Everything one workload's run reports. */
export interface WorkloadFigures {
  readonly workload: Workload['name'];
  readonly messages: number;
  /** False when the run was cut off at the time limit: the figures then describe the part that ran. */
  readonly completed: boolean;
  /** First message sent → last repository revision. */
  readonly wallMs: number;
  readonly plans: {
    readonly count: number;
    readonly planned: number;
    readonly largest: number;
    readonly waves: number;
  };
  readonly builds: {
    readonly byState: Readonly<Record<string, number>>;
    readonly perSecond: number;
    /** Components with more than one succeeded build in this run (goal: none). */
    readonly builtTwice: number;
    /** Everything but the synthetic build itself: building → final, less the builder's own duration. */
    readonly overheadMs: Spread;
    /** Requested → final: what a build waited and took. */
    readonly latencyMs: Spread;
  };
  readonly planning: { readonly eventsPerSecond: number; readonly lastPlanAfterMs: number };
  readonly publishing: {
    readonly revisions: number;
    readonly buildsPerRevision: number;
    readonly packagesPerPublish: number;
    readonly repositories: readonly RepoSummary[];
  };
  /**
   * dnf repoquery of the final binary repositories against the binary NEVRAs of the newest succeeded build of
   * each component (this run's, or an earlier run's on the same pipeline).
   */
  readonly repositoriesAgree: {
    readonly checked: boolean;
    readonly missing: number;
    readonly unexpected: number;
  };
  /** Planned items with no build record at the end (goal: none), with the first few named. */
  readonly plannedNotBuilt: { readonly count: number; readonly first: readonly string[] };
  readonly deadLetters: number;
  readonly eventsRecorded: { readonly accepted: number; readonly pendingAtEnd: number };
  readonly peakRssBytes: Readonly<Record<string, number>>;
  /** CPU time of the pipeline process (functions host, broker) during the run, per succeeded build. */
  readonly pipelineCpuMsPerBuild: number;
  /** CPU time of each process of the run (the pipeline, Azurite) during the run, per succeeded build. */
  readonly cpuMsPerBuild: Readonly<Record<string, number>>;
  readonly storage: StageCounts;
  /** The same counts per table and container, as the run's diagnostics.json has them. */
  readonly storageByName?: RunDiagnostics['storage'];
  /** The broker's operations by kind: what Service Bus would bill. */
  readonly serviceBusOperations?: RunDiagnostics['serviceBusOperations'];
  readonly statusApi: {
    readonly during: Record<StatusProbe, LatencyFigures>;
    readonly after: Record<StatusProbe, LatencyFigures>;
  };
  readonly progress: readonly { readonly atMs: number; readonly succeeded: number; readonly open: number }[];
}

/**
 * Sends one workload's recorded messages into the running pipeline (`azl-rebuilder replay --local`) and
 * follows it until it is done — every build final, no event or publish request waiting, the build, publish and
 * ingest queues empty, twice in a row — or until `limitMs`. Then checks the result and gathers the figures.
 */
export async function runWorkload(
  pipeline: ScalePipeline,
  workload: Workload,
  workDir: string,
  limitMs: number,
  log: (line: string) => void,
): Promise<WorkloadFigures> {
  const observer = new PipelineObserver(pipeline.endpoints);
  const file = join(workDir, `${workload.name}.json`);
  writeFileSync(file, JSON.stringify(workload.messages));
  let largestPlan: string | undefined;
  const probe = new StatusLatencyProbe(
    pipeline.endpoints,
    workload.components[0] ?? 'glibc',
    () => largestPlan,
  );

  // The pipeline may have run a workload before this one (the burst follows the mass rebuild): what this one
  // did is what changed since now.
  const before = pipeline.diagnostics();
  const cpuBefore = before?.cpuMs ?? 0;
  const processCpuBefore = pipeline.cpuMs();
  const reposBefore = new Map((await repoList(pipeline)).map((r) => [r.repository, r.revision]));
  const ledgerBefore = await observer.ledgerCount();
  const started = Date.now();
  const since = started - 1_000;
  const replay = runCli(['replay', '--local', '--data-dir', pipeline.dataDir, file]);
  probe.start();
  const progress: { atMs: number; succeeded: number; open: number }[] = [];
  let census: BuildCensus | undefined;
  let quietRounds = 0;
  let replayed = false;
  void replay.exited.then(() => (replayed = true));
  while (Date.now() - started < limitMs) {
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    census = await observer.census(since);
    const plans = await planList(pipeline, since);
    largestPlan = [...plans].sort((a, b) => b.plannedCount - a.plannedCount)[0]?.planId;
    progress.push({ atMs: census.at - started, succeeded: census.byState.succeeded ?? 0, open: census.open });
    const waiting = await waitingWork(pipeline, observer);
    log(
      `${workload.name}: ${Math.round((Date.now() - started) / 1000)} s, builds ${JSON.stringify(census.byState)}, ` +
        `plans ${plans.length}, waiting ${JSON.stringify(waiting)}`,
    );
    // Done: every planned item has a final record, and nothing waits anywhere (twice in a row).
    const planned = plans.reduce((sum, p) => sum + p.plannedCount, 0);
    const idle =
      replayed &&
      census.total > 0 &&
      census.total >= planned &&
      census.open === 0 &&
      Object.values(waiting).every((n) => n === 0);
    quietRounds = idle ? quietRounds + 1 : 0;
    if (quietRounds >= 2) break;
  }
  const completed = quietRounds >= 2;
  await probe.stop();
  const replayExit = await replay.exited;
  if (replayExit !== 0) throw new Error(`replay exited ${replayExit}:\n${replay.output().slice(-2000)}`);

  const after = new StatusLatencyProbe(
    pipeline.endpoints,
    workload.components[0] ?? 'glibc',
    () => largestPlan,
  );
  for (let i = 0; i < 20; i++) await after.round();

  const records = (await observer.records()).filter((r) => Date.parse(r.requestedAt) >= since);
  const plans = await planList(pipeline, since);
  const repos = (await repoList(pipeline)).map((r) => ({
    ...r,
    revision: r.revision - (reposBefore.get(r.repository) ?? 0),
  }));
  const lastRevisionAt = Math.max(...repos.map((r) => Date.parse(r.lastPublishedAt ?? '') || 0));
  const diagnostics = pipeline.diagnostics();
  const deadLetters = Object.entries(diagnostics?.serviceBus ?? {})
    .filter(([path]) => path.endsWith('$deadletterqueue'))
    .reduce((sum, [, n]) => sum + n, 0);
  const succeeded = records.filter((r) => r.state === 'succeeded');
  const lastCreated = Math.max(...plans.map((p) => Date.parse(p.createdAt)));
  const binaryRepos = repos.filter((r) => !r.repository.endsWith('/srpms'));
  const revisions = binaryRepos.reduce((sum, r) => sum + r.revision, 0);
  const packages = binaryRepos.reduce((sum, r) => sum + r.packageCount, 0);
  return {
    workload: workload.name,
    messages: workload.messages.length,
    completed,
    wallMs: completed ? lastRevisionAt - started : Date.now() - started,
    plans: {
      count: plans.length,
      planned: plans.reduce((sum, p) => sum + p.plannedCount, 0),
      largest: Math.max(0, ...plans.map((p) => p.plannedCount)),
      waves: Math.max(0, ...plans.map((p) => p.waveCount)),
    },
    builds: {
      byState: census?.byState ?? {},
      perSecond: round(succeeded.length / (Math.max(1, spanMs(succeeded)) / 1000), 2),
      builtTwice: builtTwice(succeeded),
      overheadMs: spread(succeeded.map(overheadMs).filter((v): v is number => v !== undefined)),
      latencyMs: spread(succeeded.map((r) => Date.parse(r.finishedAt ?? '') - Date.parse(r.requestedAt))),
    },
    planning: {
      eventsPerSecond: round(workload.messages.length / (Math.max(1, lastCreated - started) / 1000), 1),
      lastPlanAfterMs: lastCreated - started,
    },
    publishing: {
      revisions,
      buildsPerRevision: round(
        succeeded.length / Math.max(1, revisions / Math.max(1, binaryRepos.length)),
        1,
      ),
      packagesPerPublish: round(packages / Math.max(1, revisions), 1),
      repositories: repos,
    },
    repositoriesAgree: completed
      ? agreement(binaryRepos, newestSucceeded(await observer.records()))
      : { checked: false, missing: 0, unexpected: 0 },
    plannedNotBuilt: await plannedNotBuilt(pipeline, plans, records),
    deadLetters,
    eventsRecorded: {
      accepted: (await observer.ledgerCount()) - ledgerBefore,
      pendingAtEnd: await observer.pendingEventCount(),
    },
    pipelineCpuMsPerBuild: round(((diagnostics?.cpuMs ?? 0) - cpuBefore) / Math.max(1, succeeded.length), 1),
    cpuMsPerBuild: Object.fromEntries(
      Object.entries(pipeline.cpuMs()).map(([name, ms]) => [
        name,
        round((ms - (processCpuBefore[name] ?? 0)) / Math.max(1, succeeded.length), 1),
      ]),
    ),
    peakRssBytes: {
      ...pipeline.peakRss(),
      'azl-rebuilder (diagnostics)': diagnostics?.memory.peakRssBytes ?? 0,
    },
    storage: stageCounts(diagnostics && storageSince(before?.storage, diagnostics.storage)),
    ...(diagnostics
      ? {
          storageByName: storageSince(before?.storage, diagnostics.storage),
          serviceBusOperations: countsSince(before?.serviceBusOperations, diagnostics.serviceBusOperations),
        }
      : {}),
    statusApi: { during: probe.figures(), after: after.figures() },
    progress,
  };
}

/** What is still queued: pending events, publish requests, and messages on the ingest, builds and publish queues. */
async function waitingWork(
  pipeline: ScalePipeline,
  observer: PipelineObserver,
): Promise<Record<string, number>> {
  const bus = pipeline.diagnostics()?.serviceBus ?? {};
  return {
    pendingEvents: await observer.pendingEventCount(),
    publishQueue: await observer.pendingPublishCount(),
    ingest: bus.ingest ?? 0,
    builds: bus.builds ?? 0,
    publish: bus.publish ?? 0,
  };
}

/** Plan items (every page of every plan) whose component and fingerprint have no build record. */
async function plannedNotBuilt(
  pipeline: ScalePipeline,
  plans: readonly PlanSummary[],
  records: readonly BuildRecord[],
): Promise<{ count: number; first: string[] }> {
  const built = new Set(records.map((r) => `${r.component}@${r.fingerprint}`));
  const missing: string[] = [];
  for (const plan of plans) {
    let token: string | undefined;
    do {
      const route = `/plans/${encodeURIComponent(plan.planId)}?limit=200${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`;
      const page = await status<{
        items: {
          items: { component: string; fingerprint: string; wave: number }[];
          continuationToken?: string;
        };
      }>(pipeline, route);
      for (const item of page.items.items)
        if (!built.has(`${item.component}@${item.fingerprint}`))
          missing.push(`${item.component} (wave ${item.wave})`);
      token = page.items.continuationToken;
    } while (token);
  }
  return { count: missing.length, first: missing.slice(0, 20) };
}

/** `after` less `before`, kind by kind. */
function countsSince(
  before: Readonly<Record<string, number>> | undefined,
  after: Readonly<Record<string, number>>,
): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([kind, n]) => [kind, n - (before?.[kind] ?? 0)]));
}

/** The storage operations made between two diagnostics. */
function storageSince(
  before: RunDiagnostics['storage'] | undefined,
  after: RunDiagnostics['storage'],
): RunDiagnostics['storage'] {
  const diff = <T extends object>(a: T | undefined, b: T): T =>
    Object.fromEntries(
      Object.entries(b).map(([k, v]) => [k, (v as number) - (((a as Record<string, number>) ?? {})[k] ?? 0)]),
    ) as T;
  return {
    tables: Object.fromEntries(
      Object.entries(after.tables).map(([name, counts]) => [name, diff(before?.tables[name], counts)]),
    ),
    containers: Object.fromEntries(
      Object.entries(after.containers).map(([name, counts]) => [
        name,
        diff(before?.containers[name], counts),
      ]),
    ),
  };
}

/** The plans created since `since` (ms), every page. */
async function planList(pipeline: ScalePipeline, since = 0): Promise<PlanSummary[]> {
  const plans: PlanSummary[] = [];
  let token: string | undefined;
  do {
    const page = await status<{ items: PlanSummary[]; continuationToken?: string }>(
      pipeline,
      `/plans?limit=200${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`,
    );
    plans.push(...page.items.filter((p) => Date.parse(p.createdAt) >= since));
    token = page.continuationToken;
  } while (token);
  return plans;
}

async function repoList(pipeline: ScalePipeline): Promise<RepoSummary[]> {
  return (await status<{ items: RepoSummary[] }>(pipeline, '/repos')).items;
}

async function status<T>(pipeline: ScalePipeline, route: string): Promise<T> {
  const response = await fetch(`${pipeline.endpoints.apiBaseUrl}${route}`, {
    headers: { 'x-functions-key': pipeline.endpoints.functionKey },
  });
  if (response.status !== 200) throw new Error(`GET ${route}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

function spanMs(records: readonly BuildRecord[]): number {
  const starts = records.map((r) => Date.parse(r.startedAt ?? r.requestedAt));
  const ends = records.map((r) => Date.parse(r.finishedAt ?? r.requestedAt));
  return Math.max(...ends) - Math.min(...starts);
}

function builtTwice(succeeded: readonly BuildRecord[]): number {
  const seen = new Map<string, number>();
  for (const r of succeeded) seen.set(r.component, (seen.get(r.component) ?? 0) + 1);
  return [...seen.values()].filter((n) => n > 1).length;
}

/** building → final, less the builder's own time: the pipeline's part of one build. */
function overheadMs(record: BuildRecord): number | undefined {
  const building = record.history.find((t) => t.state === 'building');
  const final = record.history[record.history.length - 1];
  if (!building || !final || record.durationMs === undefined) return undefined;
  return Date.parse(final.at) - Date.parse(building.at) - record.durationMs;
}

/**
 * The newest succeeded build of every component, of this run and of earlier runs on the same pipeline: what
 * the repositories should hold (retention keeps one build per package name), also after a workload that
 * rebuilt only part of the tree.
 */
function newestSucceeded(records: readonly BuildRecord[]): BuildRecord[] {
  const newest = new Map<string, BuildRecord>();
  for (const record of records) {
    if (record.state !== 'succeeded') continue;
    const kept = newest.get(record.component);
    if (!kept || Date.parse(record.finishedAt ?? '') > Date.parse(kept.finishedAt ?? ''))
      newest.set(record.component, record);
  }
  return [...newest.values()];
}

/** The binary NEVRAs dnf lists in the final repositories against those the succeeded builds made. */
function agreement(
  repos: readonly RepoSummary[],
  succeeded: readonly BuildRecord[],
): { checked: boolean; missing: number; unexpected: number } {
  const listed = new Set<string>();
  for (const repo of repos) for (const line of repoquery(repo.baseUrl)) listed.add(line.replace(/-0:/, '-'));
  const built = new Set(succeeded.flatMap((r) => (r.nevras ?? []).filter((n) => !n.endsWith('.src'))));
  const missing = [...built].filter((n) => !listed.has(n)).length;
  const unexpected = [...listed].filter((n) => !built.has(n)).length;
  return { checked: true, missing, unexpected };
}
