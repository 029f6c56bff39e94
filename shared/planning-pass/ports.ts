import type { BuildRequest } from '../build/build-request';
import type { UpstreamEvent } from '../fedora/upstream-event';
import type { ComponentLock, ComponentState, DependencyView, PlannerModel } from '../planner';
import type { PlanRecord } from './plan-record';
import type { PendingEvent } from '../storage/tables/pending-events';
import type { TraceContext } from '../telemetry/trace-context';
import type { PlanTrigger } from '../telemetry/pipeline-telemetry';
import type { PendingArrivals } from './burst-hold';

/**
 * The ports of the planning service. Adapters (`infra/planning-pass/`) keep them in Tables, Blob Storage and
 * Service Bus; tests use in-memory fakes. Every write is idempotent, so a pass that fails part-way can run
 * again from the start.
 */

/** How an event reached the planning service. */
export interface Arrival {
  /** The trace context it arrived in: its plan item keeps it, so the build it causes continues that trace. */
  readonly trace?: TraceContext;
  /** When the pipeline received it (what burst coalescing waits on); absent, the event counts as old. */
  readonly receivedAt?: Date;
}

/**
 * Events received from `ingest` and not yet decided: held while a burst is arriving, settling or over the
 * budget. The arrival look-ups are bounded queries (at most one matching row), never a listing.
 */
export interface PendingEvents extends PendingArrivals {
  /** Keeps `event` until `remove`, with how it arrived; keeping it again is a no-op. */
  add(event: UpstreamEvent, arrival?: Arrival): Promise<void>;
  /** The oldest `limit` pending events. */
  list(limit: number): Promise<PendingEvent[]>;
  remove(messageIds: readonly string[]): Promise<void>;
}

/** A build the planner asked for: the newest one per component supersedes older ones still queued. */
export interface RequestedBuild {
  readonly component: string;
  readonly fingerprint: string;
  readonly requestedAt: string;
}

/** Locks, last successful fingerprints and the message ids already planned. */
export interface PlannerStateStore {
  /** Which of `messageIds` an earlier pass planned. */
  plannedOf(messageIds: readonly string[]): Promise<ReadonlySet<string>>;
  /**
   * The state of exactly these components, by point reads: a pass reads what it touches, never the whole
   * table (a pass costs O(its own work)). A component without state is left out of the answer.
   */
  statesOf(components: readonly string[]): Promise<Readonly<Record<string, ComponentState>>>;
  /** Moves the locks, records the planned message ids and the newest requested build per component. */
  save(
    locks: Readonly<Record<string, ComponentLock>>,
    plannedMessageIds: readonly string[],
    requested: readonly RequestedBuild[],
  ): Promise<void>;
}

export interface PlanStore {
  save(record: PlanRecord): Promise<void>;
}

/** The `builds` queue: session id = component, message id = fingerprint. */
export interface BuildQueue {
  send(requests: readonly BuildRequest[]): Promise<void>;
}

/** The distribution model as it is now, with a version that changes when the tree does. */
export interface ModelSource {
  current(): Promise<{ readonly model: PlannerModel; readonly version: string }>;
}

/** The dependency index as it is now; `version` is `none` when there is no index yet. */
export interface DependencySource {
  current(): Promise<{ readonly view: DependencyView; readonly version: string }>;
}

/** Rebuilds the dependency index from Fedora's repodata (on `buildsys.repo.done` for a tracked tag). */
export interface DependencyRefresher {
  /** The Koji tags whose regenerated repository should refresh the index. */
  readonly trackedTags: readonly string[];
  refresh(reason: string): Promise<void>;
}

/** One planning pass at a time, across instances. `acquire` resolves `undefined` when another holds it. */
export interface PlannerLease {
  acquire(): Promise<{ release(): Promise<void> } | undefined>;
}

/** What a planning pass did: nothing (and why), or the plan it recorded and how many events it held back. */
export type PassResult =
  | {
      readonly ran: false;
      /** `burst`: events are still arriving; the pass waits for them (`BurstPolicy`). */
      readonly why: 'busy' | 'nothing-pending' | 'not-configured' | 'index-refreshed' | 'burst';
    }
  | { readonly ran: true; readonly record: PlanRecord; readonly held: number };

/** What the plan function calls: the full `PlanningService`, or `holdOnly` when planning is not configured. */
export interface Planning {
  accept(event: UpstreamEvent): Promise<PassResult>;
  /** `trigger`: what asked for the pass (the plan function's event, or the timer; the default). */
  runPass(trigger?: PlanTrigger): Promise<PassResult>;
}
