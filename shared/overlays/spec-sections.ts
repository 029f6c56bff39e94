import { notFound, OverlayRefused } from './overlay-signals';
import type { OverlayOf } from './schema';
import type { ConditionalNode, SectionNode, SpecNode } from './spec-tree';
import { containsSections, parseSpecTree, sectionsOf, serializeSpecTree } from './spec-tree';

/**
 * Section and sub-package removal as azldev does it on its spec tree (DEV `internal/rpm/spec/edit.go`
 * `RemoveSection`/`RemoveSubpackage` → `tree_api.go` `RemoveSections`): each matching section goes, header and
 * body, and nothing else. So a sub-package guarded by `%if … %endif` leaves the empty `%if`/`%endif` pair
 * (nested guards too), a conditional inside a removed section goes with it, and the lines between one
 * guard's `%endif` and the next section (the blank line separating two blocks) stay.
 *
 * The removal is refused as a whole (`overlay.conditional-span`) when it would cut a conditional that spans
 * sections: a section-holding `%if` whose own content continues a removed section, or a content-only `%if`
 * right after a guard that the removal empties. The checks are azldev's `validateSectionRemoval`.
 */

const SPANS = 'conditional block spans across section boundaries';

const at = (node: { readonly line: number }): string => `line ${node.line + 1}`;

function spans(message: string): OverlayRefused {
  return new OverlayRefused('overlay.conditional-span', `${message}: ${SPANS}`);
}

/** Text that is not blank or a comment, or a macro definition, in these nodes or conditionals among them. */
function hasContent(nodes: readonly SpecNode[]): boolean {
  return nodes.some((node) => {
    if (node.kind === 'macro') return true;
    if (node.kind === 'text') return node.lines.some((l) => l.trim() !== '' && !l.trim().startsWith('#'));
    return node.kind === 'conditional' && conditionalHasContent(node);
  });
}

const conditionalHasContent = (node: ConditionalNode): boolean =>
  hasContent(node.children) || hasContent(node.orElse ?? []);

function hasRemainingSection(nodes: readonly SpecNode[], removed: ReadonlySet<SectionNode>): boolean {
  return nodes.some((node) => {
    if (node.kind === 'section') return !removed.has(node) || hasRemainingSection(node.children, removed);
    if (node.kind !== 'conditional') return false;
    return hasRemainingSection(node.children, removed) || hasRemainingSection(node.orElse ?? [], removed);
  });
}

/** A section-holding conditional that has no section left in either branch after the removal. */
const emptiedWrapper = (node: ConditionalNode, removed: ReadonlySet<SectionNode>): boolean =>
  containsSections(node) &&
  !hasRemainingSection(node.children, removed) &&
  !hasRemainingSection(node.orElse ?? [], removed);

/**
 * DEV `validateRemovalChildren`: `preceding` is the last section before these nodes in file order, which a
 * wrapper's leading content continues (RPM reads a spec linearly, so that content belongs to it).
 */
function validateRemoval(
  nodes: readonly SpecNode[],
  removed: ReadonlySet<SectionNode>,
  precedingSection: SectionNode | undefined,
): void {
  let preceding = precedingSection;
  nodes.forEach((node, index) => {
    if (node.kind === 'section') {
      preceding = node;
      return;
    }
    if (node.kind !== 'conditional') return;
    if (conditionalHasContent(node) && containsSections(node) && preceding && removed.has(preceding)) {
      throw spans(
        `%if block at \`${node.header}\` (${at(node)}) contains content belonging to the preceding section ` +
          `\`${preceding.header ?? ''}\` (${at(preceding)})`,
      );
    }
    const next = nodes[index + 1];
    if (
      emptiedWrapper(node, removed) &&
      next?.kind === 'conditional' &&
      !containsSections(next) &&
      conditionalHasContent(next)
    ) {
      throw spans(
        `content in %if block at \`${next.header}\` (${at(next)}) would be orphaned after removing the ` +
          `preceding section`,
      );
    }
    validateRemoval(node.children, removed, preceding);
    validateRemoval(node.orElse ?? [], removed, preceding);
  });
}

/** The nodes without the removed sections, at any depth. */
function without(nodes: readonly SpecNode[], removed: ReadonlySet<SectionNode>): SpecNode[] {
  return nodes
    .filter((node) => !(node.kind === 'section' && removed.has(node)))
    .map((node) => {
      if (node.kind === 'section') return { ...node, children: without(node.children, removed) };
      if (node.kind !== 'conditional') return node;
      const orElse = node.orElse === undefined ? undefined : without(node.orElse, removed);
      return { ...node, children: without(node.children, removed), orElse };
    });
}

/** Parses, picks the sections, validates the removal as a set, and serializes what is left. */
function removeMatching(
  lines: readonly string[],
  pick: (section: SectionNode) => boolean,
  missing: string,
): string[] {
  const tree = parseSpecTree(lines);
  const found = sectionsOf(tree.children).filter((s) => s.header !== undefined && pick(s));
  if (found.length === 0) throw notFound(missing);
  const removed = new Set(found);
  validateRemoval(tree.children, removed, undefined);
  return serializeSpecTree({ children: without(tree.children, removed) });
}

/** Deletes the header and body of every section with that name and package; the preamble cannot go. */
export function removeSection(lines: readonly string[], o: OverlayOf<'spec-remove-section'>): string[] {
  const pkg = o.package ?? '';
  return removeMatching(
    lines,
    (s) => s.name === o.section && s.package === pkg,
    `section "${o.section}" (package="${pkg}") not found`,
  );
}

/** Deletes every section whose package qualifier equals `package` (as written: suffix or `-n` form). */
export function removeSubpackage(lines: readonly string[], o: OverlayOf<'spec-remove-subpackage'>): string[] {
  return removeMatching(lines, (s) => s.package === o.package, `sub-package "${o.package}" not found`);
}
