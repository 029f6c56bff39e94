import type { UpstreamEvent } from '../fedora/upstream-event';
import { abiChanges } from './abi';
import { Candidates } from './candidates';
import type { Draft } from './candidates';
import { collectCauses } from './causes';
import type { Cause } from './causes';
import { dependentsOf } from './dependents';
import { buildrootSuffix, fingerprintWith, plannedFingerprint } from './fingerprint';
import { PRIORITY } from './policy';
import type { PlannerPolicy } from './policy';
import { componentsById } from './model-ids';
import { compareLocale, sortIdsByName, stableByKey } from './name-order';
import type { DependencyView } from './ports';
import { reverseGraphOf } from './reverse-graph';
import type { ReverseGraph } from './reverse-graph';
import type {
  ComponentLock,
  ComponentState,
  Plan,
  PlannerComponent,
  PlannerModel,
  PlannerState,
  PlannedItem,
  Reason,
  SkippedItem,
} from './types';
import { orderWaves } from './waves';

/**
 * A directly changed component: its graph id (`reverseGraphOf`), its item, the lock it moves to and the
 * reasons of its own events (its item may gain more, as the dependent of another direct).
 */
interface Direct {
  readonly id: number;
  readonly item: Draft;
  readonly lock: ComponentLock;
  readonly causes: readonly Reason[];
}

/**
 * Decides what to rebuild for a batch of upstream events. Pure: same inputs, same plan. The one decision
 * order, for the live planning pass and `azl-rebuilder plan` alike:
 *  1. duplicates and relevance (`collectCauses`): a repeated or already planned message, an event that does
 *     not trigger, a package nothing follows;
 *  2. pins: a pinned component is reported `pinned` whatever the debounce window, since waiting cannot
 *     change that answer;
 *  3. debounce: a component whose newest cause is younger than `debounceMs` before `now` is held
 *     (`settling`); `debounceMs` 0 switches the window off;
 *  4. the lock move and the no-op check (`unchanged`);
 *  5. dependents per rebuild policy behind the ABI gate, the concurrency budget by priority, then waves over
 *     BuildRequires.
 * Only the answers that can change with time (settling, over the budget) hold a message for a later pass.
 */
export function plan(
  events: readonly UpstreamEvent[],
  model: PlannerModel,
  deps: DependencyView,
  state: PlannerState,
  policy: PlannerPolicy,
  now: Date,
): Plan {
  const { byComponent, skipped } = collectCauses(events, model, state, policy);
  const graph = reverseGraphOf(deps);
  const componentOf = componentsById(model, graph);
  const candidates = new Candidates(graph.size);
  const directs: Direct[] = [];
  const settling = settlingCheck(policy, now);
  for (const [name, causes] of [...byComponent].sort(([a], [b]) => compareLocale(a, b))) {
    const latest = causes[causes.length - 1] as Cause;
    const component = latest.component;
    const reasons = causes.map(reasonOf);
    if (component.pin !== undefined) {
      const detail = `pinned to ${component.pin}; upstream is now ${latest.nvr ?? latest.event.commit ?? '?'}`;
      skipped.push({
        component: name,
        reason: 'pinned',
        detail,
        upstreamNvr: latest.nvr,
        pin: component.pin,
        reasons,
      });
      continue;
    }
    if (settling(latest)) {
      skipped.push({
        component: name,
        reason: 'settling',
        detail: `newest event is inside the ${policy.debounceMs / 1000}-second debounce window`,
        reasons,
      });
      continue;
    }
    const lock: ComponentLock = {
      nvr: latest.nvr,
      commit: latest.event.commit,
      messageId: latest.event.messageId,
      provides: [...deps.providesOf(name)],
    };
    const fingerprint = plannedFingerprint(component.fingerprint, lock);
    if (fingerprint === stateOf(state, name)?.lastSuccessfulFingerprint) {
      skipped.push({
        component: name,
        reason: 'unchanged',
        detail: 'same inputs as the last successful build',
        reasons,
      });
      continue;
    }
    const priority = causes.every((c) => c.massRebuild) ? PRIORITY.massRebuild : PRIORITY.direct;
    const id = graph.idOf(name);
    const item: Draft = { component: name, reasons, wave: 0, fingerprint, priority };
    candidates.set(id, item);
    directs.push({ id, item, lock, causes: reasons });
  }
  for (const direct of directs) addDependents(direct, candidates, componentOf, graph, state, policy);
  const { kept, held } = applyBudget(candidates, graph, state, policy, skipped);
  const { waves, cycles } = orderWaves(kept, graph);
  const { locks, locksHeld } = lockMoves(directs, kept, held);
  // Stable: within a wave, the order by priority then name stays.
  const byWave = stableByKey(kept, (id) => waves[id] as number);
  const planned: PlannedItem[] = [];
  for (let i = 0; i < byWave.length; i++) {
    const id = byWave[i] as number;
    const item = candidates.at(id);
    item.wave = waves[id] as number;
    planned.push(item);
  }
  return { planned, skipped, locks, ...(locksHeld.length > 0 ? { locksHeld } : {}), cycles };
}

/**
 * The concurrency budget. A candidate an earlier plan already sent at the same fingerprint is not planned
 * again (`already-requested`): that is how a plan over the budget finishes over several passes without
 * building anything twice, since each pass re-plans the held events. The rest are ranked by name, then
 * (stable sorts) by priority; the budget keeps the first, and the others are `over-budget` (their events are
 * held for the next pass). Returns the kept ids and the held message ids.
 */
