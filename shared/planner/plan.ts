import type { UpstreamEvent } from '../fedora/upstream-event';
import { abiChanges } from './abi';
import { collectCauses } from './causes';
import type { Cause } from './causes';
import { dependentsOf } from './dependents';
import { plannedFingerprint } from './fingerprint';
import { PRIORITY } from './policy';
import type { PlannerPolicy } from './policy';
import type { DependencyView } from './ports';
import type { ComponentLock, Plan, PlannerModel, PlannerState, PlannedItem, Reason } from './types';
import { orderWaves } from './waves';

type Candidate = Omit<PlannedItem, 'wave'> & { reasons: Reason[]; lock?: ComponentLock };

/**
 * Decides what to rebuild for a batch of upstream events. Pure: same inputs, same plan. Rules, in order:
 * relevance and duplicates (`collectCauses`), debounce (a component whose newest cause is younger than
 * `debounceMs` is held), pins, the lock move and the no-op check, dependents per rebuild policy behind the
 * ABI gate, the concurrency budget by priority, then waves over BuildRequires.
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
  const candidates = new Map<string, Candidate>();
  const settleFrom = now.getTime() - policy.debounceMs;
  for (const [name, causes] of [...byComponent].sort(([a], [b]) => a.localeCompare(b))) {
    const latest = causes[causes.length - 1] as Cause;
    const component = latest.component;
    const reasons = causes.map(reasonOf);
    if (Date.parse(latest.event.time) > settleFrom) {
      skipped.push({
        component: name,
        reason: 'settling',
        detail: 'newest event is inside the debounce window',
        reasons,
      });
      continue;
    }
    if (component.pin !== undefined) {
      const detail = `pinned to ${component.pin}; upstream is now ${latest.nvr ?? latest.event.commit ?? '?'}`;
      skipped.push({ component: name, reason: 'pinned', detail, upstreamNvr: latest.nvr, reasons });
      continue;
    }
    const lock: ComponentLock = {
      nvr: latest.nvr,
      commit: latest.event.commit,
      messageId: latest.event.messageId,
      provides: [...deps.providesOf(name)],
    };
    const fingerprint = plannedFingerprint(component.fingerprint, lock);
    if (fingerprint === state.components[name]?.lastSuccessfulFingerprint) {
      skipped.push({
        component: name,
        reason: 'unchanged',
        detail: 'same inputs as the last successful build',
        reasons,
      });
      continue;
    }
    const priority = causes.every((c) => c.massRebuild) ? PRIORITY.massRebuild : PRIORITY.direct;
    candidates.set(name, { component: name, reasons, fingerprint, priority, lock });
  }
  for (const direct of [...candidates.values()])
    addDependents(direct, candidates, model, deps, state, policy);
  const ranked = [...candidates.values()].sort(
    (a, b) => b.priority - a.priority || a.component.localeCompare(b.component),
  );
  const kept = ranked.slice(0, policy.budget);
  for (const over of ranked.slice(policy.budget)) {
    skipped.push({
      component: over.component,
      reason: 'over-budget',
      detail: `budget ${policy.budget}`,
      reasons: over.reasons,
    });
  }
  const { waves, cycles } = orderWaves(
    kept.map((c) => c.component),
    deps,
  );
  const locks: Record<string, ComponentLock> = {};
  for (const c of kept) if (c.lock) locks[c.component] = c.lock;
  const planned: PlannedItem[] = kept
    .map(({ component, reasons, fingerprint, priority }) => ({
      component,
      reasons,
      wave: waves.get(component) ?? 0,
      fingerprint,
      priority,
    }))
    .sort((a, b) => a.wave - b.wave || b.priority - a.priority || a.component.localeCompare(b.component));
  return { planned, skipped, locks, cycles };
}

/**
 * Adds the dependents of a directly changed component. Behind the ABI gate, only a change of soname or
 * versioned-provide names between the locked (old) and current provides rebuilds them; with no old provides
 * recorded there is no evidence either way, and the dependents are rebuilt.
 */
function addDependents(
  direct: Candidate,
  candidates: Map<string, Candidate>,
  model: PlannerModel,
  deps: DependencyView,
  state: PlannerState,
  policy: PlannerPolicy,
): void {
  const component = model.components.get(direct.component);
  if (!component || !direct.lock) return;
  const before = state.components[direct.component]?.lock?.provides;
  const changed = before === undefined ? undefined : abiChanges(before, direct.lock.provides ?? []);
  if (policy.abiGate && changed !== undefined && changed.length === 0) return;
  const changedBuild = `${direct.component}@${direct.lock.nvr ?? direct.lock.commit ?? ''}`;
  for (const [name, path] of dependentsOf(direct.component, component.rebuild, deps, model)) {
    // Built field by field: a spread per dependent is the plan's hottest line for a root package.
    const reasons = direct.reasons.map((r): Reason => ({
      messageId: r.messageId,
      kind: r.kind,
      package: r.package,
      nvr: r.nvr,
      commit: r.commit,
      changedProvides: changed,
      path,
      component: name,
    }));
    const existing = candidates.get(name);
    if (existing) {
      existing.reasons.push(...reasons);
      continue;
    }
    const own = model.components.get(name);
    const fingerprint = plannedFingerprint(own?.fingerprint ?? '', state.components[name]?.lock, [
      changedBuild,
    ]);
    candidates.set(name, {
      component: name,
      reasons,
      fingerprint,
      priority: Math.min(PRIORITY.dependent, direct.priority),
    });
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
