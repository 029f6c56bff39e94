import type { BuildRequest } from '../build/build-request';
import type { BuildResult } from '../build/build-result';
import { isFinalBuildState } from '../build/build-state';
import type { PermanentCode, TransientCode } from '../error-codes';
import { describeError, PipelineError } from '../errors';
import type { PublishRequest } from '../publishing/publish-request';
import { buildEvent, finalBuildEventType } from './build-events';
import { newBuildRecord, transition } from './build-record';
import type { BuildRecord } from './build-record';
import type { BuildWorkerPorts, ComponentBuilds, InspectedPackage } from './ports';
import { defaultRetryPolicy, retryDelayMs } from './retry-policy';
import { noTelemetry } from '../telemetry/pipeline-telemetry';
import type { PipelineTelemetry } from '../telemetry/pipeline-telemetry';
import type { RetryPolicy } from './retry-policy';
import { isOverlayDrift } from '../overlays/drift';
import { decideWaveGate, pathDependencies } from './wave-gate';
import { WaveRelease } from './wave-release';

export interface BuildWorkerOptions {
  readonly retry?: RetryPolicy;
  /**
   * A build that arrives before its wave is due waits for the earlier waves of its plan, re-checking this
   * often, for at most `maxWaveWaitMs`. The safety net only: a wave is normally sent when the one before it
   * ends (`WaveRelease`), so nothing waits; plans written before that sent every wave at once.
   */
  readonly waveWaitMs?: number;
  readonly maxWaveWaitMs?: number;
  readonly timeLimitMs?: number;
  readonly clock?: () => Date;
}

export type BuildHandled =
  | { readonly outcome: 'already-final' | 'superseded' | 'waiting' | 'retry-scheduled' | 'dispatched' }
  | { readonly outcome: 'finished'; readonly record: BuildRecord };

/**
 * Handles one `builds` message: skips it when its build is final already (a redelivery) or a newer request
 * superseded it, waits for earlier waves, prepares and renders the sources, builds, and records the outcome.
 * A success that produced the same RPM contents as the last success ends `unchanged` and is not published;
 * otherwise the artifacts are uploaded and one `publish` message goes to each target repository. Transient
 * failures are retried by a scheduled message; overlay drift, spec and compile errors are recorded once.
 * A build that ends its plan's earliest unfinished wave sends the next wave (`WaveRelease`, with `release`).
 */
export class BuildWorker {
  private readonly retry: RetryPolicy;
  private readonly release: WaveRelease | undefined;

  constructor(
    private readonly ports: BuildWorkerPorts,
    private readonly options: BuildWorkerOptions = {},
  ) {
    this.retry = options.retry ?? defaultRetryPolicy;
    this.release = ports.release ? new WaveRelease(ports.progress, ports.release) : undefined;
  }

  /**
   * One `builds` message in a `build` span (component, fingerprint, plan, attempt; the build id and outcome
   * once known). A build that finishes is counted and timed from here, and announced as `BuildSucceeded`
   * or `BuildFailed` (telemetry); its `build.*` event (`finalBuildEventType`) is sent when it is recorded.
   */
  handle(request: BuildRequest): Promise<BuildHandled> {
    const attributes = {
      'azl.component': request.component,
      'azl.fingerprint': request.fingerprint,
      'azl.plan.id': request.planId,
      'azl.build.attempt': request.attempt,
    };
    const links = request.causes ?? [];
    return this.telemetry.span(
      'build',
      attributes,
      async (span) => {
        const started = Date.now();
        const handled = await this.handleOnce(request);
        span.annotate({ 'azl.build.outcome': handled.outcome });
        if (handled.outcome === 'finished') {
          span.annotate({ 'azl.build.id': handled.record.buildId, 'azl.build.state': handled.record.state });
          this.reportFinished(handled.record, Date.now() - started);
        }
        if (ENDED.has(handled.outcome)) await this.releaseAfter(request);
        return handled;
      },
      { links },
    );
  }

  private get telemetry(): PipelineTelemetry {
    return this.ports.telemetry ?? noTelemetry;
  }

  private reportFinished(record: BuildRecord, durationMs: number): void {
    this.telemetry.buildFinished({
      component: record.component,
      fingerprint: record.fingerprint,
      buildId: record.buildId,
      outcome: record.state,
      builder: record.builder ?? this.ports.dispatcher?.name ?? this.ports.builder.name,
      durationMs,
      ...(record.durationMs === undefined ? {} : { rpmbuildMs: record.durationMs }),
      packages: record.nevras?.length ?? 0,
      ...(record.error ? { error: { code: record.error.code, retryable: record.error.retryable } } : {}),
      ...(record.logExcerpt ? { logExcerpt: record.logExcerpt } : {}),
    });
  }

