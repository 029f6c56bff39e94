import { notFound } from './overlay-signals';
import type { OverlayOf } from './schema';
import type { SpecSection } from './spec';
import { conditionalKind, isPackageSection, parseSections, parseTag } from './spec';

/**
 * Tag overlays (DEV `rpm/spec/edit.go`). An empty `package` means the main package (the preamble); otherwise
 * the `%package` section whose qualifier equals it exactly. Tag names compare case-insensitively; the line
 * written is `<tag>: <value>` with the overlay's spelling.
 */
type TagOverlay = OverlayOf<'spec-add-tag' | 'spec-insert-tag' | 'spec-set-tag' | 'spec-update-tag'>;

function packageSections(lines: readonly string[], pkg: string | undefined): SpecSection[] {
  const wanted = pkg ?? '';
  const found = parseSections(lines).filter((s) => isPackageSection(s) && s.package === wanted);
  if (wanted !== '' && found.length === 0)
    throw notFound(`section "%package" (package="${wanted}") not found`);
  return found;
}

/** Indexes of the tag lines named `tag` (any tag when undefined) in the package's sections. */
function tagLines(lines: readonly string[], sections: readonly SpecSection[], tag?: string): number[] {
  const out: number[] = [];
  for (const section of sections) {
    for (let i = section.start; i < section.end; i++) {
      const parsed = parseTag(lines[i] ?? '');
      if (parsed && (tag === undefined || parsed.tag.toLowerCase() === tag.toLowerCase())) out.push(i);
    }
  }
  return out;
}

const insertAt = (lines: readonly string[], at: number, added: readonly string[]): string[] => [
  ...lines.slice(0, at),
  ...added,
  ...lines.slice(at),
];

/** Appends `<tag>: <value>` at the end of the package's section; duplicates are not checked (as azldev). */
export function addTag(lines: readonly string[], o: TagOverlay): string[] {
  const section = packageSections(lines, o.package)[0];
  const end = section ? section.end : lines.length;
  return insertAt(lines, end, [`${o.tag}: ${o.value}`]);
}

/** `Source9999` → `source`: the family a tag is inserted next to. */
const family = (tag: string): string => tag.toLowerCase().replace(/\d+$/, '');

/**
 * After the last tag of the same family, else after the last tag, else as add-tag; an insert point inside
 * `%if … %endif` moves past the closing `%endif` when that is within the section.
 */
export function insertTag(lines: readonly string[], o: TagOverlay): string[] {
  const sections = packageSections(lines, o.package);
  const all = tagLines(lines, sections);
  const same = all.filter((i) => family(parseTag(lines[i] ?? '')?.tag ?? '') === family(o.tag));
  const after = same.at(-1) ?? all.at(-1);
  if (after === undefined) return addTag(lines, o);
  const section = sections.find((s) => after >= s.start && after < s.end);
  let depth = 0;
  for (let i = 0; i <= after; i++) {
    const kind = conditionalKind(lines[i] ?? '');
    if (kind === 'open') depth++;
    else if (kind === 'close') depth = Math.max(0, depth - 1);
  }
  let at = after + 1;
  for (let i = after + 1; depth > 0 && section && i < section.end; i++) {
    const kind = conditionalKind(lines[i] ?? '');
    if (kind === 'open') depth++;
    else if (kind === 'close' && --depth === 0) at = i + 1;
  }
  return insertAt(lines, at, [`${o.tag}: ${o.value}`]);
}

/** Replaces every matching tag line in the package; fails when there is none. */
export function updateTag(lines: readonly string[], o: TagOverlay): string[] {
  const hits = tagLines(lines, packageSections(lines, o.package), o.tag);
  if (hits.length === 0) throw notFound(`tag "${o.tag}" not found in spec`);
  const out = [...lines];
  for (const i of hits) out[i] = `${o.tag}: ${o.value}`;
  return out;
}

/** Update when present, add otherwise. */
export function setTag(lines: readonly string[], o: TagOverlay): string[] {
  const hits = tagLines(lines, packageSections(lines, o.package), o.tag);
  return hits.length === 0 ? addTag(lines, o) : updateTag(lines, o);
}

/** Deletes every matching tag line (only those whose whole value equals `value`, case-insensitively, if set). */
export function removeTag(lines: readonly string[], o: OverlayOf<'spec-remove-tag'>): string[] {
  const hits = tagLines(lines, packageSections(lines, o.package), o.tag).filter(
    (i) => o.value === undefined || parseTag(lines[i] ?? '')?.value.toLowerCase() === o.value.toLowerCase(),
  );
  if (hits.length === 0) {
    const withValue = o.value === undefined ? '' : ` with value "${o.value}"`;
    throw notFound(`tag "${o.tag}"${withValue} not found in spec`);
  }
  const drop = new Set(hits);
  return lines.filter((_, i) => !drop.has(i));
}
