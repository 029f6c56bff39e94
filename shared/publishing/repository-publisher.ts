import { PipelineError } from '../errors';
import { pipelineEvent } from '../events/pipeline-event';
import type { PipelineEventPublisher } from '../messaging/pipeline-event';
import { createRepodataRecord, RepodataCache, writeRepodata } from '../repodata';
import type { RepodataRecord } from '../repodata';
import { emptyGeneration, nextGeneration } from './generation';
import type { BlobRef, Generation } from './generation';
import { DEFAULT_DELETION_TIMING, deletionCutoff } from './deletion-cutoff';
import type { DeletionTiming } from './deletion-cutoff';
import { readPackageHeader } from './header-reader';
import { mapLimited } from './map-limited';
import { findOrphans } from './orphans';
import { formatNevra } from '../rpm/nevra';
import { candidateOf, planPublish } from './publish-plan';
import type { Candidate } from './publish-plan';
import type { PublishRequest } from './publish-request';
import type { PendingPublishes, PublishFlushes, RepositoryHead, RepositoryStore } from './ports';
import { publishTiming } from './publish-timing';
import { repoFileContent, repoFileHref } from './repo-file';
import { repositoryAccess } from './repository-access';
import type { RepositoryAccess } from './repository-access';
import { DEFAULT_KEEP_BUILDS } from './retention';
import { noTelemetry } from '../telemetry/pipeline-telemetry';
import type { PipelineTelemetry } from '../telemetry/pipeline-telemetry';

export interface PublisherOptions {
  /** Builds kept per package name (default 1). */
  readonly keepBuilds?: number;
  /** How long retired metadata and packages stay readable (default 10 minutes). */
  readonly graceMs?: number;
  /** Attempts of one publish when another publisher commits first (default 5). */
  readonly maxAttempts?: number;
  /**
   * Retired blobs one publish deletes at most after its commit (default `DEFAULT_DELETES_PER_PUBLISH`); the
   * rest stay due in the generation for the next publish or the sweep.
   */
  readonly deletesPerPublish?: number;
  /**
   * When due garbage is deleted: while the repository is quiet (default `DEFAULT_DELETION_TIMING`, its quiet
   * time shortened to `graceMs` when that is shorter).
   */
  readonly deletion?: DeletionTiming;
  readonly now?: () => number;
  /** Called for cleanup failures, which never fail a publish. */
  readonly onCleanupError?: (error: unknown) => void;
  /**
   * Awaited after the metadata and the state are written, just before the commit of `repomd.xml`: a
   * fault-injection point (a delay) so crash tests can stop the process while a publish is in progress.
   */
  readonly beforeCommit?: () => Promise<void>;
  /** Each publish in a `publish` span, timed by outcome; a new revision is `RepoPublished`. Default none. */
  readonly telemetry?: PipelineTelemetry;
  /**
   * At most one revision per repository per this many milliseconds (`publishTiming`); a request arriving
   * sooner is recorded and its publish deferred through `flushes`. 0 or no `flushes`: every request publishes
   * at once (the CLI, tests of the publisher itself).
   */
  readonly coalesceMs?: number;
  readonly flushes?: PublishFlushes;
}

/** What one publish did, and how to use the repository (`RepositoryAccess`: base URL, `.repo` URL, dnf). */
export interface PublishOutcome extends RepositoryAccess {
  readonly repository: string;
  readonly revision: number;
  /** Packages in the revision. */
  readonly packages: number;
  /** False when nothing changed (redelivery, or everything was already published by another run). */
  readonly changed: boolean;
  readonly added: string[];
  readonly removed: string[];
  /** Requests this run included (its own and the coalesced ones). */
  readonly requests: string[];
  /** Set when the publish was deferred to the end of the coalescing window (nothing changed yet). */
  readonly deferredUntil?: string;
  /** Requests this run set aside, because a package of theirs cannot be published, and why. */
  readonly setAside?: readonly { readonly key: string; readonly error: PipelineError }[];
}

export const DEFAULT_GRACE_MS = 10 * 60 * 1000;
/**
 * A mass rebuild retires every package of a repository at once (thousands), and they all fall due one grace
 * period later. A publish deletes garbage after its commit, before it answers, and the repository's next
 * publish waits for it; so each publish takes at most this many, and the periodic sweep the rest.
 */
export const DEFAULT_DELETES_PER_PUBLISH = 100;
/** Deletes in flight at once (a publish's share of due garbage, or a sweep's). */
const DELETE_CONCURRENCY = 8;
/** Copies and header reads in flight at once (a first publish of a whole distro is thousands). */
const COPY_CONCURRENCY = 16;