  private async handleOnce(request: BuildRequest): Promise<BuildHandled> {
    const { records } = this.ports;
    const existing = await records.get(request.component, request.fingerprint);
    if (existing && isFinalBuildState(existing.state)) return { outcome: 'already-final' };
    let record = existing ?? newBuildRecord(request, this.now());
    const builds = await this.ports.state.buildsOf(request.component);
    const { latest } = builds;
    if (latest && latest.fingerprint !== request.fingerprint && latest.requestedAt > request.requestedAt) {
      await this.finish(record, 'superseded', `superseded by ${latest.fingerprint} (${latest.requestedAt})`);
      return { outcome: 'superseded' };
    }
    const gated = await this.waitForEarlierWaves(request, record);
    if (gated) return gated;
    const dispatcher = this.ports.dispatcher;
    if (dispatcher) return this.dispatch(dispatcher, request, record);
    record = transition(record, 'preparing', this.now(), `try ${request.attempt}`, {
      attempts: request.attempt,
    });
    await records.put(record);
    let prepared: Awaited<ReturnType<BuildWorkerPorts['preparer']['prepare']>>;
    try {
      prepared = await this.ports.preparer.prepare(request);
    } catch (error) {
      return this.failed(request, record, asPipelineError(error, 'build.prepare-failed'));
    }
    try {
      return await this.build(request, record, prepared, builds.lastSuccess);
    } finally {
      await prepared.release();
    }
  }

  private async build(
    request: BuildRequest,
    preparing: BuildRecord,
    prepared: Awaited<ReturnType<BuildWorkerPorts['preparer']['prepare']>>,
    last: ComponentBuilds['lastSuccess'],
  ): Promise<BuildHandled> {
    const startedAt = this.now();
    let record = transition(preparing, 'building', startedAt, this.ports.builder.name, {
      builder: this.ports.builder.name,
      startedAt,
    });
    // The `building` record and the started event are written while the builder runs: the build waits on
    // neither, both are written before the final record and event all the same, and a failure of either fails
    // the try once the builder has ended (never while it still writes into the work folder).
    const started = Date.now();
    const [outcome] = await allSettledOrThrow([
      this.ports.builder.build({
        ...prepared,
        component: request.component,
        fingerprint: request.fingerprint,
        // Within host.json's functionTimeout (2 h), which also bounds the message lock's auto-renewal.
        timeLimitMs: this.options.timeLimitMs ?? 90 * 60_000,
      }),
      this.ports.records.put(record),
      this.ports.events.publish([buildEvent('build.started', record, startedAt)]),
    ] as const);
    record = { ...record, durationMs: Date.now() - started };
    if (outcome.state === 'failed') {
      const error = new PipelineError(outcome.code, outcome.message, outcome.retryable, {
        component: request.component,
      });
      return this.failed(request, { ...record, logExcerpt: outcome.logExcerpt }, error);
    }
    const packagePaths = outcome.files.filter((f) => f.kind !== 'log').map((f) => f.path);
    const inspected = await this.ports.inspector.inspect(packagePaths);
    const fields = { nevras: inspected.nevras, contentDigest: inspected.contentDigest };
    if (last?.contentDigest === inspected.contentDigest) {
      await this.ports.successes.record(request.component, request.fingerprint, inspected.contentDigest);
      const unchanged = { ...record, ...fields };
      return {
        outcome: 'finished',
        record: await this.finish(unchanged, 'unchanged', `same contents as ${last.fingerprint}`),
      };
    }
    const artifacts = await this.ports.artifacts.upload(
      request.component,
      request.fingerprint,
      outcome.files,
    );
    const routes = this.ports.router.route(request.component, inspected.packages);
    const publishRequests = [...routes].map(([repository, packages]) =>
      publishRequestOf(repository, request, record.buildId, packages, artifacts, this.now()),
    );
    // The success only after the publish requests went out: it is what the next try compares its contents
    // with, so recorded before a send that failed, the retry would end `unchanged` and never publish. The
    // success and the final record are independent (either alone, after a crash, leaves a correct outcome:
    // a redelivery finds the build final, or rebuilds and ends `unchanged` with its packages sent), so they
    // are written together.
    await this.ports.publish.send(publishRequests);
    const done = { ...record, ...fields, artifacts, repositories: [...routes.keys()].sort() };
    const [, finished] = await allSettledOrThrow([
      this.ports.successes.record(request.component, request.fingerprint, inspected.contentDigest),
      this.finish(done, 'succeeded', `${inspected.nevras.length} packages`),
    ] as const);
    return { outcome: 'finished', record: finished };
  }

