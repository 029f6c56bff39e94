import type { BuildRequest } from '../build';
import type { ComponentLock, PlannedItem } from '../planner';
import type { PlanSummary } from './ports';
import { buildRequestOf } from '../planning-pass/plan-record';
import type { PlanRecord } from '../planning-pass/plan-record';

/**
 * The `builds` message the plan sent for `item`, rebuilt from the stored plan: `buildRequestOf` itself when
 * the record keeps the upstreams and sent times (plans written since waves are released one at a time).
 * Older records do not keep the plan's lock; the component's current lock is its lock
 * when that lock came from one of the item's own events (a later plan moved it otherwise, and the worker
 * supersedes this request anyway), so a direct item builds the same upstream again. The item's causes (their
 * trace contexts, kept with the plan) go with it, so a re-sent build still belongs to its Fedora message's trace.
 */
export function buildRequestOfItem(
  plan: PlanSummary & Pick<PlanRecord, 'traces' | 'upstreams' | 'sentAt'>,
  item: PlannedItem,
  lock: ComponentLock | undefined,
  attempt = 1,
): BuildRequest {
  // A record that keeps its upstreams (written since waves are released) gives the very request it sent; an
  // older one is given the component's own lock as the item's upstream.
  const keepsUpstreams = plan.upstreams !== undefined || plan.sentAt !== undefined;
  const ownLock =
    lock && item.reasons.some((reason) => reason.messageId === lock.messageId) ? lock : undefined;
  const upstreams = keepsUpstreams
    ? plan.upstreams
    : ownLock && { [item.component]: { nvr: ownLock.nvr, commit: ownLock.commit } };
  return { ...buildRequestOf({ ...plan, upstreams }, item), attempt };
}

/**
 * `sha256:…:reconcile:1961500`: the original id and the number of the period (the staleness limit) the run
 * falls in. A new period gives a new id, which duplicate detection lets through; runs within one period give
 * the same id, which it drops, so stale work is sent again at most once per period even when the queue is
 * slow to deliver it.
 */
export const reconcileMessageId = (originalId: string, runAt: Date, periodMinutes: number): string =>
  `${originalId}:reconcile:${Math.floor(runAt.getTime() / (Math.max(1, periodMinutes) * 60_000))}`;
