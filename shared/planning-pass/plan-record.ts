import { createHash } from 'node:crypto';
import type { BuildRequest } from '../build/build-request';
import type { Cycle, Plan, PlannedItem, SkippedItem } from '../planner';

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
    };
  });
}