  /** Starts the build in the cloud; the execution does the rest and reports on `build-results`. */
  private async dispatch(
    dispatcher: NonNullable<BuildWorkerPorts['dispatcher']>,
    request: BuildRequest,
    record: BuildRecord,
  ): Promise<BuildHandled> {
    let execution: { executionName: string };
    try {
      execution = await dispatcher.dispatch(request);
    } catch (error) {
      return this.failed(request, record, asPipelineError(error, 'build.dispatch-failed'));
    }
    const at = this.now();
    const detail = `${dispatcher.name} execution ${execution.executionName}`;
    const dispatched = transition(record, 'building', at, detail, {
      attempts: request.attempt,
      builder: dispatcher.name,
      startedAt: at,
    });
    await this.ports.records.put(dispatched);
    await this.ports.events.publish([buildEvent('build.started', dispatched, at)]);
    return { outcome: 'dispatched' };
  }

  /**
   * An outcome reported on `build-results`. The execution ran this same worker, which recorded the outcome
   * before reporting it, so usually there is nothing left to do; a failure the execution could not record
   * (it failed to prepare or crashed) is recorded here, and retried when retryable.
   */
  async acceptResult(result: BuildResult): Promise<BuildHandled> {
    const handled = await this.acceptResultOnce(result);
    if (handled.outcome === 'finished') {
      await this.releaseAfter(handled.record);
      const { startedAt, finishedAt } = handled.record;
      const durationMs = startedAt && finishedAt ? Date.parse(finishedAt) - Date.parse(startedAt) : 0;
      this.reportFinished(handled.record, durationMs);
    }
    return handled;
  }

  private async acceptResultOnce(result: BuildResult): Promise<BuildHandled> {
    const record = await this.ports.records.get(result.component, result.fingerprint);
    if (!record) return { outcome: 'already-final' };
    if (isFinalBuildState(record.state) || result.state === 'succeeded') {
      // The execution released the next wave when it recorded the outcome; checking again is cheap and
      // covers an execution that ended between the two.
      if (isFinalBuildState(record.state)) await this.releaseAfter(record);
      return { outcome: 'already-final' };
    }
    const request: BuildRequest = {
      planId: record.planId,
      component: record.component,
      fingerprint: record.fingerprint,
      wave: record.wave,
      priority: 0,
      reasons: [],
      requestedAt: record.requestedAt,
      attempt: Math.max(1, record.attempts),
    };
    // Read as JSON is: the execution may run another version, whose code this one does not know.
    const error = PipelineError.fromJSON({
      name: 'PipelineError',
      code: result.code ?? 'build.failed',
      message: result.message ?? 'the execution failed',
      retryable: result.retryable ?? false,
      context: {
        component: result.component,
        executionName: result.executionName,
      },
    });
    return this.failed(
      request,
      { ...record, ...(result.logExcerpt ? { logExcerpt: result.logExcerpt } : {}) },
      error,
    );
  }

  /** Retries a transient failure while tries are left; records anything else once, for good. */
  private async failed(
    request: BuildRequest,
    record: BuildRecord,
    error: PipelineError,
  ): Promise<BuildHandled> {
    const failure = { code: error.code, message: error.message, retryable: error.retryable };
    if (error.retryable && request.attempt < this.retry.maxAttempts) {
      const at = new Date(this.clock().getTime() + retryDelayMs(this.retry, request.attempt));
      await this.ports.scheduler.schedule({ ...request, attempt: request.attempt + 1 }, at, 'retry');
      const detail = `${error.code}: ${error.message}; try ${request.attempt + 1} at ${at.toISOString()}`;
      await this.ports.records.put(transition(record, 'queued', this.now(), detail, { error: failure }));
      return { outcome: 'retry-scheduled' };
    }
    const state = isOverlayDrift(error) ? 'overlay-drift' : 'failed';
    const finished = await this.finish(
      { ...record, error: failure },
      state,
      `${error.code}: ${error.message}`,
    );
    return { outcome: 'finished', record: finished };
  }

