import { OverlayRefused } from './overlay-signals';
import { parseHeader } from './spec';
import type { MacroBodyState } from './spec-macro-body';
import { MACRO_BODY_START, macroBodyStateAfter } from './spec-macro-body';

/**
 * azldev's structural view of a spec (DEV `internal/rpm/spec/tree.go` `parseTree`, in its version with opaque
 * macro bodies), which its section and sub-package removal work on: sections and `%if … %endif` blocks as a
 * tree, so that removing a section takes its header and body and leaves every conditional around it whole.
 *
 * - A conditional whose body holds a section header is a *wrapper*: it sits beside sections, and the sections
 *   inside it end at its `%else`/`%endif`. Any other conditional is content of the section it sits in.
 * - A section's body runs to the next section header or the next wrapper `%if`, whichever comes first.
 * - What follows a wrapper's `%endif` up to the next section (blank lines, mostly) belongs to no section, so
 *   it stays when the sections on either side are removed: the blank line between two guarded sub-packages.
 * - A `%define`/`%global` is a node of its own, with its body (`\` continuations, open `%{expand:`/`%{lua:`
 *   expansions: `spec-macro-body.ts`); body lines are never headers or directives. Any other line ending
 *   in `\` hides nothing: RPM still reads the next line's section header or `%if`.
 * - Serializing the tree gives back the exact lines it was parsed from.
 */
export interface SectionNode {
  readonly kind: 'section';
  /** The header line as written; undefined for the preamble (everything before the first section). */
  readonly header: string | undefined;
  /** 0-based index of the header line in the parsed spec; -1 for the preamble. */
  readonly line: number;
  readonly name: string;
  readonly package: string;
  readonly children: readonly SpecNode[];
}

export interface ConditionalNode {
  readonly kind: 'conditional';
  /** The `%if…` line, or for the inner link of an `%elif` chain, the `%elif…` line. */
  readonly header: string;
  readonly line: number;
  /** The `%endif` line; undefined for an `%elif` link (only the outermost node owns the `%endif`). */
  readonly endif: string | undefined;
  readonly children: readonly SpecNode[];
  /** The `%else` line when the else branch is a plain `%else`. */
  readonly elseDirective: string | undefined;
  /** The else branch: after `%else`, or a single `%elif` link; undefined without one. */
  readonly orElse: readonly SpecNode[] | undefined;
}

export interface TextNode {
  readonly kind: 'text';
  readonly lines: readonly string[];
}

export interface MacroNode {
  readonly kind: 'macro';
  readonly name: string;
  readonly line: number;
  /** The definition line and its body lines. */
  readonly lines: readonly string[];
}

export type SpecNode = SectionNode | ConditionalNode | TextNode | MacroNode;

/** The whole spec: the preamble section first, then sections, wrappers and loose text, in file order. */
export interface SpecTree {
  readonly children: readonly SpecNode[];
}

const OPENERS = new Set(['%if', '%ifarch', '%ifnarch', '%ifos', '%ifnos']);
const BRANCHES = new Set(['%else', '%elif', '%elifarch', '%elifnarch', '%elifos', '%elifnos']);

/** The first token of a line, lower-cased, or undefined for a blank line or a comment. */
function directive(line: string): string | undefined {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  return (trimmed.split(/\s+/)[0] ?? '').toLowerCase();
}

/** +1 for an `%if`-family opener, -1 for `%endif`, 0 otherwise (DEV `conditionalDepthChange`). */
export function conditionalDepthChange(line: string): number {
  const token = directive(line);
  if (token === '%endif') return -1;
  return token !== undefined && OPENERS.has(token) ? 1 : 0;
}

/** `%else` and the `%elif` family (DEV `isConditionalBranchDirective`). */
export const isBranchDirective = (line: string): boolean => BRANCHES.has(directive(line) ?? '');

const isElif = (line: string): boolean => directive(line) !== '%else' && isBranchDirective(line);

/**
 * Walks the lines, skipping the body lines of macro definitions (the definition line itself is visited):
 * DEV `tree.go` skips them the same way in each of its scans.
 */
function forEachOutsideMacroBodies(
  lines: readonly string[],
  visit: (line: string, index: number) => void,
): void {
  let inBody = false;
  let state: MacroBodyState = MACRO_BODY_START;
  lines.forEach((line, index) => {
    if (inBody) {
      [state, inBody] = macroBodyStateAfter(line, state);
      return;
    }
    visit(line, index);
    if (macroDefinitionName(line) !== undefined)
      [state, inBody] = macroBodyStateAfter(line, MACRO_BODY_START);
  });
}