/** The `publish` message's key: its message id, `<repository>:<fingerprint>`. */
export const publishRequestKey = (request: PublishRequest): string =>
  `${request.repository}:${request.fingerprint}`;

const isLostRace = (error: unknown) =>
  PipelineError.is(error, 'storage.precondition-failed') || PipelineError.is(error, 'storage.conflict');

/**
 * A package that can never be published as its request says: its file is gone (`publish.artifact-missing`),
 * is another package (`publish.artifact-mismatch`) or is not a readable RPM (`rpm.*`). Retrying cannot help,
 * and the request must not hold the repository's other requests back.
 */
const isUnpublishable = (error: unknown): error is PipelineError =>
  PipelineError.is(error) &&
  !error.retryable &&
  (error.code === 'publish.artifact-missing' ||
    error.code === 'publish.artifact-mismatch' ||
    error.code.startsWith('rpm.'));

/**
 * Publishes RPMs into a repository, one generation at a time: record the request as pending, then take
 * every pending request of the repository together (coalescing), copy the new packages in, read their
 * headers (ranged reads), write the metadata under new content-addressed names and the state, and replace
 * `repodata/repomd.xml` last with If-Match on the ETag read at the start (If-None-Match `*` the first time).
 * A reader sees the old or the new repository, never a mix. Losing that race re-runs on top of the winner;
 * after `maxAttempts` it is the transient `publish.lost-race`. Retired files are deleted after the grace period.
 */
export class RepositoryPublisher {
  private readonly caches = new Map<string, RepodataCache>();
  /**
   * Per repository: the last generation this instance loaded or committed, by the state blob it lives in.
   * State blobs are never overwritten (a new generation gets a new name), so when the head still names it the
   * generation is still current, and the next publish reads only the head, not thousands of records again.
   */
  private readonly generations = new Map<
    string,
    { readonly state: string; readonly generation: Generation }
  >();
  /**
   * Per repository: the moment this instance last scheduled a flush for. The queue drops a second flush for
   * the same moment anyway (same message id); not asking saves a Service Bus operation per deferred request.
   */
  private readonly flushScheduledAt = new Map<string, number>();
  /** Per repository: blobs written by attempts that lost the race, retired by the next generation. */
  private readonly leftovers = new Map<string, BlobRef[]>();
  /**
   * Per repository: due garbage this instance already deleted that the committed generation still lists (a
   * sweep cannot rewrite the generation; the next publishes hand it over, `deletesPerPublish` at a time). Kept
   * so that neither the next sweep nor those publishes send the same deletes again.
   */
  private readonly deleted = new Map<string, Set<string>>();
  private readonly keep: number;
  private readonly graceMs: number;
  private readonly maxAttempts: number;
  private readonly deletesPerPublish: number;
  private readonly deletion: DeletionTiming;
  private readonly now: () => number;

  constructor(
    private readonly store: RepositoryStore,
    private readonly pending: PendingPublishes,
    private readonly events: PipelineEventPublisher,
    private readonly options: PublisherOptions = {},
  ) {
    this.keep = options.keepBuilds ?? DEFAULT_KEEP_BUILDS;
    this.graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.deletesPerPublish = options.deletesPerPublish ?? DEFAULT_DELETES_PER_PUBLISH;
    // A grace period shorter than the default quiet time is also long enough to count as quiet.
    this.deletion = options.deletion ?? {
      ...DEFAULT_DELETION_TIMING,
      quietMs: Math.min(DEFAULT_DELETION_TIMING.quietMs, this.graceMs),
    };
    this.now = options.now ?? Date.now;
  }

  /**
   * `deferrable: false` for the flush a deferral brought back: it publishes whatever the timing says, so a
   * clock that runs behind the broker's cannot defer the same flush to the same moment (whose id duplicate
   * detection would drop) and strand the requests.
   */
  publish(request: PublishRequest, options: { readonly deferrable?: boolean } = {}): Promise<PublishOutcome> {
    const telemetry = this.options.telemetry ?? noTelemetry;
    const attributes = {
      'azl.repository': request.repository,
      'azl.component': request.component,
      'azl.fingerprint': request.fingerprint,
      'azl.build.id': request.buildId,
    };
    return telemetry.span('publish', attributes, async (span) => {
      const started = Date.now();
      const { repository } = request;
      let outcome: PublishOutcome;
      try {
        outcome = await this.publishOnce(request, options.deferrable ?? true);
      } catch (error) {
        telemetry.publishFinished({ repository, outcome: 'failed', durationMs: Date.now() - started });
        throw error;
      }
      span.annotate({ 'azl.repository.revision': outcome.revision, 'azl.publish.changed': outcome.changed });
      telemetry.publishFinished({
        repository,
        outcome: outcome.changed ? 'published' : 'unchanged',
        durationMs: Date.now() - started,
        revision: outcome.revision,
        packages: outcome.packages,
        added: outcome.added.length,
        removed: outcome.removed.length,
        ...(request.upstreamSentAt ? { upstreamSentAt: request.upstreamSentAt } : {}),
      });
      return outcome;
    });
  }

