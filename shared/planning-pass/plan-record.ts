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

export function planRecordOf(
  plan: Plan,
  meta: Omit<PlanRecord, 'planned' | 'skipped' | 'cycles'>,
): PlanRecord {
  return { ...meta, planned: plan.planned, skipped: plan.skipped, cycles: plan.cycles };
}

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
 * One `builds` message per planned item; the lock (when the item moved one) says what upstream to build.
 * `sentAt` gives the time Fedora sent each event of the pass (by message id), for the latency metric.
 */
export function buildRequestsOf(
  record: PlanRecord,
  plan: Plan,
  sentAt: ReadonlyMap<string, string> = new Map(),
): BuildRequest[] {
  return record.planned.map((item) => {
    const lock = plan.locks[item.component];
    const earliest = item.reasons
      .map((reason) => sentAt.get(reason.messageId))
      .filter((time): time is string => time !== undefined)
      .sort((a, b) => Date.parse(a) - Date.parse(b))[0];
    const causes = record.traces?.[item.component];
    return {
      planId: record.planId,
      component: item.component,
      fingerprint: item.fingerprint,
      wave: item.wave,
      priority: item.priority,
      ...(lock ? { upstream: { nvr: lock.nvr, commit: lock.commit } } : {}),
      reasons: [...item.reasons],
      requestedAt: record.createdAt,
      attempt: 1,
      ...(earliest ? { upstreamSentAt: earliest } : {}),
      ...(causes && causes.length > 0 ? { causes: [...causes] } : {}),
    };
  });
}
