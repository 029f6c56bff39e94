import type { Plan, SkipCode } from '../planner';

/** Skips that are "not yet" rather than "no": their events stay pending for a later pass. */
const NOT_YET: ReadonlySet<SkipCode> = new Set(['settling', 'over-budget']);

/**
 * The message ids a plan did not decide: some component of theirs is still settling or was over the
 * budget. Every other message of the batch was decided (planned, or skipped for good).
 */
export function heldMessageIds(plan: Plan): Set<string> {
  const held = new Set<string>();
  for (const item of plan.skipped) {
    if (!NOT_YET.has(item.reason)) continue;
    for (const reason of item.reasons ?? []) held.add(reason.messageId);
    if (item.messageId !== undefined) held.add(item.messageId);
  }
  return held;
}
