import type { UpstreamEvent } from '../fedora/upstream-event';
import { abiChanges } from './abi';
import { Candidates } from './candidates';
import type { Draft } from './candidates';
import { collectCauses } from './causes';
import type { Cause } from './causes';
import { closureOf } from './closure';
import type { Closure, ClosureRoot } from './closure';
import { ExpansionEdges } from './expansion-edges';
import { rootsReaching } from './held-roots';
import { TRANSITIVE_REASONS_KEPT, TransitiveReasons, rootsKnownToReach } from './reason-bound';
import type { RootCauses } from './reason-bound';
import { buildrootSuffix, fingerprintWith, plannedFingerprint } from './fingerprint';
import type { BuildrootSuffix } from './fingerprint';
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
  const dependents = addDependents(directs, candidates, componentOf, graph, state, policy);
  const { kept, held } = applyBudget(candidates, graph, state, policy, skipped, dependents);
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
 * (stable sorts) by priority; the budget keeps the first, and the others are `over-budget`. Their events are
 * held for the next pass, and so is the event of every changed component that reaches one of them: an item
 * keeps only a few of those in its reasons, so they are found by walking back from the held items
 * (`rootsReaching`), and each is added, with a path, to the reasons of the held item it reaches (the planning
 * pass holds the messages of the reasons of `over-budget` items). Returns the kept ids and the held message ids.
 */
function applyBudget(
  candidates: Candidates,
  graph: ReverseGraph,
  state: PlannerState,
  policy: PlannerPolicy,
  skipped: SkippedItem[],
  dependents: DependentsFound,
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
  const over = Array.from(ranked.subarray(policy.budget));
  const behind = heldRootReasons(dependents, over);
  const held = new Set<string>();
  for (const id of over) {
    const item = candidates.at(id);
    const more = behind.get(id);
    const named = new Set(item.reasons.map((reason) => reason.messageId));
    const unnamed = more?.filter((reason) => !named.has(reason.messageId)) ?? [];
    const reasons = unnamed.length > 0 ? item.reasons.concat(unnamed) : item.reasons;
    for (const reason of reasons) held.add(reason.messageId);
    skipped.push({
      component: item.component,
      reason: 'over-budget',
      detail: `budget ${policy.budget}`,
      reasons,
    });
  }
  return { kept: ranked.subarray(0, policy.budget), held };
}

/**
 * The reasons of the changed components whose change reaches a held item, each component once, by the held
 * item it reaches first (the caller leaves out what that item names already).
 */
function heldRootReasons(dependents: DependentsFound, over: readonly number[]): Map<number, Reason[]> {
  const byItem = new Map<number, Reason[]>();
  if (over.length === 0 || dependents.closure.roots.length === 0) return byItem;
  for (const found of rootsReaching(dependents.closure, dependents.expansion, over)) {
    const root = dependents.roots[found.root] as RootCauses;
    const reasons = byItem.get(found.start) ?? [];
    if (reasons.length === 0) byItem.set(found.start, reasons);
    for (const cause of root.causes)
      reasons.push({ ...cause, changedProvides: root.changedProvides, path: found.path });
  }
  return byItem;
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

/** The dependents' walk, kept for the budget's look back at the changed components behind held items. */
interface DependentsFound {
  readonly closure: Closure;
  readonly expansion: ExpansionEdges;
  /** Per root of the closure: its events' reasons and its changed provides. */
  readonly roots: readonly RootCauses[];
}

/**
 * Adds the dependents of the directly changed components, all in one walk (`closureOf`). Behind the ABI
 * gate, only a change of soname or versioned-provide names between the locked (old) and current provides
 * rebuilds a component's dependents; with no old provides recorded there is no evidence either way, and they
 * are rebuilt. A dependent takes its fingerprint's changed build and its priority from the first changed
 * component (in name order) among those it keeps as reasons; its reasons are its own events' and at most
 * `TRANSITIVE_REASONS_KEPT` of the others, each with a path, and `reasonCount` says how many there are at
 * least when some were left out.
 *
 * Why the bound keeps the wave gate's skip rule (a dependent whose path holds a failed component is skipped,
 * `shared/build-worker/wave-gate.ts`): every dependent keeps at least one path, every `from` on a kept path is
 * itself planned with kept paths of its own, and a skipped build ends `cancelled`, which the gate reads as
 * "did not land" too. So a failure skips everything whose kept paths pass through it, and everything behind
 * those, wave after wave. What the bound gives up: a failure that lies only on the path from a changed
 * component whose reason was left out (a dependent reached from more than `TRANSITIVE_REASONS_KEPT` of them)
 * does not skip that dependent. Before, a dependent of a fresh burst carried 660 paths on average, and its
 * gate read the build of every component on them.
 */
function addDependents(
  directs: readonly Direct[],
  candidates: Candidates,
  componentOf: (id: number) => PlannerComponent | undefined,
  graph: ReverseGraph,
  state: PlannerState,
  policy: PlannerPolicy,
): DependentsFound {
  const roots: ClosureRoot[] = [];
  const causes: RootCauses[] = [];
  const drafts: { readonly changedBuild: BuildrootSuffix; readonly priority: number }[] = [];
  for (const direct of directs) {
    const component = componentOf(direct.id);
    if (!component) continue;
    const { item: directItem, lock: directLock } = direct;
    const before = stateOf(state, directItem.component)?.lock?.provides;
    const changed = before === undefined ? undefined : abiChanges(before, directLock.provides ?? []);
    if (policy.abiGate && changed !== undefined && changed.length === 0) continue;
    roots.push({ id: direct.id, rebuild: component.rebuild });
    causes.push({ causes: direct.causes, changedProvides: changed });
    drafts.push({
      changedBuild: buildrootSuffix([`${directItem.component}@${directLock.nvr ?? directLock.commit ?? ''}`]),
      priority: Math.min(PRIORITY.dependent, directItem.priority),
    });
  }
  const closure = closureOf(roots, graph, componentOf, TRANSITIVE_REASONS_KEPT);
  const expansion = ExpansionEdges.of(closure);
  const reasonsOf = new TransitiveReasons(causes);
  for (const id of closure.ids) {
    const labels = closure.labelsOf(id);
    const first = labels.reduce((min, label) => Math.min(min, label.root), Number.POSITIVE_INFINITY);
    const draft = drafts[first];
    if (!draft) continue;
    const reasons = reasonsOf.of(labels);
    let count = 0;
    for (const root of rootsKnownToReach(closure, expansion, id))
      count += (causes[root] as RootCauses).causes.length;
    const leftOut = count - reasons.length;
    const existing = candidates.get(id);
    if (existing) {
      candidates.addReasons(id, reasons);
      if (leftOut > 0) existing.reasonCount = existing.reasons.length + leftOut;
      continue;
    }
    const name = graph.nameOf(id);
    const own = componentOf(id);
    const fingerprint = fingerprintWith(
      own?.fingerprint ?? '',
      stateOf(state, name)?.lock,
      draft.changedBuild,
    );
    candidates.set(id, {
      component: name,
      reasons,
      wave: 0,
      fingerprint,
      priority: draft.priority,
      ...(leftOut > 0 ? { reasonCount: reasons.length + leftOut } : {}),
    });
  }
  return { closure, expansion, roots: causes };
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
