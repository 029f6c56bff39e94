import { describe, expect, it } from 'vitest';
import type { Overlay } from '../../../shared/overlays';
import { isOverlayDrift, renderComponent } from '../../../shared/overlays';
import { PipelineError } from '../../../shared/errors';
import { thrownPipelineError } from '../../../testing/failures';

/**
 * `spec-remove-section` / `spec-remove-subpackage` around conditionals, on specs written for these tests.
 * Each expected text is what azldev's tree removal gives (microsoft/azure-linux-dev-tools
 * `internal/rpm/spec/tree.go` parseTree/serializeTree, `tree_api.go` RemoveSections and its
 * validateSectionRemoval), worked out by hand from that code and checked against the cases of its own tests:
 * `internal/rpm/spec/edit_test.go` TestRemoveSubpackage ("trims trailing endif from section wrapped in
 * conditional", "trims consecutive endifs from nested wrapping conditionals", "errors on conditional spanning
 * across sections", "rejects nested conditional content orphaned by removal", "errors when trimmed zone
 * contains section content in a balanced conditional") and `structural_tree_api_internal_test.go`
 * (TestRemoveSectionsPreservesConditionalBalance, TestRemoveSectionsAllowsIndependentConditionalBranchRemoval).
 * A section goes with its header and body, nothing else: so the `%if`/`%endif` around it stay, and the blank
 * line after a guard's `%endif` (which belongs to no section) stays too.
 */

/** Renders `demo.spec` and returns its lines without the 3-line azldev header and the final newline. */
function render(spec: readonly string[], ...overlays: Overlay[]): string[] {
  const out = renderComponent({
    component: 'demo',
    tree: { files: new Map([['demo.spec', `${spec.join('\n')}\n`]]) },
    overlays,
  });
  return (out.files.get('demo.spec') ?? '').split('\n').slice(3, -1);
}

/** The spec without the given 0-based inclusive line ranges: the sections azldev deletes. */
const without = (spec: readonly string[], ...ranges: [number, number][]): string[] =>
  spec.filter((_, i) => !ranges.some(([from, to]) => i >= from && i <= to));

const removeSubpackage = (pkg: string): Overlay => ({ type: 'spec-remove-subpackage', package: pkg });

// Three sub-packages: gui (one guard), docs (two nested guards, with a content %ifarch inside), tools (none).
const guarded = [
  'Name:           demo', //                                   0
  'Version:        1.0',
  'Release:        1%{?dist}',
  'Summary:        Demo',
  'License:        MIT',
  '', //                                                      5
  '%description',
  'Demo.',
  '',
  '%if %{with gui}',
  '%package gui', //                                          10
  'Summary:        GUI for demo',
  '',
  '%description gui',
  'The GUI.',
  '%endif', //                                                15
  '',
  '%if %{with docs}',
  '%if 0%{?fedora}',
  '%package docs',
  'Summary:        Docs for demo', //                         20
  '%ifarch x86_64',
  'Requires:       demo-x86-extras',
  '%endif',
  '',
  '%description docs', //                                     25
  'The docs.',
  '%endif',
  '%endif',
  '',
  '%package -n demo-tools', //                                30
  'Summary:        Tools',
  '',
  '%description -n demo-tools',
  'Tools.',
  '', //                                                      35
  '%build',
  'make',
  '',
  '%files',
  '/usr/bin/demo', //                                         40
  '',
  '%if %{with gui}',
  '%files gui',
  '/usr/bin/demo-gui',
  '%endif', //                                                45
  '',
  '%if %{with docs}',
  '%if 0%{?fedora}',
  '%files docs',
  '%doc README', //                                           50
  '%endif',
  '%endif',
  '',
  '%files -n demo-tools',
  '/usr/bin/demo-tool', //                                    55
  '',
  '%changelog',
  '* Mon Jan 05 2026 Dev <dev@example.com> - 1.0-1',
  '- First',
];