  private async publishOnce(request: PublishRequest, deferrable: boolean): Promise<PublishOutcome> {
    const key = publishRequestKey(request);
    const recorded = await this.pending.record(key, request);
    if (recorded === 'pending' && deferrable) {
      const deferred = await this.deferIfTooSoon(request);
      if (deferred) return deferred;
    }
    for (let attempt = 1; ; attempt += 1) {
      try {
        const outcome = await this.runOnce(request.repository, recorded === 'done' ? key : undefined);
        // Its own request set aside: the others are published, and its message ends with the reason.
        const own = outcome.setAside?.find((s) => s.key === key);
        if (own) throw own.error;
        return outcome;
      } catch (error) {
        if (!isLostRace(error)) throw error;
        if (attempt >= this.maxAttempts) {
          throw PipelineError.transient(
            'publish.lost-race',
            `another publisher kept committing ${request.repository} first (${attempt} attempts)`,
            { repository: request.repository, attempts: attempt },
            error,
          );
        }
      }
    }
  }

  /**
   * Deletes the due garbage of every repository; the periodic sweep, so retired files go even when no new
   * publish comes. Safe beside a running publish: a blob written again has a new ETag and is kept.
   */
  async sweepAll(): Promise<number> {
    let deleted = 0;
    for (const repository of await this.store.repositories()) deleted += await this.sweep(repository);
    return deleted;
  }

  /**
   * Deletes the due garbage of the committed generation (publishes do that too; both only while the repository
   * is quiet, `deletionCutoff`), then the orphans: what publishes that never committed left behind and the
   * committed generation neither uses nor retires, written before it was made and not within the grace period
   * (`findOrphans`). The number of blobs deleted.
   */
  async sweep(repository: string): Promise<number> {
    const head = await this.store.head(repository);
    const generation = head ? await this.store.loadGeneration(head.state) : emptyGeneration(repository);
    const now = this.now();
    // What this instance deleted and the committed generation still lists; the rest was handed over since.
    const listed = new Set(generation.garbage.map(garbageKey));
    const deleted = new Set([...this.deletedOf(repository)].filter((key) => listed.has(key)));
    const dueBy = deletionCutoff(generation.publishedAt, now, this.deletion);
    const due = generation.garbage.filter((g) => g.deleteAfter <= dueBy);
    for (const key of await this.deleteGarbage(repository, due)) deleted.add(key);
    this.deleted.set(repository, deleted);
    const [files, states] = await Promise.all([
      this.store.listGenerationFiles(repository),
      this.store.listStates(repository),
    ]);
    const orphans = findOrphans({
      committed: generation,
      ...(head ? { committedState: head.state } : {}),
      files,
      states,
      now,
      graceMs: this.graceMs,
    });
    await this.deleteGarbage(repository, orphans);
    return due.length + orphans.length;
  }

  /**
   * Within the coalescing window after the repository's last revision: brings the publish back at the window's
   * end (one message for every request deferred to that moment) and answers without a revision.
   */
  private async deferIfTooSoon(request: PublishRequest): Promise<PublishOutcome | undefined> {
    const { coalesceMs = 0, flushes } = this.options;
    if (coalesceMs <= 0 || !flushes) return undefined;
    const { current } = await this.current(request.repository);
    const timing = publishTiming(
      current.revision > 0 ? current.publishedAt : undefined,
      this.now(),
      coalesceMs,
    );
    if (timing.kind === 'now') return undefined;
    if (this.flushScheduledAt.get(request.repository) !== timing.at) {
      await flushes.scheduleFlush(request, new Date(timing.at));
      this.flushScheduledAt.set(request.repository, timing.at);
    }
    return { ...this.outcome(current, false, [], [], []), deferredUntil: new Date(timing.at).toISOString() };
  }