/** The macro a `%define`/`%global` line defines (parameters stripped), or undefined. */
export function macroDefinitionName(line: string): string | undefined {
  const tokens = line.trim().split(/\s+/);
  const keyword = (tokens[0] ?? '').toLowerCase();
  if (tokens.length < 2 || (keyword !== '%define' && keyword !== '%global')) return undefined;
  const name = tokens[1] ?? '';
  const paren = name.indexOf('(');
  return paren >= 0 ? name.slice(0, paren) : name;
}

/** Thrown when the spec's structure cannot be read: azldev then refuses to edit it structurally. */
function unreadable(stage: 'parsing conditional structure' | 'building spec tree', message: string) {
  return new OverlayRefused('overlay.spec-structure', `parsing spec tree: ${stage}: ${message}`);
}
const unbalanced = (message: string) => unreadable('parsing conditional structure', message);

/** `%if` line → its `%endif` line, pairing with a stack, outside macro bodies. */
function conditionalPairs(lines: readonly string[]): Map<number, number> {
  const endifOf = new Map<number, number>();
  const stack: number[] = [];
  forEachOutsideMacroBodies(lines, (line, index) => {
    const change = conditionalDepthChange(line);
    if (change === 1) stack.push(index);
    else if (change === -1) {
      const opener = stack.pop();
      if (opener === undefined) throw unbalanced(`unmatched %endif at line ${index + 1}`);
      endifOf.set(opener, index);
    }
  });
  const first = stack[0];
  if (first !== undefined) throw unbalanced(`unmatched %if at line ${first + 1}`);
  return endifOf;
}

/** Indexes of section header lines, outside macro bodies. */
function sectionHeaderLines(lines: readonly string[]): Set<number> {
  const headers = new Set<number>();
  forEachOutsideMacroBodies(lines, (line, index) => {
    if (parseHeader(line) !== undefined) headers.add(index);
  });
  return headers;
}

interface Scan {
  readonly lines: readonly string[];
  readonly endifOf: ReadonlyMap<number, number>;
  readonly headers: ReadonlySet<number>;
}

function hasHeaderIn(scan: Scan, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (scan.headers.has(i)) return true;
  return false;
}

/** Where a section body ends: the next header, or the next `%if` that wraps sections (DEV `findTreeSectionEnd`). */
function sectionEnd(scan: Scan, start: number, end: number): number {
  let i = start;
  while (i < end) {
    if (scan.headers.has(i)) return i;
    const endif = scan.endifOf.get(i);
    if (endif !== undefined) {
      if (hasHeaderIn(scan, i + 1, endif)) return i;
      i = endif + 1;
      continue;
    }
    i++;
  }
  return end;
}

/** The `%else`/`%elif` of the conditional whose body is [start, end), at depth 0 outside macros, or -1. */
function branchLine(lines: readonly string[], start: number, end: number): number {
  let depth = 0;
  let inBody = false;
  let state: MacroBodyState = MACRO_BODY_START;
  for (let i = start; i < end; i++) {
    const line = lines[i] ?? '';
    if (inBody) [state, inBody] = macroBodyStateAfter(line, state);
    else if (macroDefinitionName(line) !== undefined)
      [state, inBody] = macroBodyStateAfter(line, MACRO_BODY_START);
    else {
      const change = conditionalDepthChange(line);
      if (change === 1) depth++;
      else if (change === -1) depth--;
      else if (depth === 0 && isBranchDirective(line)) return i;
    }
  }
  return -1;
}

/** The macro definition at `start` with its body lines, which must end before `end` (DEV `parseMacroDefBlock`). */
function macroNode(lines: readonly string[], start: number, end: number): MacroNode {
  const first = lines[start] ?? '';
  const node = { kind: 'macro' as const, name: macroDefinitionName(first) ?? '', line: start };
  let [state, continues] = macroBodyStateAfter(first, MACRO_BODY_START);
  let i = start + 1;
  while (continues) {
    if (i >= end) throw unreadable('building spec tree', `unterminated macro construct at line ${start + 1}`);
    [state, continues] = macroBodyStateAfter(lines[i] ?? '', state);
    i++;
  }
  return { ...node, lines: lines.slice(start, i) };
}

