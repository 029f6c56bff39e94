import { notFound } from './overlay-signals';
import type { OverlayOf } from './schema';
import type { SpecSection } from './spec';
import { conditionalKind, parseSections } from './spec';

/**
 * Section removal with conditional balancing (DEV ≥2026-05): a removed range keeps the `%endif`s that close
 * a conditional opened before it, and stops before a trailing `%if` that it opens but does not close (the
 * guard of the next sub-package, DEV #193). An `%else/%elif` of a conditional opened outside the range
 * cannot be balanced and is refused as drift.
 */
function removalMask(lines: readonly string[], from: number, to: number): Set<number> {
  const removed = new Set<number>();
  const open: number[] = [];
  for (let i = from; i < to; i++) {
    const kind = conditionalKind(lines[i] ?? '');
    if (kind === 'open') open.push(i);
    else if (kind === 'close' && open.length > 0) open.pop();
    else if (kind === 'close')
      continue; // closes a conditional opened before the range: keep it
    else if (kind === 'else' && open.length === 0) {
      throw notFound(`conditional block spans across section boundaries (line ${i + 1})`);
    }
    removed.add(i);
  }
  // A conditional still open at the end of the range belongs to what follows: keep it from its %if on.
  const firstOpen = open[0];
  if (firstOpen !== undefined) for (let i = firstOpen; i < to; i++) removed.delete(i);
  return removed;
}

function removeSections(lines: readonly string[], sections: readonly SpecSection[]): string[] {
  const removed = new Set<number>();
  for (const s of sections) for (const i of removalMask(lines, s.header, s.end)) removed.add(i);
  return lines.filter((_, i) => !removed.has(i));
}

/** Deletes the header and body of every section with that name and package; the preamble cannot go. */
export function removeSection(lines: readonly string[], o: OverlayOf<'spec-remove-section'>): string[] {
  const pkg = o.package ?? '';
  const found = parseSections(lines).filter(
    (s) => s.header >= 0 && s.name === o.section && s.package === pkg,
  );
  if (found.length === 0) throw notFound(`section "${o.section}" (package="${pkg}") not found`);
  return removeSections(lines, found);
}

/** Deletes every section whose package qualifier equals `package`. */
export function removeSubpackage(lines: readonly string[], o: OverlayOf<'spec-remove-subpackage'>): string[] {
  const found = parseSections(lines).filter((s) => s.header >= 0 && s.package === o.package);
  if (found.length === 0) throw notFound(`sub-package "${o.package}" not found`);
  return removeSections(lines, found);
}
