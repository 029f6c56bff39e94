import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitLines } from '../../../shared/overlays/spec';
import type { ConditionalNode, SectionNode } from '../../../shared/overlays/spec-tree';
import { parseSpecTree, sectionsOf, serializeSpecTree } from '../../../shared/overlays/spec-tree';
import { fixtures, upstream } from './support';

/** The tree of azldev's `internal/rpm/spec/tree.go` (parseTree), on small specs and the upstream fixtures. */

const upstreamSpecs = readdirSync(join(fixtures, 'upstream')).map((name) => ({
  name,
  lines: splitLines(upstream(name).get(`${name}.spec`) ?? ''),
}));

describe('parseSpecTree', () => {
  it.each(upstreamSpecs.map((s) => [s.name, s.lines] as const))(
    'gives back the exact lines of the %s spec',
    (_, lines) => {
      expect(lines.length).toBeGreaterThan(0);
      expect(serializeSpecTree(parseSpecTree(lines))).toEqual(lines);
    },
  );

  it('ends a section at a section-holding %if, and keeps what follows its %endif outside any section', () => {
    const tree = parseSpecTree([
      'Name: demo',
      '%files',
      '/a',
      '%if 0%{?fedora}',
      '/fedora-only',
      '%endif',
      '',
      '%if %{with x}',
      '%files x',
      '/x',
      '%endif',
      '',
      '%changelog',
    ]);
    const [preamble, files, wrapper, between, changelog] = tree.children;
    expect(preamble).toMatchObject({ kind: 'section', name: '', header: undefined });
    // A conditional without a section header inside is content of its section.
    expect((files as SectionNode).children.map((c) => c.kind)).toEqual(['text', 'conditional', 'text']);
    expect(wrapper).toMatchObject({ kind: 'conditional', header: '%if %{with x}', line: 7 });
    expect(sectionsOf((wrapper as ConditionalNode).children).map((s) => s.package)).toEqual(['x']);
    expect(between).toEqual({ kind: 'text', lines: [''] });
    expect(changelog).toMatchObject({ kind: 'section', name: '%changelog', line: 12 });
  });

  it('chains %elif branches, each owning its sections', () => {
    const tree = parseSpecTree(['%if A', '%files a', '%elif B', '%files b', '%else', '%files c', '%endif']);
    const wrapper = tree.children[1] as ConditionalNode;
    const elif = wrapper.orElse?.[0] as ConditionalNode;
    expect(elif).toMatchObject({
      kind: 'conditional',
      header: '%elif B',
      endif: undefined,
      elseDirective: '%else',
    });
    expect(sectionsOf(tree.children).map((s) => s.package)).toEqual(['', 'a', 'b', 'c']); // the preamble first
  });
});