describe('spec-remove-subpackage inside conditionals', () => {
  it('leaves the guard pair and the blank line after it (one %if per block)', () => {
    const out = render(guarded, removeSubpackage('gui'));
    expect(out).toEqual(without(guarded, [10, 14], [43, 44]));
    // The blank line between the emptied guard and the next block is kept (it was lost before).
    expect(out.slice(9, 14)).toEqual([
      '%if %{with gui}',
      '%endif',
      '',
      '%if %{with docs}',
      '%if 0%{?fedora}',
    ]);
  });

  it('leaves nested guard pairs, and takes a content %ifarch inside the section with it', () => {
    const out = render(guarded, removeSubpackage('docs'));
    expect(out).toEqual(without(guarded, [19, 26], [49, 50]));
    expect(out).not.toContain('%ifarch x86_64');
    expect(out.slice(17, 23)).toEqual([
      '%if %{with docs}',
      '%if 0%{?fedora}',
      '%endif',
      '%endif',
      '',
      '%package -n demo-tools',
    ]);
  });

  it('removes an unguarded sub-package between guarded blocks with its trailing blank lines', () => {
    expect(render(guarded, removeSubpackage('demo-tools'))).toEqual(without(guarded, [30, 35], [54, 56]));
  });

  it('removes several sub-packages one overlay after another', () => {
    const out = render(guarded, removeSubpackage('gui'), removeSubpackage('docs'));
    expect(out).toEqual(without(guarded, [10, 14], [19, 26], [43, 44], [49, 50]));
  });

  it('removes one section of a guarded sub-package, the same way', () => {
    const out = render(guarded, { type: 'spec-remove-section', section: '%files', package: 'gui' });
    expect(out).toEqual(without(guarded, [43, 44]));
  });

  it('removes a sub-package from one branch of %if/%else and keeps the other', () => {
    const spec = [
      'Name: demo',
      '',
      '%if 0%{?fedora}',
      '%package fedora-extras',
      'Summary: F',
      '%else',
      '%package other-extras',
      'Summary: O',
      '%endif',
    ];
    expect(render(spec, removeSubpackage('fedora-extras'))).toEqual(without(spec, [3, 4]));
    expect(render(spec, removeSubpackage('fedora-extras'), removeSubpackage('other-extras'))).toEqual([
      'Name: demo',
      '',
      '%if 0%{?fedora}',
      '%else',
      '%endif',
    ]);
  });

  it('removes a sub-package from the middle of an %elif chain', () => {
    const spec = [
      '%if 0%{?rhel}',
      '%files one',
      '/1',
      '%elif 0%{?fedora}',
      '%files two',
      '/2',
      '%else',
      '%files three',
      '/3',
      '%endif',
    ];
    expect(render(spec, removeSubpackage('two'))).toEqual(without(spec, [4, 5]));
  });

  it('keeps content of a guard that continues a section that stays', () => {
    // RPM reads linearly: the extras.conf line belongs to %files (main), which is not removed.
    const spec = [
      'Name: demo',
      '',
      '%files',
      '/usr/bin/demo',
      '%if %{with extras}',
      '/usr/share/demo/extras.conf',
      '',
      '%files extras',
      '/usr/share/extras',
      '%endif',
      '',
      '%changelog',
    ];
    expect(render(spec, removeSubpackage('extras'))).toEqual(without(spec, [7, 8]));
  });

  it('never reads a `\\` continuation line as a section header', () => {
    const spec = ['%global blurb \\', '%files tools \\', 'text', '', '%files tools', '/usr/bin/t', ''];
    expect(render(spec, removeSubpackage('tools'))).toEqual(without(spec, [4, 6]));
  });
});

