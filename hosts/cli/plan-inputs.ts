import { readFileSync } from 'node:fs';
import { normalize } from '../../shared/fedora/normalize';
import type { UpstreamEvent } from '../../shared/fedora/upstream-event';
import { upstreamEventSchema } from '../../shared/fedora/upstream-event';
import type { SkippedItem } from '../../shared/planner';

/** An input item that is no event: an ignored or rejected Fedora message, named by where it was read. */
export interface SkippedInput {
  readonly input: string;
  readonly messageId?: string;
  readonly reason: string;
}

/** The events of `azl-rebuilder plan`'s files, in input order, each with where it was read (`<file>#<i>`). */
export interface PlanInputs {
  readonly events: UpstreamEvent[];
  readonly inputs: string[];
  readonly skipped: SkippedInput[];
}

/**
 * Reads event files: each holds one item, an array, or a datagrepper page (`{raw_messages: […]}`); an item is
 * a normalized event, taken as it is, or a Fedora message in any serialized form, through `normalize`.
 */
export function readPlanInputs(files: readonly string[]): PlanInputs {
  const read: PlanInputs = { events: [], inputs: [], skipped: [] };
  for (const file of files) {
    itemsOf(JSON.parse(readFileSync(file, 'utf8'))).forEach((item, index) => {
      const input = `${file}#${index}`;
      const asEvent = upstreamEventSchema.safeParse(item);
      if (asEvent.success) {
        read.events.push(asEvent.data);
        read.inputs.push(input);
        return;
      }
      const outcome = normalize(item);
      if (outcome.outcome === 'accepted') {
        read.events.push(outcome.event);
        read.inputs.push(input);
      } else {
        read.skipped.push({
          input,
          ...(outcome.id ? { messageId: outcome.id } : {}),
          reason: `${outcome.outcome}: ${outcome.reason}`,
        });
      }
    });
  }
  return read;
}

function itemsOf(parsed: unknown): unknown[] {
  if (Array.isArray(parsed)) return parsed;
  const page = parsed as { raw_messages?: unknown } | null;
  if (typeof page === 'object' && page !== null && Array.isArray(page.raw_messages)) return page.raw_messages;
  return [parsed];
}

/**
 * The plan's `duplicate` skips with the copies named: each gets the `input` it was read from and, when it
 * repeats a message of this batch (not one an earlier plan planned), `duplicateOf`, the input of the first
 * copy, which is the one decided. The planner reports the skips of each message in input order, so the n-th
 * skip of an id is its (n+1)-th copy.
 */
export function withDuplicateInputs(
  skipped: readonly SkippedItem[],
  read: PlanInputs,
  plannedBefore: ReadonlySet<string>,
): (SkippedItem & { input?: string; duplicateOf?: string })[] {
  const copies = new Map<string, string[]>();
  read.events.forEach((event, i) => {
    const list = copies.get(event.messageId);
    if (list) list.push(read.inputs[i] as string);
    else copies.set(event.messageId, [read.inputs[i] as string]);
  });
  const next = new Map<string, number>();
  return skipped.map((item) => {
    if (item.reason !== 'duplicate' || item.messageId === undefined) return item;
    const list = copies.get(item.messageId) ?? [];
    const before = plannedBefore.has(item.messageId);
    // A message planned before: every copy is skipped, from the first; a repeat: from the second.
    const n = next.get(item.messageId) ?? (before ? 0 : 1);
    next.set(item.messageId, n + 1);
    const input = list[n];
    return {
      ...item,
      ...(input === undefined ? {} : { input }),
      ...(before || list[0] === undefined ? {} : { duplicateOf: list[0] }),
    };
  });
}
