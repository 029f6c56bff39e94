import type { BuildRecord, BuildTransition } from '../shared/build-worker';
import type { BenchPipeline } from '../testing/pipeline/bench-pipeline';
import { commitRelease } from '../testing/pipeline/fixture-releases';
import type { PipelineClient } from '../testing/pipeline/pipeline-client';
import { spread } from './pipeline/stats';
import type { Spread } from './pipeline/stats';
import { tagMessage } from '../testing/pipeline/tag-messages';

/** The phases of one event's way through the pipeline, in milliseconds (see `note` in the result). */
interface EventTimes {
  readonly totalMs: number;
  readonly bothReposMs: number;
  readonly rpmbuildMs: number;
  readonly restMs: number;
  readonly ingestToPlanMs: number;
  readonly planToBuildQueuedMs: number;
  readonly queuedToPreparingMs: number;
  readonly sourcesAndRenderMs: number;
  readonly afterRpmbuildMs: number;
  readonly buildFinishedToRepomdMs: number;
}

export interface PipelineLatency {
  readonly events: number;
  readonly components: readonly string[];
  readonly binaryRepository: string;
  readonly latencyMs: Record<keyof EventTimes, Spread>;
  /** Each event's totalMs in order, for comparisons that pool several runs (the telemetry overhead). */
  readonly totalsMs: readonly number[];
  readonly note: string;
}

const BINARY = 'base/x86_64';
const SOURCES = 'base/srpms';

/**
 * Sends `events` Koji tag messages one after another, each announcing a new release of a fixture package
 * that was just committed to its dist-git (so the lock and fingerprint move, rpmbuild runs and a new
 * revision is published), and waits for the binary and source repositories' new repomd.xml revisions before
 * the next. The build record (status API) splits the time into its phases.
 */
export async function measurePipelineLatency(
  pipeline: BenchPipeline,
  client: PipelineClient,
  events: number,
  firstRelease = 10,
): Promise<PipelineLatency> {
  const { fixture } = pipeline;
  const runId = Date.now().toString(36);
  const known = new Set<string>();
  let binary = await client.revision(BINARY);
  let sources = await client.revision(SOURCES);
  const times: EventTimes[] = [];
  for (let i = 0; i < events; i++) {
    const pkg = fixture.packages[i % fixture.packages.length]!;
    const build = commitRelease(pipeline.distGitRoot, pkg, fixture.branch, firstRelease + i);
    const answer = await client.post(tagMessage(`bench-latency-${runId}-${i}`, build));
    if (answer.status !== 202 || answer.results[0]?.outcome !== 'accepted')
      throw new Error(`latency event ${i} not accepted: ${answer.status} ${JSON.stringify(answer.results)}`);
    const seen = await client.waitForRevision(BINARY, binary, 120_000);
    const both = await client.waitForRevision(SOURCES, sources, 120_000);
    binary = seen.revision;
    sources = both.revision;
    const record = await newBuildOf(client, pkg.name, known);
    times.push(phases(answer.answeredAt, seen.seenAt, both.seenAt, record));
  }
  const keys = Object.keys(times[0] ?? {}) as (keyof EventTimes)[];
  const latencyMs = Object.fromEntries(keys.map((k) => [k, spread(times.map((t) => t[k]))])) as Record<
    keyof EventTimes,
    Spread
  >;
  return {
    events,
    components: fixture.packages.map((p) => p.name),
    binaryRepository: BINARY,
    latencyMs,
    totalsMs: times.map((t) => t.totalMs),
    note:
      'Sequential events, one at a time, round-robin over the fixture packages; each a buildsys.tag of a release just committed to dist-git. ' +
      'totalMs: from the 202 of POST /api/fedora/messages to a new <revision> in base/x86_64/repodata/repomd.xml at its anonymous blob URL (polled every 20 ms); ' +
      'bothReposMs: until base/srpms has moved too. rpmbuildMs: the build step itself (the build record durationMs: rpmbuild -ba and its log classification); ' +
      'restMs = totalMs - rpmbuildMs (queueing, planning, sources, upload, publish). The phases come from the build record: ' +
      'ingestToPlanMs (202 to the plan createdAt, may be ~0 or negative since the plan function can run before the HTTP answer is read), ' +
      'planToBuildQueuedMs (builds message to the build function), queuedToPreparingMs, sourcesAndRenderMs (dist-git fetch, lookaside downloads, overlays), ' +
      'afterRpmbuildMs (inspect RPMs, upload artifacts, send publish messages), buildFinishedToRepomdMs (publish queue, publish, poll). Timestamps are ms wall clock of one machine.',
  };
}

/** The one build record of `component` not seen before (the event's build), in full. */
async function newBuildOf(
  client: PipelineClient,
  component: string,
  known: Set<string>,
): Promise<BuildRecord> {
  const list = await client.status<{ items: { buildId: string }[] }>(
    `/builds?component=${encodeURIComponent(component)}&limit=200`,
  );
  const fresh = list.items.map((b) => b.buildId).filter((id) => !known.has(id));
  for (const id of fresh) known.add(id);
  const records = await Promise.all(
    fresh.map((id) => client.status<BuildRecord>(`/builds/${encodeURIComponent(id)}`)),
  );
  const succeeded = records.filter((r) => r.state === 'succeeded');
  if (succeeded.length !== 1)
    throw new Error(
      `${component}: expected one new succeeded build, found ${JSON.stringify(records.map((r) => [r.buildId, r.state]))}`,
    );
  return succeeded[0]!;
}

function phases(answeredAt: number, seenAt: number, bothAt: number, record: BuildRecord): EventTimes {
  const at = (state: BuildTransition['state'], which: 'first' | 'last' = 'last'): number => {
    const entries = record.history.filter((h) => h.state === state);
    const entry = which === 'first' ? entries[0] : entries[entries.length - 1];
    if (!entry) throw new Error(`${record.buildId}: no ${state} in its history`);
    return Date.parse(entry.at);
  };
  const rpmbuildMs = record.durationMs ?? NaN;
  const building = at('building');
  const finished = at('succeeded');
  const totalMs = seenAt - answeredAt;
  return {
    totalMs,
    bothReposMs: bothAt - answeredAt,
    rpmbuildMs,
    restMs: totalMs - rpmbuildMs,
    ingestToPlanMs: Date.parse(record.requestedAt) - answeredAt,
    planToBuildQueuedMs: at('queued', 'first') - Date.parse(record.requestedAt),
    queuedToPreparingMs: at('preparing') - at('queued', 'first'),
    sourcesAndRenderMs: building - at('preparing'),
    afterRpmbuildMs: finished - building - rpmbuildMs,
    buildFinishedToRepomdMs: seenAt - finished,
  };
}
