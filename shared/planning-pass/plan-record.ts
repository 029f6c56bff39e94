import { createHash } from 'node:crypto';
import type { BuildRequest } from '../build/build-request';
import type { Cycle, Plan, PlannedItem, SkippedItem } from '../planner';
import { MAX_CAUSE_TRACES } from '../telemetry/trace-context';
import type { TraceContext } from '../telemetry/trace-context';

/** A stored plan: what one planning pass decided, and from which inputs. */
export interface PlanRecord {
  readonly planId: string;
  readonly createdAt: string;
  /** The messages this pass decided (planned or skipped for good); held ones are not listed. */
  readonly messageIds: readonly string[];
  readonly modelVersion: string;
  readonly indexVersion: string;
  readonly planned: readonly PlannedItem[];
  readonly skipped: readonly SkippedItem[];
  readonly cycles: readonly Cycle[];
  /**
   * Per planned component, the trace contexts of the events that caused it (at most `MAX_CAUSE_TRACES`):
   * its plan item row keeps them and its build request carries them. Absent on plans written before.
   */
  readonly traces?: Readonly<Record<string, readonly TraceContext[]>>;
  /**
   * The upstream (build or commit) each planned component that moved a lock builds: what its build request's
   * `upstream` says. Kept so that the requests of later waves, sent when the wave before them ends
   * (`buildRequestOf`), are the ones the pass would have sent. Absent on plans written before.
   */
  readonly upstreams?: Readonly<Record<string, PlannedUpstream>>;
  /** When Fedora sent each event of the pass (by message id): a request's `upstreamSentAt`. Absent before. */
  readonly sentAt?: Readonly<Record<string, string>>;
}

export interface PlannedUpstream {
  readonly nvr?: string;
  readonly commit?: string;
}

/**
 * `plan-20261201T214000Z-1a2b3c4d`: sortable by time, and the same for the same pass inputs (time and
 * messages), so a pass that is retried after a failure writes the same plan again instead of a second one.
 */
export function planIdOf(now: Date, messageIds: readonly string[]): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const digest = createHash('sha256')
    .update([...messageIds].sort().join('\n'))
    .digest('hex');
  return `plan-${stamp}-${digest.slice(0, 8)}`;
}

/**
 * The record of `plan`, with the upstream of each planned component that has a lock and the sent time of
 * each event among `sentAt` that a planned item names (what its build request needs later).
 */
export function planRecordOf(
  plan: Plan,
  meta: Omit<PlanRecord, 'planned' | 'skipped' | 'cycles' | 'upstreams' | 'sentAt'>,
  sentAt: ReadonlyMap<string, string> = new Map(),
): PlanRecord {
  const upstreams: Record<string, PlannedUpstream> = {};
  const sent: Record<string, string> = {};
  for (const item of plan.planned) {
    const lock = plan.locks[item.component];
    if (lock) upstreams[item.component] = upstreamOf(lock);
    for (const reason of item.reasons) {
      const time = sentAt.get(reason.messageId);
      if (time !== undefined) sent[reason.messageId] = time;
    }
  }
  return {
    ...meta,
    planned: plan.planned,
    skipped: plan.skipped,
    cycles: plan.cycles,
    ...(Object.keys(upstreams).length > 0 ? { upstreams } : {}),
    ...(Object.keys(sent).length > 0 ? { sentAt: sent } : {}),
  };
}

const upstreamOf = (lock: PlannedUpstream): PlannedUpstream => ({
  ...(lock.nvr === undefined ? {} : { nvr: lock.nvr }),
  ...(lock.commit === undefined ? {} : { commit: lock.commit }),
});

/**
 * The trace contexts of each planned item's causes: the distinct contexts of the events among its reasons
 * (by message id), in reason order, the first `MAX_CAUSE_TRACES`. Items with none are left out.
 */
export function causeTracesOf(
  planned: readonly PlannedItem[],
  traceOf: ReadonlyMap<string, TraceContext>,
): Record<string, TraceContext[]> {
  const traces: Record<string, TraceContext[]> = {};
  for (const item of planned) {
    const seen = new Set<string>();
    const causes: TraceContext[] = [];
    for (const reason of item.reasons) {
      const trace = traceOf.get(reason.messageId);
      if (!trace || seen.has(trace.traceparent)) continue;
      seen.add(trace.traceparent);
      causes.push(trace);
      if (causes.length === MAX_CAUSE_TRACES) break;
    }
    if (causes.length > 0) traces[item.component] = causes;
  }
  return traces;
}

/**
 * The `builds` message of one planned item, from the plan record alone: the upstream its lock moved it to,
 * the earliest time Fedora sent one of its events (the latency metric) and its causes' trace contexts. The
 * one place a plan item becomes a request: the planning pass sends the first wave with it, and the build
 * worker the later ones (`WaveRelease`), from the stored record.
 */
export function buildRequestOf(
  record: Pick<PlanRecord, 'planId' | 'createdAt' | 'upstreams' | 'sentAt' | 'traces'>,
  item: PlannedItem,
): BuildRequest {
  const upstream = record.upstreams?.[item.component];
  const earliest = item.reasons
    .map((reason) => record.sentAt?.[reason.messageId])
    .filter((time): time is string => time !== undefined)
    .sort((a, b) => Date.parse(a) - Date.parse(b))[0];
  const causes = record.traces?.[item.component];
  return {
    planId: record.planId,
    component: item.component,
    fingerprint: item.fingerprint,
    wave: item.wave,
    priority: item.priority,
    ...(upstream ? { upstream: { nvr: upstream.nvr, commit: upstream.commit } } : {}),
    reasons: [...item.reasons],
    requestedAt: record.createdAt,
    attempt: 1,
    ...(earliest ? { upstreamSentAt: earliest } : {}),
    ...(causes && causes.length > 0 ? { causes: [...causes] } : {}),
  };
}

/** One `builds` message per planned item (`buildRequestOf`), in plan order. */
export function buildRequestsOf(record: PlanRecord): BuildRequest[] {
  return record.planned.map((item) => buildRequestOf(record, item));
}

/**
 * The requests the planning pass sends: those of the plan's first wave. Later waves are sent by the build
 * worker when the wave before them ends (`WaveRelease`), so no build waits in the queue for its turn.
 */
export function firstWaveOf(requests: readonly BuildRequest[]): BuildRequest[] {
  const first = Math.min(...requests.map((r) => r.wave));
  return requests.filter((r) => r.wave === first);
}