/** Parses [start, end) into nodes; sections are recognised only where `topLevel` (root and wrapper bodies). */
function parseNodes(scan: Scan, start: number, end: number, topLevel: boolean): SpecNode[] {
  const nodes: SpecNode[] = [];
  let text: string[] = [];
  const flush = (): void => {
    if (text.length > 0) nodes.push({ kind: 'text', lines: text });
    text = [];
  };
  let i = start;
  while (i < end) {
    const line = scan.lines[i] ?? '';
    if (topLevel && scan.headers.has(i)) {
      flush();
      const header = parseHeader(line) ?? { name: '', package: '' };
      const bodyEnd = sectionEnd(scan, i + 1, end);
      const children = parseNodes(scan, i + 1, bodyEnd, false);
      nodes.push({ kind: 'section', header: line, line: i, ...header, children });
      i = bodyEnd;
    } else if (conditionalDepthChange(line) === 1) {
      flush();
      const endif = scan.endifOf.get(i);
      if (endif === undefined)
        throw unreadable('building spec tree', `%if at line ${i + 1} has no matching pair`);
      const wrapper = hasHeaderIn(scan, i + 1, endif);
      nodes.push({ ...parseBranches(scan, i, endif, wrapper), endif: scan.lines[endif] ?? '' });
      i = endif + 1;
    } else if (macroDefinitionName(line) !== undefined) {
      flush();
      const macro = macroNode(scan.lines, i, end);
      nodes.push(macro);
      i += macro.lines.length;
    } else {
      text.push(line);
      i++;
    }
  }
  flush();
  return nodes;
}

/**
 * The branches of the conditional opened (or continued, for an `%elif`) at `opener`, whose `%endif` is at
 * `endif`. An `%elif` becomes a single conditional node in the else branch, without an `%endif` of its own.
 */
function parseBranches(scan: Scan, opener: number, endif: number, wrapper: boolean): ConditionalNode {
  const branch = branchLine(scan.lines, opener + 1, endif);
  const thenEnd = branch >= 0 ? branch : endif;
  const node = {
    kind: 'conditional' as const,
    header: scan.lines[opener] ?? '',
    line: opener,
    endif: undefined,
    children: parseNodes(scan, opener + 1, thenEnd, wrapper),
    elseDirective: undefined,
    orElse: undefined,
  };
  if (branch < 0) return node;
  const branchText = scan.lines[branch] ?? '';
  if (isElif(branchText)) return { ...node, orElse: [parseBranches(scan, branch, endif, wrapper)] };
  return { ...node, elseDirective: branchText, orElse: parseNodes(scan, branch + 1, endif, wrapper) };
}

/** True when the node, in either branch and through nested conditionals, holds a section. */
export function containsSections(node: ConditionalNode): boolean {
  return [...node.children, ...(node.orElse ?? [])].some(
    (child) => child.kind === 'section' || (child.kind === 'conditional' && containsSections(child)),
  );
}

/** Everything before the first section (or first section-holding conditional) becomes the preamble. */
function withPreamble(nodes: readonly SpecNode[]): SpecNode[] {
  const first = nodes.findIndex(
    (node) => node.kind === 'section' || (node.kind === 'conditional' && containsSections(node)),
  );
  const end = first < 0 ? nodes.length : first;
  const preamble: SectionNode = {
    kind: 'section',
    header: undefined,
    line: -1,
    name: '',
    package: '',
    children: nodes.slice(0, end),
  };
  return [preamble, ...nodes.slice(end)];
}

/** Parses a spec's lines; throws `overlay.spec-structure` when `%if`/`%endif` or a macro body do not close. */
export function parseSpecTree(lines: readonly string[]): SpecTree {
  const scan: Scan = { lines, endifOf: conditionalPairs(lines), headers: sectionHeaderLines(lines) };
  return { children: withPreamble(parseNodes(scan, 0, lines.length, true)) };
}

function serializeNode(node: SpecNode, out: string[]): void {
  switch (node.kind) {
    case 'section':
      if (node.header !== undefined) out.push(node.header);
      for (const child of node.children) serializeNode(child, out);
      return;
    case 'conditional':
      out.push(node.header);
      for (const child of node.children) serializeNode(child, out);
      if (node.elseDirective !== undefined) out.push(node.elseDirective);
      for (const child of node.orElse ?? []) serializeNode(child, out);
      if (node.endif !== undefined) out.push(node.endif);
      return;
    case 'text':
    case 'macro':
      out.push(...node.lines);
  }
}

/** The spec's lines back from its tree (DEV `serializeTree`). */
export function serializeSpecTree(tree: SpecTree): string[] {
  const out: string[] = [];
  for (const node of tree.children) serializeNode(node, out);
  return out;
}

/** Every section in file order, descending into both branches of conditionals (DEV `walk`). */
export function sectionsOf(nodes: readonly SpecNode[]): SectionNode[] {
  const found: SectionNode[] = [];
  const visit = (node: SpecNode): void => {
    if (node.kind === 'section') {
      found.push(node);
      node.children.forEach(visit);
    } else if (node.kind === 'conditional') {
      node.children.forEach(visit);
      node.orElse?.forEach(visit);
    }
  };
  nodes.forEach(visit);
  return found;
}