describe('conditional blocks that span sections', () => {
  it('refuses to remove a section whose content continues into a guard of the next section', () => {
    const spec = [
      'Name: demo',
      '',
      '%files',
      '/usr/bin/demo',
      '%if %{with extras}',
      '/usr/share/demo/extras.conf',
      '',
      '%files extras',
      '/usr/share/extras',
      '%endif',
    ];
    const error = thrownPipelineError(
      () => render(spec, { type: 'spec-remove-section', description: 'no main files', section: '%files' }),
      'overlay.conditional-span',
    );
    expect(error.retryable).toBe(false);
    expect(error.context).toMatchObject({
      component: 'demo',
      overlayIndex: 0,
      overlayType: 'spec-remove-section',
    });
    expect(error.message).toBe(
      'component demo: overlay #0 (spec-remove-section "no main files"): %if block at `%if %{with extras}` ' +
        '(line 5) contains content belonging to the preceding section `%files` (line 3): ' +
        'conditional block spans across section boundaries',
    );
  });

  it('refuses the same through nested guards', () => {
    const spec = [
      'Name: demo',
      '',
      '%package devel',
      'Summary: Devel',
      '',
      '%if %{with tools}',
      '%if 0%{?fedora}',
      'Requires: demo-devel-fedora',
      '%package tools',
      'Summary: Tools',
      '%endif',
      '%endif',
      '',
      '%description tools',
      'Tools.',
    ];
    const error = thrownPipelineError(
      () => render(spec, removeSubpackage('devel')),
      'overlay.conditional-span',
    );
    expect(error.message).toContain(
      '%if block at `%if %{with tools}` (line 6) contains content belonging to the preceding section ' +
        '`%package devel` (line 3)',
    );
  });

  it('refuses to leave a content-only %if orphaned after an emptied guard', () => {
    const spec = [
      'Name: demo',
      '',
      '%if %{with extras}',
      '%files extras',
      '/usr/share/extras',
      '%endif',
      '%if %{with extras}',
      '/usr/share/extras-more',
      '%endif',
      '',
      '%changelog',
    ];
    const error = thrownPipelineError(
      () => render(spec, removeSubpackage('extras')),
      'overlay.conditional-span',
    );
    expect(error.message).toContain(
      'content in %if block at `%if %{with extras}` (line 7) would be orphaned after removing the preceding ' +
        'section: conditional block spans across section boundaries',
    );
  });

  it('refuses a spec whose %if and %endif do not pair up', () => {
    const unmatchedIf = ['Name: demo', '%if %{with x}', '%files x', '/x'];
    expect(
      thrownPipelineError(() => render(unmatchedIf, removeSubpackage('x')), 'overlay.spec-structure').message,
    ).toContain('unmatched %if at line 2');
    const unmatchedEndif = ['Name: demo', '%files x', '/x', '%endif'];
    expect(
      thrownPipelineError(
        () => render(unmatchedEndif, { type: 'spec-remove-section', section: '%files', package: 'x' }),
        'overlay.spec-structure',
      ).message,
    ).toContain('unmatched %endif at line 4');
  });
});

describe('macro bodies and `\\` lines', () => {
  it('skips a %{expand:} body, whose %if is not a conditional of the spec', () => {
    // From DEV structural_tree_api_internal_test.go TestTreeEditKeepsEscapedBracedMacrosOpaqueInsideExpandBody.
    const spec = [
      '%global helper %{expand:',
      '%%{literal}',
      '%if 0',
      'ignored',
      '}',
      '%build',
      'echo %{helper}',
      '%files x',
      '/x',
    ];
    expect(render(spec, removeSubpackage('x'))).toEqual(without(spec, [7, 8]));
  });

  it('reads a section header after an ordinary script line ending in `\\`', () => {
    const spec = ['%build', 'make \\', '%files x', '/x'];
    expect(render(spec, removeSubpackage('x'))).toEqual(without(spec, [2, 3]));
  });

  it('refuses a macro body that never ends', () => {
    const spec = ['%global broken %{expand:', 'text', '%files x', '/x'];
    expect(
      thrownPipelineError(() => render(spec, removeSubpackage('x')), 'overlay.spec-structure').message,
    ).toContain('building spec tree: unterminated macro construct at line 1');
  });
});

describe('which overlay failures are drift', () => {
  it('counts a spanning conditional and a broken spec as drift, as overlay.drift itself', () => {
    for (const code of ['overlay.drift', 'overlay.conditional-span', 'overlay.spec-structure'] as const)
      expect(isOverlayDrift(PipelineError.permanent(code, 'x'))).toBe(true);
    expect(isOverlayDrift(PipelineError.permanent('overlay.regex', 'x'))).toBe(false);
    expect(isOverlayDrift(new Error('overlay.drift'))).toBe(false);
  });
});
