import type { TableStore } from '../../infra/storage';
import { burstMessages } from './burst-messages';
import type { BurstEntry, BurstMix } from './burst-messages';
import { tagMessage } from './tag-messages';
import { commitRelease } from './fixture-releases';
import type { BenchPipeline } from './bench-pipeline';
import type { IngestAnswer, PipelineClient } from './pipeline-client';
import { isSettled, readPipelineTables } from './pipeline-tables';
import type { PipelineTables } from './pipeline-tables';
import { perSecond, round } from '../measure';

export interface PipelineBurst {
  readonly events: number;
  readonly mix: BurstMix;
  readonly batchSize: number;
  readonly concurrentPosts: number;
  readonly ingestOutcomes: Record<string, number>;
  readonly ingestMs: number;
  readonly acceptedPerSecondAtIngest: number;
  /** Until the planner had decided every accepted message (the ingest queue drained through `plan`). */
  readonly allDecidedAfterLastAnswerMs: number;
  readonly settledAfterFirstPostMs: number;
  readonly settledAfterLastAnswerMs: number;
  readonly endToEndEventsPerSecond: number;
  readonly plans: number;
  readonly plansWithBuilds: number;
  readonly plannedItems: number;
  readonly builds: Record<string, number>;
  readonly buildsPerComponent: Record<string, number>;
  readonly publishedNevras: readonly string[];
  readonly repositoryRevisions: Record<string, { readonly before: number; readonly after: number }>;
  readonly note: string;
}

const REPOSITORIES = ['base/x86_64', 'base/srpms'];

/**
 * A Koji mass-tag burst of `total` messages (see burstMessages) posted as fast as the API takes them, in
 * array bodies of `batchSize`, `concurrentPosts` at a time; then the tables are read every 250 ms until
 * the pipeline has settled: every accepted event decided, nothing pending, every planned build final, no
 * publish pending.
 */
export async function measurePipelineBurst(
  pipeline: BenchPipeline,
  client: PipelineClient,
  tables: TableStore,
  options: { total: number; firstRelease: number; batchSize?: number; concurrentPosts?: number },
): Promise<PipelineBurst> {
  const batchSize = options.batchSize ?? 50;
  const concurrentPosts = options.concurrentPosts ?? 4;
  const { fixture } = pipeline;
  const releases = fixture.packages.map((pkg) =>
    [0, 1].map((step) =>
      commitRelease(pipeline.distGitRoot, pkg, fixture.branch, options.firstRelease + step),
    ),
  );
  const before = await readPipelineTables(tables);
  const revisionsBefore = await Promise.all(REPOSITORIES.map((r) => client.revision(r)));
  const start = new Date();
  const { entries, mix } = burstMessages(start.getTime().toString(36), releases, options.total);
  const batches: BurstEntry[][] = [];
  for (let i = 0; i < entries.length; i += batchSize) batches.push(entries.slice(i, i + batchSize));

  const firstPost = Date.now();
  const answers: IngestAnswer[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrentPosts }, async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        // Stamped as sent now, 1 ms apart in burst order: Koji sends a mass tag as it happens.
        const now = Date.now();
        const answer = await client.post(
          batch.map((e, j) => tagMessage(e.id, e.build, new Date(now - (batch.length - j)))),
        );
        if (answer.status !== 202) throw new Error(`burst batch answered ${answer.status}`);
        answers.push(answer);
      }
    }),
  );
  const lastAnswer = Math.max(...answers.map((a) => a.answeredAt));
  const outcomes: Record<string, number> = {};
  for (const result of answers.flatMap((a) => a.results))
    outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;

  const expected = before.decidedEvents + (outcomes.accepted ?? 0);
  const deadline = Date.now() + 180_000;
  let view: PipelineTables;
  let allDecidedAt: number | undefined;
  for (;;) {
    view = await readPipelineTables(tables);
    if (allDecidedAt === undefined && view.decidedEvents >= expected) allDecidedAt = Date.now();
    if (isSettled(view, expected)) break;
    if (Date.now() > deadline)
      throw new Error(`the burst did not settle: ${JSON.stringify(progress(view, expected))}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const settledAt = Date.now();
  const revisionsAfter = await Promise.all(REPOSITORIES.map((r) => client.revision(r)));
  return {
    events: entries.length,
    mix,
    batchSize,
    concurrentPosts,
    ingestOutcomes: outcomes,
    ingestMs: lastAnswer - firstPost,
    acceptedPerSecondAtIngest: perSecond(outcomes.accepted ?? 0, lastAnswer - firstPost),
    allDecidedAfterLastAnswerMs: (allDecidedAt ?? settledAt) - lastAnswer,
    settledAfterFirstPostMs: settledAt - firstPost,
    settledAfterLastAnswerMs: settledAt - lastAnswer,
    endToEndEventsPerSecond: round((entries.length / (settledAt - firstPost)) * 1000, 1),
    ...outcomeOf(view, before, start),
    repositoryRevisions: Object.fromEntries(
      REPOSITORIES.map((r, i) => [r, { before: revisionsBefore[i]!, after: revisionsAfter[i]! }]),
    ),
    note:
      'One pipeline (the latency run before it), debounce as in settings. ingestMs: first POST sent to last 202 read; ' +
      'acceptedPerSecondAtIngest counts accepted messages (duplicates are answered but not queued). Settled: every accepted message decided by the planner ' +
      '(table plannedevents), none pending, every planned component/fingerprint has a final build record, no publish request pending; checked every 250 ms, ' +
      'so settle times are late by up to that (plus one read of the tables). allDecidedAfterLastAnswerMs: until the plan function had decided every accepted message. endToEndEventsPerSecond = events / settledAfterFirstPostMs. plans counts every planning pass that decided messages ' +
      '(most decide only skips); builds and buildsPerComponent count build records requested during the burst, by final state.',
  };
}

function outcomeOf(
  view: PipelineTables,
  before: PipelineTables,
  start: Date,
): Pick<
  PipelineBurst,
  'plans' | 'plansWithBuilds' | 'plannedItems' | 'builds' | 'buildsPerComponent' | 'publishedNevras'
> {
  const plans = view.plans.filter((p) => p.createdAt >= start.toISOString());
  const builds = view.builds.filter((b) => b.requestedAt >= start.toISOString());
  const count = (keys: string[]): Record<string, number> => {
    const counts: Record<string, number> = {};
    for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
    return counts;
  };
  return {
    plans: plans.length,
    plansWithBuilds: plans.filter((p) => p.plannedCount > 0).length,
    plannedItems: view.planItems.length - before.planItems.length,
    builds: count(builds.map((b) => b.state)),
    buildsPerComponent: count(builds.map((b) => b.component)),
    publishedNevras: builds
      .filter((b) => b.state === 'succeeded')
      .flatMap((b) => b.nevras ?? [])
      .sort(),
  };
}

function progress(view: PipelineTables, expected: number): Record<string, unknown> {
  return {
    decided: view.decidedEvents,
    expected,
    pending: view.pendingEvents,
    builds: view.builds.map((b) => [b.buildId, b.state]),
    publishRequests: view.publishRequests,
  };
}
