import type { UpstreamEvent } from '../fedora/upstream-event';
import { pipelineEvent } from '../events/pipeline-event';
import type { PipelineEvent } from '../events/pipeline-event';
import { plan as decide } from '../planner';
import type { Plan, PlannerPolicy } from '../planner';
import { burstDecision } from './burst-hold';
import type { BurstPolicy } from './burst-hold';
import { heldMessageIds } from './held-events';
import { planWithStateOnDemand } from './state-on-demand';
import { buildRequestsOf, causeTracesOf, firstWaveOf, planIdOf, planRecordOf } from './plan-record';
import type { PlanRecord } from './plan-record';
import type {
  PassResult,
  Planning,
  BuildQueue,
  DependencyRefresher,
  DependencySource,
  ModelSource,
  PendingEvents,
  PlannerLease,
  PlannerStateStore,
  PlanStore,
} from './ports';
import type { PipelineEventPublisher } from '../messaging/pipeline-event';
import { noTelemetry } from '../telemetry/pipeline-telemetry';
import type { PipelineTelemetry, PlanTrigger } from '../telemetry/pipeline-telemetry';
import type { TraceContext } from '../telemetry/trace-context';
import type { PendingEvent } from '../storage/tables/pending-events';

export interface PlanningDeps {
  readonly pending: PendingEvents;
  readonly state: PlannerStateStore;
  readonly plans: PlanStore;
  readonly builds: BuildQueue;
  readonly events: PipelineEventPublisher;
  readonly model: ModelSource;
  readonly dependencies: DependencySource;
  readonly refresher?: DependencyRefresher;
  readonly lease: PlannerLease;
  readonly policy: PlannerPolicy;
  readonly clock?: () => Date;
  /** At most this many pending events are planned in one pass (the rest wait for the next). */
  readonly batchLimit?: number;
  /** Passes wait while a burst of events is arriving (`burst-hold.ts`). Default: no waiting. */
  readonly burst?: BurstPolicy;
  /** Each pass runs in a `planning pass` span, timed; a written plan is `PlanCreated`. Default: none. */
  readonly telemetry?: PipelineTelemetry;
}

/** A lease holder plans newly arrived events at most this many times before leaving them to the timer. */
const MAX_PASSES_PER_LEASE = 5;

/**
 * The plan function's domain: each event from `ingest` is kept as pending, then a planning pass decides
 * every pending event it can. A pass writes, in this order, the plan record, the first wave's `builds` messages, the
 * moved locks and planned ids, then removes the decided events and announces `plan.created` (and
 * `upstream.pinned` for each pinned component whose upstream moved). Each step is idempotent, so a pass that
 * fails anywhere is simply run again: the builds it already sent carry the same message ids (the
 * fingerprints) and the broker drops them, as the topic drops the events (their ids derive from the plan).
 */
export class PlanningService implements Planning {
  /** When this instance held its oldest event not planned since (`holdsWithoutLooking`). */
  private heldSince: number | undefined;

  constructor(private readonly deps: PlanningDeps) {}

  /** Refreshes the index when the event reports a tracked repository; otherwise keeps it and tries a pass. */
  async accept(event: UpstreamEvent): Promise<PassResult> {
    const refresher = this.deps.refresher;
    if (event.kind === 'repo-regenerated' && event.tag && refresher?.trackedTags.includes(event.tag)) {
      await refresher.refresh(`${event.topic} ${event.tag} (${event.messageId})`);
      return { ran: false, why: 'index-refreshed' };
    }
    const trace = this.telemetry.current();
    const receivedAt = this.now();
    await this.deps.pending.add(event, { ...(trace ? { trace } : {}), receivedAt });
    if (this.holdsWithoutLooking(receivedAt)) return { ran: false, why: 'burst' };
    return this.runPass('event');
  }

  /**
   * While a burst arrives, an accepted event is itself the newest arrival, so asking the table whether events
   * are still arriving is pointless: the event is held without a look-up, until the oldest event this
   * instance has held waited the maximum (then `runPass` looks). So a burst of thousands costs no query per
   * event. What this instance does not know — events another instance received, or received before a
   * restart — the timer's pass finds with its look-ups.
   */
  private holdsWithoutLooking(receivedAt: Date): boolean {
    const burst = this.deps.burst;
    if (!burst || burst.quietMs <= 0) return false;
    this.heldSince ??= receivedAt.getTime();
    return receivedAt.getTime() - this.heldSince <= burst.maxWaitMs;
  }

  /**
   * Planning passes over the pending events, unless another instance is running them or a burst is still
   * arriving (then the pass after it, the timer's or a later event's, plans the whole burst at once). Events
   * that arrive during a pass (their own accept found the lease taken) are planned by another pass right
   * away, unless they are a burst; events a pass held (settling, over the budget) are left to the timer.
   */
  async runPass(trigger: PlanTrigger = 'timer'): Promise<PassResult> {
    if (await this.burstArriving()) return { ran: false, why: 'burst' };
    const lease = await this.deps.lease.acquire();
    if (!lease) return { ran: false, why: 'busy' };
    try {
      const seen = new Set<string>();
      let result: PassResult = { ran: false, why: 'nothing-pending' };
      for (let pass = 0; pass < MAX_PASSES_PER_LEASE; pass++) {
        if (pass > 0 && (await this.burstArriving())) break;
        const events = await this.deps.pending.list(this.deps.batchLimit ?? 10_000);
        if (events.every((e) => seen.has(e.messageId))) break;
        for (const event of events) seen.add(event.messageId);
        result = await this.timedPass(events, trigger);
        if (result.ran) this.heldSince = undefined;
      }
      return result;
    } finally {
      await lease.release();
    }
  }

