import type { UpstreamEvent } from '../fedora/upstream-event';
import type { PlannerPolicy } from './policy';
import { relevance } from './relevance';
import type { PlannerModel, PlannerComponent, PlannerState, SkippedItem } from './types';

/** One relevant event for one component. */
export interface Cause {
  readonly event: UpstreamEvent;
  readonly package: string;
  readonly component: PlannerComponent;
  readonly nvr: string | undefined;
  readonly massRebuild: boolean;
}

/**
 * Drops duplicates, sorts the rest (time, then message id), and matches each package of each event to the
 * components that follow it. Returns the relevant causes grouped by component, and a skipped entry for
 * everything else. Two kinds of duplicate, told apart in the detail: a message an earlier plan already
 * planned, and a message repeated in this batch, where the first copy in input order is the one decided and
 * each later copy is reported as a duplicate of it (in input order, so a caller can name both copies).
 */
export function collectCauses(
  events: readonly UpstreamEvent[],
  model: PlannerModel,
  state: PlannerState,
  policy: PlannerPolicy,
): { byComponent: Map<string, Cause[]>; skipped: SkippedItem[] } {
  const followers = followersOf(model);
  const { firsts, skipped } = withoutDuplicates(events, state);
  const sorted = firsts.sort(
    (a, b) => a.time.localeCompare(b.time) || a.messageId.localeCompare(b.messageId),
  );
  const byComponent = new Map<string, Cause[]>();
  for (const event of sorted) {
    const { messageId } = event;
    for (const pkg of event.packages) {
      const components = followers.get(pkg) ?? [];
      if (components.length === 0) {
        skipped.push({
          messageId,
          package: pkg,
          reason: 'unknown-package',
          detail: 'no component follows it',
        });
      }
      for (const component of components) {
        const verdict = relevance(event, component, policy);
        if (!verdict.relevant) {
          skipped.push({
            messageId,
            package: pkg,
            component: component.name,
            reason: verdict.code,
            detail: verdict.detail,
          });
          continue;
        }
        const nvr = event.builds.find((b) => b.name === pkg)?.nvr;
        const cause: Cause = { event, package: pkg, component, nvr, massRebuild: verdict.massRebuild };
        const list = byComponent.get(component.name) ?? [];
        if (list.length === 0) byComponent.set(component.name, list);
        list.push(cause);
      }
    }
  }
  return { byComponent, skipped };
}

/** The first copy of each message not planned before, in input order; a `duplicate` skip for the rest. */
function withoutDuplicates(
  events: readonly UpstreamEvent[],
  state: PlannerState,
): { firsts: UpstreamEvent[]; skipped: SkippedItem[] } {
  const seen = new Set<string>();
  const firsts: UpstreamEvent[] = [];
  const skipped: SkippedItem[] = [];
  for (const event of events) {
    const { messageId } = event;
    if (state.plannedMessageIds.has(messageId)) {
      skipped.push({ messageId, reason: 'duplicate', detail: 'already planned by an earlier plan' });
    } else if (seen.has(messageId)) {
      skipped.push({
        messageId,
        reason: 'duplicate',
        detail: `repeats message ${messageId}, whose first copy in this batch is the one decided`,
      });
    } else {
      seen.add(messageId);
      firsts.push(event);
    }
  }
  return { firsts, skipped };
}

const followerIndex = new WeakMap<PlannerModel, Map<string, PlannerComponent[]>>();

/** Upstream package → the components following it; computed once per model (a model is not changed). */
function followersOf(model: PlannerModel): Map<string, PlannerComponent[]> {
  let followers = followerIndex.get(model);
  if (!followers) {
    followers = new Map();
    for (const component of model.components.values()) {
      if (component.upstreamName === undefined) continue;
      const list = followers.get(component.upstreamName);
      if (list) list.push(component);
      else followers.set(component.upstreamName, [component]);
    }
    followerIndex.set(model, followers);
  }
  return followers;
}