  /** The committed head and its generation (read again only when the head names another state blob). */
  private async current(repository: string): Promise<{ head?: RepositoryHead; current: Generation }> {
    const head = await this.store.head(repository);
    if (!head) return { current: emptyGeneration(repository) };
    const cached = this.generations.get(repository);
    if (cached?.state === head.state.href) return { head, current: cached.generation };
    const current = await this.store.loadGeneration(head.state);
    this.generations.set(repository, { state: head.state.href, generation: current });
    return { head, current };
  }

  private async runOnce(repository: string, alreadyDone: string | undefined): Promise<PublishOutcome> {
    const { head, current } = await this.current(repository);
    const waiting = alreadyDone ? [] : await this.pending.pending(repository);
    const published = new Set(current.requests);
    // Oldest request first: of two builds of one NEVRA, the newer one is published.
    const open = waiting
      .filter((p) => !published.has(p.key))
      .sort((a, b) => a.request.requestedAt.localeCompare(b.request.requestedAt));
    const candidates = open.flatMap((p) => p.request.packages.map((pkg) => candidateOf(p.key, pkg)));
    const plan = planPublish(current.records, candidates, this.keep);
    const keys = waiting.map((p) => p.key);
    if (!plan.changed) {
      // A request the committed generation includes but still pending: the run that committed it stopped
      // before announcing it. Announce again (same event id, so the topic drops a repeat).
      if (waiting.some((p) => published.has(p.key))) await this.announce(current);
      if (keys.length > 0) await this.pending.markDone(repository, keys, current.revision);
      return this.outcome(current, false, [], [], keys);
    }
    const brought = await mapLimited(plan.added, COPY_CONCURRENCY, (c) =>
      this.bringIn(repository, c).catch((error: unknown) => {
        if (isUnpublishable(error)) return { unpublishable: error, candidate: c };
        throw error;
      }),
    );
    const failed = new Map<string, PipelineError>();
    for (const b of brought) {
      if ('unpublishable' in b && !failed.has(b.candidate.requestKey))
        failed.set(b.candidate.requestKey, b.unpublishable);
    }
    if (failed.size > 0) {
      // All of a request or none of it: its build's packages belong together. The files copied for the others
      // are copied again by the run below (the same names), and those of the set-aside ones become orphans.
      const setAside = open
        .filter((p) => failed.has(p.key))
        .map((p) => ({ key: p.key, request: p.request, error: failed.get(p.key) as PipelineError }));
      await this.pending.setAside(repository, setAside);
      const rest = await this.runOnce(repository, alreadyDone);
      const asSet = setAside.map(({ key, error }) => ({ key, error }));
      return { ...rest, setAside: [...asSet, ...(rest.setAside ?? [])] };
    }
    const copied = brought as { record: RepodataRecord; blob: BlobRef }[];
    const records = [...plan.kept, ...copied.map((c) => c.record)];
    const now = this.now();
    const revision = current.revision + 1;
    const cache = this.caches.get(repository) ?? new RepodataCache();
    this.caches.set(repository, cache);
    const output = writeRepodata(records, {
      revision: String(revision),
      timestamp: Math.floor(now / 1000),
      cache,
    });
    const metadata = await Promise.all(
      output.files.map((file) => this.store.writeFile(repository, file.href, file.bytes, 'application/gzip')),
    );
    // Every new revision (not only the first) writes it, so a repository published before the file
    // existed, or under an older name, has it at its `repoFileUrl` once it moves on.
    await this.writeRepoFile(repository);
    const kept = new Set(plan.kept.map((r) => r.locationHref));
    const packages: BlobRef[] = [
      ...current.packages.filter((ref) => kept.has(ref.href)),
      ...copied.map((c) => c.blob),
    ];
    const added = plan.added.map((c) => c.pkg.nevra);
    const removed = plan.removed.map((r) => formatNevra(r));
    const { generation, due } = nextGeneration(current, {
      added,
      removed,
      records,
      packages,
      metadata,
      requests: open.map((p) => p.key),
      leftovers: this.leftovers.get(repository) ?? [],
      ...(head ? { previousState: head.state } : {}),
      now,
      graceMs: this.graceMs,
      dueBy: deletionCutoff(current.publishedAt, now, this.deletion),
      maxDue: this.deletesPerPublish,
    });
    const state = await this.store.writeState(generation);
    const condition = head ? { ifMatch: head.etag } : { ifNoneMatch: '*' as const };
    await this.options.beforeCommit?.();
    try {
      await this.store.commit(repository, output.repomd.bytes, condition, state);
    } catch (error) {
      await this.store
        .deleteGarbage(repository, { store: 'state', name: state.href, etag: state.etag, deleteAfter: 0 })
        .catch(() => undefined);
      if (isLostRace(error)) {
        const written = [...metadata, ...copied.map((c) => c.blob)];
        this.leftovers.set(repository, [...(this.leftovers.get(repository) ?? []), ...written]);
      }
      throw error;
    }
    this.leftovers.delete(repository);
    this.generations.set(repository, { state: state.href, generation });
    await this.announce(generation);
    await this.pending.markDone(repository, keys, revision);
    await this.deleteGarbage(repository, due);
    // Handed over: the committed generation no longer lists them.
    for (const garbage of due) this.deletedOf(repository).delete(garbageKey(garbage));
    return this.outcome(generation, true, added, removed, keys);
  }

