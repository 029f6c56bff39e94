import type { BuildRequest } from '../../shared/build';
import type { UpstreamEvent } from '../../shared/fedora/upstream-event';
import { parseCloudEvent, toCloudEvent } from '../../shared/events';
import type { PipelineCloudEvent } from '../../shared/events';
import type { PipelineEvent } from '../../shared/messaging/pipeline-event';
import type { ComponentLock, ComponentState, DependencyView, PlannerModel } from '../../shared/planner';
import type {
  Arrival,
  BuildQueue,
  DependencySource,
  ModelSource,
  PendingEvents,
  PlannerLease,
  PlannerStateStore,
  PlanRecord,
  PlanStore,
  RequestedBuild,
} from '../../shared/planning-pass';
import type { PipelineEventPublisher } from '../../shared/messaging/pipeline-event';
import type { PendingEvent } from '../../shared/storage';

/** In-memory adapters of the planning ports, each recording what reached it. */
export class MemoryPending implements PendingEvents {
  readonly events = new Map<string, PendingEvent>();
  add(event: UpstreamEvent, { trace, receivedAt }: Arrival = {}): Promise<void> {
    if (!this.events.has(event.messageId))
      this.events.set(event.messageId, {
        ...event,
        ...(trace ? { trace } : {}),
        ...(receivedAt ? { receivedAt: receivedAt.toISOString() } : {}),
      });
    return Promise.resolve();
  }
  receivedSince(at: Date): Promise<boolean> {
    return Promise.resolve(this.arrivals().some((t) => t >= at.getTime()));
  }
  receivedBefore(at: Date): Promise<boolean> {
    return Promise.resolve(this.arrivals().some((t) => t < at.getTime()));
  }
  private arrivals(): number[] {
    return [...this.events.values()].flatMap((e) => (e.receivedAt ? [Date.parse(e.receivedAt)] : []));
  }
  list(limit: number): Promise<PendingEvent[]> {
    return Promise.resolve([...this.events.values()].slice(0, limit));
  }
  remove(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.events.delete(id);
    return Promise.resolve();
  }
}

export class MemoryState implements PlannerStateStore {
  readonly locks: Record<string, ComponentLock> = {};
  readonly planned = new Set<string>();
  readonly lastSuccessful: Record<string, string> = {};
  /** The component names `statesOf` was asked for, call by call: what a pass read. */
  readonly reads: string[][] = [];
  plannedOf(ids: readonly string[]): Promise<ReadonlySet<string>> {
    return Promise.resolve(new Set(ids.filter((id) => this.planned.has(id))));
  }
  statesOf(names: readonly string[]): Promise<Readonly<Record<string, ComponentState>>> {
    this.reads.push([...names]);
    const latest = new Map(this.requested.map((r) => [r.component, r.fingerprint]));
    const states: Record<string, ComponentState> = {};
    for (const name of names) {
      const lock = this.locks[name];
      const lastSuccessfulFingerprint = this.lastSuccessful[name];
      const latestRequestedFingerprint = latest.get(name);
      if (
        lock === undefined &&
        lastSuccessfulFingerprint === undefined &&
        latestRequestedFingerprint === undefined
      )
        continue;
      states[name] = {
        ...(lock ? { lock } : {}),
        ...(lastSuccessfulFingerprint ? { lastSuccessfulFingerprint } : {}),
        ...(latestRequestedFingerprint ? { latestRequestedFingerprint } : {}),
      };
    }
    return Promise.resolve(states);
  }
  readonly requested: RequestedBuild[] = [];
  save(
    locks: Readonly<Record<string, ComponentLock>>,
    ids: readonly string[],
    requested: readonly RequestedBuild[],
  ): Promise<void> {
    Object.assign(this.locks, locks);
    this.requested.push(...requested);
    for (const id of ids) this.planned.add(id);
    return Promise.resolve();
  }
}

export class MemoryPlans implements PlanStore {
  readonly records: PlanRecord[] = [];
  save(record: PlanRecord): Promise<void> {
    this.records.push(record);
    return Promise.resolve();
  }
}

/** A queue that, like the broker, drops a message whose id (the fingerprint) it has seen. */
export class MemoryBuildQueue implements BuildQueue {
  readonly sent: BuildRequest[] = [];
  private readonly ids = new Set<string>();
  failNext = false;
  send(requests: readonly BuildRequest[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('broker unavailable'));
    }
    for (const request of requests) {
      if (this.ids.has(request.fingerprint)) continue;
      this.ids.add(request.fingerprint);
      this.sent.push(request);
    }
    return Promise.resolve();
  }
}

/**
 * The `events` topic's twin. Each event is also turned into the CloudEvent the topic would carry and read back
 * as a receiver reads it (`parseCloudEvent` checks the envelope and the catalogue schema), so a producer whose
 * payload does not fit fails its own tests.
 */
export class MemoryPublisher implements PipelineEventPublisher {
  readonly published: PipelineEvent[] = [];
  readonly cloudEvents: PipelineCloudEvent[] = [];
  constructor(private readonly instance = 'memory') {}
  publish(events: readonly PipelineEvent[]): Promise<void> {
    try {
      const sent = events.map((event) =>
        parseCloudEvent(JSON.parse(JSON.stringify(toCloudEvent(event, this.instance)))),
      );
      this.published.push(...events);
      this.cloudEvents.push(...sent);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }
}

export const fixedModel = (model: PlannerModel, version = 'model-1'): ModelSource => ({
  current: () => Promise.resolve({ model, version }),
});

export const fixedDependencies = (view: DependencyView, version = 'index-1'): DependencySource => ({
  current: () => Promise.resolve({ view, version }),
});

export class MemoryLease implements PlannerLease {
  held = false;
  acquire(): Promise<{ release(): Promise<void> } | undefined> {
    if (this.held) return Promise.resolve(undefined);
    this.held = true;
    return Promise.resolve({
      release: () => {
        this.held = false;
        return Promise.resolve();
      },
    });
  }
}