function applyBudget(
  candidates: Candidates,
  graph: ReverseGraph,
  state: PlannerState,
  policy: PlannerPolicy,
  skipped: SkippedItem[],
): { kept: Uint32Array; held: Set<string> } {
  const fresh: number[] = [];
  for (const id of candidates.ids) {
    const item = candidates.at(id);
    if (item.fingerprint !== stateOf(state, item.component)?.latestRequestedFingerprint) {
      fresh.push(id);
      continue;
    }
    skipped.push({
      component: item.component,
      reason: 'already-requested',
      detail: `${item.fingerprint} was sent to builds by an earlier plan`,
      reasons: item.reasons,
    });
  }
  const byName = sortIdsByName(graph, 'locale', fresh);
  const ranked = stableByKey(byName, (id) => -candidates.at(id).priority);
  const held = new Set<string>();
  for (const over of ranked.subarray(policy.budget)) {
    const item = candidates.at(over);
    for (const reason of item.reasons) held.add(reason.messageId);
    skipped.push({
      component: item.component,
      reason: 'over-budget',
      detail: `budget ${policy.budget}`,
      reasons: item.reasons,
    });
  }
  return { kept: ranked.subarray(0, policy.budget), held };
}

/**
 * The locks of the directs the plan builds (their builds' upstream) or decides (already requested). A direct
 * whose event is held (some of its dependents were over the budget) is in `locksHeld`: its lock is not saved
 * yet, so the next pass asks the ABI gate the same question against the same baseline and plans the rest of
 * its dependents, instead of finding the provides unchanged and dropping them.
 */
function lockMoves(
  directs: readonly Direct[],
  kept: ArrayLike<number>,
  held: ReadonlySet<string>,
): { locks: Record<string, ComponentLock>; locksHeld: string[] } {
  const isKept = new Set(Array.from(kept));
  const locks: Record<string, ComponentLock> = {};
  const locksHeld: string[] = [];
  for (const direct of directs) {
    const isHeld = direct.causes.some((reason) => held.has(reason.messageId));
    if (isHeld && !isKept.has(direct.id)) continue;
    locks[direct.item.component] = direct.lock;
    if (isHeld) locksHeld.push(direct.item.component);
  }
  return { locks, locksHeld };
}

/** Whether a component whose newest cause is `latest` is still settling at `now`; never with no window. */
function settlingCheck(policy: PlannerPolicy, now: Date): (latest: Cause) => boolean {
  if (policy.debounceMs <= 0) return () => false;
  const settleFrom = now.getTime() - policy.debounceMs;
  return (latest) => Date.parse(latest.event.time) > settleFrom;
}

/** A component's state; `hasOwn` first, so a name without state is no slow miss up the prototype chain. */
function stateOf(state: PlannerState, name: string): ComponentState | undefined {
  return Object.hasOwn(state.components, name) ? state.components[name] : undefined;
}

/**
 * Adds the dependents of a directly changed component. Behind the ABI gate, only a change of soname or
 * versioned-provide names between the locked (old) and current provides rebuilds them; with no old provides
 * recorded there is no evidence either way, and the dependents are rebuilt.
 */
function addDependents(
  direct: Direct,
  candidates: Candidates,
  componentOf: (id: number) => PlannerComponent | undefined,
  graph: ReverseGraph,
  state: PlannerState,
  policy: PlannerPolicy,
): void {
  const component = componentOf(direct.id);
  if (!component) return;
  const { item: directItem, lock: directLock } = direct;
  const before = stateOf(state, directItem.component)?.lock?.provides;
  const changed = before === undefined ? undefined : abiChanges(before, directLock.provides ?? []);
  if (policy.abiGate && changed !== undefined && changed.length === 0) return;
  const changedBuild = buildrootSuffix([
    `${directItem.component}@${directLock.nvr ?? directLock.commit ?? ''}`,
  ]);
  const priority = Math.min(PRIORITY.dependent, directItem.priority);
  const { ids, group, paths } = dependentsOf(direct.id, component.rebuild, graph, componentOf);
  // The dependents behind one path have the same reasons: one array per path, shared by its dependents.
  const reasonsByPath = new Array<readonly Reason[] | undefined>(paths.length);
  const reasonsOf = (path: number): readonly Reason[] =>
    (reasonsByPath[path] ??= direct.causes.map((r): Reason => ({
      ...r,
      changedProvides: changed,
      path: paths[path],
    })));
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    const reasons = reasonsOf(group[i] as number);
    if (candidates.get(id)) {
      candidates.addReasons(id, reasons);
      continue;
    }
    const name = graph.nameOf(id);
    const own = componentOf(id);
    const fingerprint = fingerprintWith(own?.fingerprint ?? '', stateOf(state, name)?.lock, changedBuild);
    candidates.set(id, { component: name, reasons, wave: 0, fingerprint, priority });
  }
}

function reasonOf(cause: Cause): Reason {
  return {
    messageId: cause.event.messageId,
    kind: cause.event.kind,
    package: cause.package,
    nvr: cause.nvr,
    commit: cause.event.commit,
    component: cause.component.name,
  };
}
