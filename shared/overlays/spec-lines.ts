import { notFound } from './overlay-signals';
import { replaceLiteral, translateRegex } from './regex';
import type { OverlayOf } from './schema';
import type { SpecSection } from './spec';
import { parseSections } from './spec';

/**
 * Line overlays on a spec. A `section` selects every section with exactly that name and package (empty
 * package = main package); a `%if/%else` duplicate is edited twice, as azldev does.
 */
function matching(lines: readonly string[], section: string, pkg: string | undefined): SpecSection[] {
  const found = parseSections(lines).filter((s) => s.name === section && s.package === (pkg ?? ''));
  if (found.length === 0) throw notFound(`section "${section}" (package="${pkg ?? ''}") not found`);
  return found;
}

/** Inserts `added` before each index (processed from the bottom so indexes stay valid). */
function insertBefore(
  lines: readonly string[],
  points: readonly number[],
  added: readonly string[],
): string[] {
  const out = [...lines];
  for (const at of [...points].sort((a, b) => b - a)) out.splice(at, 0, ...added);
  return out;
}

/** With a section: right after each matching header. Without: the top of the file. */
export function prependLines(lines: readonly string[], o: OverlayOf<'spec-prepend-lines'>): string[] {
  if (o.section === undefined) return [...o.lines, ...lines];
  return insertBefore(
    lines,
    matching(lines, o.section, o.package).map((s) => s.start),
    o.lines,
  );
}

/** With a section: right before the next header of each match (after trailing blanks). Without: the end. */
export function appendLines(lines: readonly string[], o: OverlayOf<'spec-append-lines'>): string[] {
  if (o.section === undefined) return [...lines, ...o.lines];
  return insertBefore(
    lines,
    matching(lines, o.section, o.package).map((s) => s.end),
    o.lines,
  );
}

/**
 * Regex replace over body lines only (headers are never touched), each line on its own, so `^`/`$` anchor to
 * the line. The replacement is literal and may hold `\n`; an empty one leaves an empty line. Empty `package`
 * means any package here, unlike the other spec overlays.
 */
export function searchReplace(lines: readonly string[], o: OverlayOf<'spec-search-replace'>): string[] {
  const regex = translateRegex(o.regex);
  const out: string[] = [];
  let changed = false;
  for (const section of parseSections(lines)) {
    if (section.header >= 0) out.push(lines[section.header] ?? '');
    const selected =
      (o.section === undefined || section.name === o.section) &&
      (o.package === undefined || o.package === '' || section.package === o.package);
    for (let i = section.start; i < section.end; i++) {
      const line = lines[i] ?? '';
      regex.lastIndex = 0;
      if (!selected || !regex.test(line)) {
        out.push(line);
        continue;
      }
      changed = true;
      out.push(...replaceLiteral(line, regex, o.replacement ?? '').split('\n'));
    }
  }
  if (!changed) {
    throw notFound(
      `pattern "${o.regex}" not found (section=${JSON.stringify(o.section ?? '')}, package=${JSON.stringify(o.package ?? '')})`,
    );
  }
  return out;
}