  /**
   * The wave gate (`decideWaveGate`): the request is re-scheduled while builds of earlier waves of its plan
   * are unfinished; then a build whose rebuild path holds a failed component ends `cancelled`
   * (`dependency-failed: …`, a final state, so later waves never wait on it). Undefined when the build goes ahead.
   */
  private async waitForEarlierWaves(
    request: BuildRequest,
    record: BuildRecord,
  ): Promise<BuildHandled | undefined> {
    if (request.wave === 0) return undefined;
    const waitedMs = this.clock().getTime() - Date.parse(request.requestedAt);
    const unfinished =
      waitedMs > (this.options.maxWaveWaitMs ?? 6 * 3_600_000)
        ? []
        : await this.ports.progress.unfinishedBefore(request.planId, request.wave);
    const dependencies = unfinished.length === 0 ? pathDependencies(request) : [];
    const outcomes =
      dependencies.length === 0 ? [] : await this.ports.progress.outcomesOf(request.planId, dependencies);
    const decision = decideWaveGate(unfinished, outcomes);
    if (decision.kind === 'go') return undefined;
    if (decision.kind === 'skip') {
      const code: PermanentCode = 'build.dependency-failed';
      const error = { code, message: decision.reason, retryable: false };
      return {
        outcome: 'finished',
        record: await this.finish({ ...record, error }, 'cancelled', decision.reason),
      };
    }
    const at = new Date(this.clock().getTime() + (this.options.waveWaitMs ?? 30_000));
    await this.ports.scheduler.schedule(request, at, 'wait');
    if (record.history.length === 1 && record.state === 'queued') {
      await this.ports.records.put(
        transition(record, 'queued', this.now(), `waiting for ${decision.on.slice(0, 5).join(', ')}`),
      );
    }
    return { outcome: 'waiting' };
  }

  /**
   * After a build of the plan is final: the next wave goes when this ended the plan's earliest unfinished
   * one (`WaveRelease`). Also after a redelivery that finds the build final, which is how a worker that died
   * between the final record and the release is made good.
   */
  private async releaseAfter(build: { readonly planId: string; readonly wave: number }): Promise<void> {
    await this.release?.afterFinal(build);
  }

  private async finish(
    record: BuildRecord,
    state: BuildRecord['state'],
    detail: string,
  ): Promise<BuildRecord> {
    const at = this.now();
    const finished = transition(record, state, at, detail, { finishedAt: at });
    await this.ports.records.put(finished);
    const type = finalBuildEventType(state);
    if (type) await this.ports.events.publish([buildEvent(type, finished, at)]);
    return finished;
  }

  private clock(): Date {
    return (this.options.clock ?? (() => new Date()))();
  }

  private now(): string {
    return this.clock().toISOString();
  }
}

/** Outcomes after which the request's build is final: its plan's next wave may be due. */
const ENDED: ReadonlySet<BuildHandled['outcome']> = new Set(['finished', 'already-final', 'superseded']);

/**
 * Waits for every promise, then returns their values or throws the first failure: unlike `Promise.all`, it
 * never returns while one of them still runs (a builder still writing into a folder the caller removes next).
 */
async function allSettledOrThrow<T extends readonly unknown[]>(promises: {
  readonly [K in keyof T]: Promise<T[K]>;
}): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

function asPipelineError(error: unknown, code: TransientCode): PipelineError {
  return PipelineError.is(error) ? error : PipelineError.transient(code, describeError(error));
}

function publishRequestOf(
  repository: string,
  request: BuildRequest,
  buildId: string,
  packages: readonly InspectedPackage[],
  artifacts: readonly { blobPath: string; fileName: string; sha256: string; size: number }[],
  at: string,
): PublishRequest {
  const byName = new Map(artifacts.map((a) => [a.fileName, a]));
  return {
    repository,
    component: request.component,
    fingerprint: request.fingerprint,
    buildId,
    requestedAt: at,
    ...(request.upstreamSentAt ? { upstreamSentAt: request.upstreamSentAt } : {}),
    packages: packages.map((pkg) => {
      const artifact = byName.get(pkg.path.split('/').pop() ?? '');
      if (!artifact)
        throw PipelineError.permanent('build.artifact-missing', `no uploaded artifact for ${pkg.path}`, {
          component: request.component,
        });
      return {
        artifactBlob: artifact.blobPath,
        fileName: artifact.fileName,
        sha256: artifact.sha256,
        size: artifact.size,
        nevra: pkg.nevra,
      };
    }),
  };
}