  /** `repo.published` for a committed generation; its id is derived from it, so a repeat is a duplicate. */
  private async announce(generation: Generation): Promise<void> {
    const { repository, revision, added, removed } = generation;
    await this.events.publish([
      pipelineEvent('repo.published', {
        identity: `${repository}:${revision}`,
        subject: repository,
        time: new Date(generation.publishedAt).toISOString(),
        data: {
          repository,
          revision,
          added: [...added],
          removed: [...removed],
          ...repositoryAccess(repository, this.store.baseUrl(repository)),
        },
      }),
    ]);
  }

  /** Copies one candidate in, reads its header by ranged reads, and checks it is what the request said. */
  private async bringIn(
    repository: string,
    c: Candidate,
  ): Promise<{ record: RepodataRecord; blob: BlobRef }> {
    const place = { repository, href: c.href, artifactBlob: c.pkg.artifactBlob };
    const copy = await this.store.copyPackage(c.pkg.artifactBlob, repository, c.href);
    if (copy.size !== c.pkg.size) {
      const message = `${c.pkg.artifactBlob} is ${copy.size} bytes, the request says ${c.pkg.size}`;
      throw PipelineError.permanent('publish.artifact-mismatch', message, place);
    }
    const pkg = await readPackageHeader(
      (offset, count) => this.store.readRange(repository, c.href, offset, count),
      place,
    );
    const nevra = formatNevra({ ...pkg, epoch: pkg.epoch ?? 0 });
    if (nevra !== formatNevra(c)) {
      const message = `${c.pkg.artifactBlob} holds ${nevra}, the request says ${c.pkg.nevra}`;
      throw PipelineError.permanent('publish.artifact-mismatch', message, place);
    }
    const record = createRepodataRecord(pkg, {
      pkgId: c.pkg.sha256,
      locationHref: c.href,
      // No file mtime on a blob worth keeping: the build time is deterministic for the same file.
      fileTime: pkg.buildTime,
      fileSize: copy.size,
    });
    return { record, blob: { href: c.href, etag: copy.etag } };
  }

  private async writeRepoFile(repository: string): Promise<void> {
    const text = repoFileContent(repository, this.store.baseUrl(repository));
    const bytes = Buffer.from(text, 'utf8');
    await this.store.writeFile(repository, repoFileHref(repository), bytes, 'text/plain; charset=utf-8');
  }

  /**
   * Deletes `due`, 8 at a time, except what this instance deleted before (`deleted`); the keys of those it
   * deleted now.
   */
  private async deleteGarbage(repository: string, due: Generation['garbage']): Promise<string[]> {
    const before = this.deletedOf(repository);
    const done = await mapLimited(due, DELETE_CONCURRENCY, async (garbage) => {
      const key = garbageKey(garbage);
      if (before.has(key)) return undefined;
      try {
        await this.store.deleteGarbage(repository, garbage);
        return key;
      } catch (error) {
        this.options.onCleanupError?.(error);
        return undefined;
      }
    });
    return done.filter((key): key is string => key !== undefined);
  }

  /** The repository's remembered deletes (an empty set, not kept, when there are none). */
  private deletedOf(repository: string): Set<string> {
    return this.deleted.get(repository) ?? new Set<string>();
  }

  private outcome(
    generation: Generation,
    changed: boolean,
    added: string[],
    removed: string[],
    requests: string[],
  ): PublishOutcome {
    const repository = generation.repository;
    const packages = generation.records.length;
    const base = { repository, revision: generation.revision, packages, changed, added, removed, requests };
    return { ...base, ...repositoryAccess(repository, this.store.baseUrl(repository)) };
  }
}

/** A garbage blob by store, name and ETag: the same name written again is another blob. */
const garbageKey = (garbage: Generation['garbage'][number]): string =>
  `${garbage.store}:${garbage.name}@${garbage.etag}`;
