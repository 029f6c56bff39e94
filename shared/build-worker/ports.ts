import type { BuildRequest } from '../build/build-request';
import type { Builder, BuildInput } from '../build/builder';
import type { PipelineEventPublisher } from '../messaging/pipeline-event';
import type { PublishRequest } from '../publishing/publish-request';
import type { BuildArtifact, BuildRecord } from './build-record';
import type { DependencyOutcome } from './wave-gate';
import type { PipelineTelemetry } from '../telemetry/pipeline-telemetry';

/**
 * The ports of the build worker. Adapters are in `infra/build-worker/`; tests use in-memory fakes. Each write
 * is idempotent, so a worker that dies anywhere is simply run again by the message's redelivery.
 */
export interface BuildRecords {
  get(component: string, fingerprint: string): Promise<BuildRecord | undefined>;
  /** Writes the whole record (last writer wins: one component builds at a time, its session serializes them). */
  put(record: BuildRecord): Promise<void>;
}

/** What `ComponentBuildState` answers for a component. */
export interface ComponentBuilds {
  /** The newest build the planner asked for; an older request is superseded by it. */
  readonly latest?: { readonly fingerprint: string; readonly requestedAt: string };
  /** The last successful build; a build with the same contents ends `unchanged`. */
  readonly lastSuccess?: { readonly fingerprint: string; readonly contentDigest?: string };
}

/**
 * What the worker reads of its component, once per message (one `componentstate` row, one read; it was read
 * again after the build for the last success). Read before the build, the last success still holds after
 * it: only the component's own builds write it, and here they run one at a time (the `builds` session is the
 * component). Cloud executions do not hold the session: one that records a success while another of the
 * same component runs is not seen by it, which then publishes equal contents instead of ending `unchanged`
 * (a redundant revision, nothing lost; the two read before either wrote could already do the same).
 */
export interface ComponentBuildState {
  buildsOf(component: string): Promise<ComponentBuilds>;
}

/** Whether the components of earlier waves of a plan are done, and how the ones a build depends on ended. */
export interface PlanProgress {
  /**
   * Some components of `planId` in waves before `wave` whose builds are not in a final state (a few of the
   * earliest such wave, at most `atMost` (default 5): enough to say what the build waits for); empty when
   * every earlier item is final.
   */
  unfinishedBefore(planId: string, wave: number, atMost?: number): Promise<string[]>;
  /**
   * The builds of those of `components` that `planId` planned and that have a record (point reads: the
   * few components on a build's rebuild path, not the plan).
   */
  outcomesOf(planId: string, components: readonly string[]): Promise<DependencyOutcome[]>;
}

/**
 * A plan's recorded build requests, one wave at a time: what the planning pass would have sent for them
 * (`buildRequestOf` over the stored plan record). Read when a wave is released.
 */
export interface PlanWaves {
  /** How many waves `planId` has (its last item's wave + 1); undefined when there is no such plan. */
  waveCount(planId: string): Promise<number | undefined>;
  /** The requests of `planId`'s items in `wave`, in plan order (none for an unknown plan or wave). */
  wave(planId: string, wave: number): Promise<readonly BuildRequest[]>;
}

/**
 * The `builds` queue as the planning pass sends to it: message id = fingerprint, so a request sent twice
 * (two workers releasing the same wave, a redelivered message releasing it again) is dropped by the broker.
 */
export interface ReleaseQueue {
  send(requests: readonly BuildRequest[]): Promise<void>;
}

/** What a worker needs to send a plan's next wave when its build ended the one before (`WaveRelease`). */
export interface WaveReleasePorts {
  readonly plans: PlanWaves;
  readonly builds: ReleaseQueue;
}

/** What a build needs besides the request: its rendered sources and build options. */
export type PreparedBuild = Omit<BuildInput, 'timeLimitMs' | 'signal' | 'fingerprint' | 'component'>;

/** Fetches the Fedora sources of a component and renders its overlays into a fresh folder. */
export interface ComponentPreparer {
  /**
   * Throws `overlay.drift` (permanent) when an overlay no longer applies, `sources.*` as classified there.
   * `release()` removes the folders once the build is over.
   */
  prepare(request: BuildRequest): Promise<PreparedBuild & { release(): Promise<void> }>;
}

export interface ArtifactStore {
  /** Uploads the built files under `<component>/<fingerprint hex>/`, with SHA-256 and size as metadata. */
  upload(
    component: string,
    fingerprint: string,
    files: readonly { path: string; kind: BuildArtifact['kind'] }[],
  ): Promise<BuildArtifact[]>;
}

/** What the RPMs of a build are, read from their headers. */
export interface PackageInspector {
  inspect(
    paths: readonly string[],
  ): Promise<{ nevras: string[]; contentDigest: string; packages: InspectedPackage[] }>;
}

export interface InspectedPackage {
  readonly path: string;
  readonly name: string;
  readonly arch: string;
  readonly isSource: boolean;
  readonly nevra: string;
}

/** Which repositories each package goes to (`base/x86_64`, `base/srpms`, …). */
export interface RepositoryRouter {
  route(component: string, packages: readonly InspectedPackage[]): Map<string, InspectedPackage[]>;
}

export interface PublishQueue {
  send(requests: readonly PublishRequest[]): Promise<void>;
}

/** Sends a build request again later (a retry, or a wait for an earlier wave). */
export interface BuildScheduler {
  schedule(request: BuildRequest, at: Date, why: 'retry' | 'wait'): Promise<void>;
}

/** Where a successful build is recorded (the planner's no-op check, and `ComponentBuilds.lastSuccess`). */
export interface SuccessLedger {
  record(component: string, fingerprint: string, contentDigest: string): Promise<void>;
}

/** Starts a build elsewhere (a Container Apps Job execution); its outcome comes back on `build-results`. */
export interface BuildDispatcher {
  readonly name: string;
  dispatch(request: BuildRequest): Promise<{ executionName: string }>;
}

export interface BuildWorkerPorts {
  readonly records: BuildRecords;
  readonly state: ComponentBuildState;
  readonly progress: PlanProgress;
  readonly preparer: ComponentPreparer;
  readonly builder: Builder;
  readonly artifacts: ArtifactStore;
  readonly inspector: PackageInspector;
  readonly router: RepositoryRouter;
  readonly publish: PublishQueue;
  readonly scheduler: BuildScheduler;
  readonly successes: SuccessLedger;
  readonly events: PipelineEventPublisher;
  /** When present, builds are dispatched to it instead of built here (the cloud builder). */
  readonly dispatcher?: BuildDispatcher;
  /**
   * When present, a build that ends the earliest unfinished wave of its plan sends the next wave's requests
   * (the planning pass sends only the first). Absent: every wave must have been sent up front.
   */
  readonly release?: WaveReleasePorts;
  /** Spans, build metrics and `BuildSucceeded`/`BuildFailed`; default none. */
  readonly telemetry?: PipelineTelemetry;
}