  private now(): Date {
    return (this.deps.clock ?? (() => new Date()))();
  }

  private async burstArriving(): Promise<boolean> {
    const decision = await burstDecision(this.deps.burst, this.deps.pending, this.now());
    return decision.kind === 'hold';
  }

  private get telemetry(): PipelineTelemetry {
    return this.deps.telemetry ?? noTelemetry;
  }

  /** One pass in its span, with its duration by outcome and, when it wrote a plan, `PlanCreated`. */
  private timedPass(events: readonly PendingEvent[], trigger: PlanTrigger): Promise<PassResult> {
    const attributes = { 'azl.plan.trigger': trigger, 'azl.plan.events': events.length };
    return this.telemetry.span('planning pass', attributes, async (span) => {
      const started = Date.now();
      let result: PassResult;
      try {
        result = await this.passOver(events);
      } catch (error) {
        this.telemetry.planningPassFinished('failed', Date.now() - started);
        throw error;
      }
      const wrote = result.ran && (result.record.planned.length > 0 || result.record.messageIds.length > 0);
      this.telemetry.planningPassFinished(wrote ? 'planned' : 'nothing-decided', Date.now() - started);
      if (result.ran) {
        const { planId, planned } = result.record;
        span.annotate({
          'azl.plan.id': planId,
          'azl.plan.items': planned.length,
          'azl.plan.held': result.held,
        });
        if (wrote) {
          this.telemetry.planCreated({ planId, trigger, components: planned.map((p) => p.component) });
        }
      }
      return result;
    });
  }

  private async passOver(events: readonly PendingEvent[]): Promise<PassResult> {
    if (events.length === 0) return { ran: false, why: 'nothing-pending' };
    const now = this.now();
    const [{ model, version: modelVersion }, { view, version: indexVersion }, plannedIds] = await Promise.all(
      [
        this.deps.model.current(),
        this.deps.dependencies.current(),
        this.deps.state.plannedOf(events.map((e) => e.messageId)),
      ],
    );
    const { plan: result } = await planWithStateOnDemand(
      (state) => decide(events, model, view, state, this.deps.policy, now),
      plannedIds,
      (components) => this.deps.state.statesOf(components),
    );
    const held = heldMessageIds(result);
    const decided = events.map((e) => e.messageId).filter((id) => !held.has(id));
    const record = planRecordOf(
      result,
      {
        planId: planIdOf(now, decided),
        createdAt: now.toISOString(),
        messageIds: decided,
        modelVersion,
        indexVersion,
        traces: causeTracesOf(result.planned, tracesOf(events)),
      },
      new Map(events.map((e) => [e.messageId, e.time])),
    );
    if (decided.length === 0 && result.planned.length === 0) return { ran: true, record, held: held.size };
    await this.deps.plans.save(record);
    // Every item is requested (the newest request per component supersedes older ones), but only the first
    // wave is sent: the build worker sends each later wave when the one before it ends (`WaveRelease`).
    const requests = buildRequestsOf(record);
    if (requests.length > 0) await this.deps.builds.send(firstWaveOf(requests));
    await this.deps.state.save(savedLocks(result), decided, requests);
    await this.deps.pending.remove(decided);
    await this.deps.events.publish([planCreated(record, result), ...upstreamPinned(record, result)]);
    return { ran: true, record, held: held.size };
  }
}

/** The locks to save: all the plan moved but those whose event is held (`locksHeld`). */
function savedLocks(result: Plan): Plan['locks'] {
  if (!result.locksHeld) return result.locks;
  const held = new Set(result.locksHeld);
  return Object.fromEntries(Object.entries(result.locks).filter(([component]) => !held.has(component)));
}

function tracesOf(events: readonly PendingEvent[]): Map<string, TraceContext> {
  const traces = new Map<string, TraceContext>();
  for (const event of events) if (event.trace) traces.set(event.messageId, event.trace);
  return traces;
}

function planCreated(record: PlanRecord, result: Plan): PipelineEvent {
  return pipelineEvent('plan.created', {
    identity: record.planId,
    subject: record.planId,
    time: record.createdAt,
    data: {
      planId: record.planId,
      messages: record.messageIds.length,
      planned: result.planned.map((p) => ({ component: p.component, wave: p.wave, priority: p.priority })),
      skipped: result.skipped.length,
      cycles: result.cycles.length,
    },
  });
}

/**
 * `upstream.pinned` for each component the plan skipped because it is pinned: upstream moved and the pin held
 * it back. One per component and upstream message, so a re-run pass announces the same ids.
 */
function upstreamPinned(record: PlanRecord, result: Plan): PipelineEvent[] {
  const events: PipelineEvent[] = [];
  for (const item of result.skipped) {
    if (item.reason !== 'pinned' || item.component === undefined || item.pin === undefined) continue;
    const newest = item.reasons?.[item.reasons.length - 1];
    if (!newest) continue;
    events.push(
      pipelineEvent('upstream.pinned', {
        identity: `${item.component}:${newest.messageId}`,
        subject: item.component,
        time: record.createdAt,
        data: {
          component: item.component,
          pin: item.pin,
          ...(item.upstreamNvr ? { upstreamNvr: item.upstreamNvr } : {}),
          ...(newest.commit ? { upstreamCommit: newest.commit } : {}),
          messageId: newest.messageId,
          planId: record.planId,
        },
      }),
    );
  }
  return events;
}
