import { describe, expect, it } from 'vitest';
import type { Overlay } from '../../../shared/overlays';
import { renderComponent } from '../../../shared/overlays';
import { parseHeader, parseSections } from '../../../shared/overlays/spec';
import { upstream } from './support';

/** Renders dnf5 with the overlays and returns the spec without the 3-line azldev header. */
function dnf5(...overlays: Overlay[]): string {
  const out = renderComponent({ component: 'dnf5', tree: { files: upstream('dnf5') }, overlays });
  return (out.files.get('dnf5.spec') ?? '').split('\n').slice(3).join('\n');
}
const original = upstream('dnf5').get('dnf5.spec') ?? '';

describe('spec model', () => {
  it('reads section names as written and package qualifiers', () => {
    expect(parseHeader('%package -n libdnf5')).toEqual({ name: '%package', package: 'libdnf5' });
    expect(parseHeader('%files devel')).toEqual({ name: '%files', package: 'devel' });
    expect(parseHeader('%files -f dnf5.lang')).toEqual({ name: '%files', package: '' });
    expect(parseHeader('%package -n %{name}+xen-devel')?.package).toBe('%{name}+xen-devel');
    expect(parseHeader('%triggerin -- glibc')).toEqual({ name: '%triggerin', package: '' });
    expect(parseHeader('%Files')).toEqual({ name: '%Files', package: '' });
    expect(parseHeader('#%files')).toBeUndefined();
    expect(parseHeader('%changelog foo')).toEqual({ name: '%changelog', package: '' });
  });

  it('splits the fixture into preamble and sections', () => {
    const sections = parseSections(original.split('\n'));
    expect(sections[0]).toMatchObject({ name: '', package: '', header: -1 });
    expect(sections.filter((s) => s.name === '%package').map((s) => s.package)).toEqual([
      'libdnf5',
      'libdnf5-plugin-rhsm',
      'devel',
    ]);
  });
});

describe('tag overlays', () => {
  it('add-tag appends to a sub-package section and adds duplicates', () => {
    const out = dnf5({ type: 'spec-add-tag', tag: 'Provides', value: 'libdnf = 5', package: 'libdnf5' });
    expect(out).toContain(
      'License:        LGPL-2.1-or-later\n\nProvides: libdnf = 5\n%description -n libdnf5',
    );
    const twice = dnf5(
      { type: 'spec-add-tag', tag: 'Requires', value: 'x' },
      { type: 'spec-add-tag', tag: 'Requires', value: 'x' },
    );
    expect(twice).toContain('Requires: x\nRequires: x\n%description\n');
  });

  it('insert-tag goes after the last tag of its family, past a closing %endif', () => {
    const source = dnf5({ type: 'spec-insert-tag', tag: 'Source9', value: 'extra.tar.gz' });
    expect(source).toContain('dnf5-%{version}.tar.gz\nSource9: extra.tar.gz\nPatch0:');
    const provides = dnf5({ type: 'spec-insert-tag', tag: 'Provides', value: 'tdnf' });
    expect(provides).toContain('Provides:       dnf = %{version}-%{release}\n%endif\nProvides: tdnf\n');
  });

  it('update-tag replaces every instance in the package; set-tag adds when absent', () => {
    const out = dnf5({ type: 'spec-update-tag', tag: 'provides', value: 'x' });
    expect(out.match(/^provides: x$/gm)).toHaveLength(2);
    expect(out).toContain('Requires:       dnf5%{?_isa}'); // the devel package is untouched
    expect(dnf5({ type: 'spec-set-tag', tag: 'Epoch', value: '1' })).toContain('Epoch: 1\n%description\n');
    expect(dnf5({ type: 'spec-set-tag', tag: 'Release', value: '2%{?dist}' })).toContain(
      '\nRelease: 2%{?dist}\n',
    );
  });

  it('remove-tag deletes by name, or by exact value (case-insensitive)', () => {
    const out = dnf5({ type: 'spec-remove-tag', tag: 'BuildRequires', value: 'CMAKE' });
    expect(out).not.toContain('BuildRequires:  cmake\n');
    expect(out).toContain('BuildRequires:  gcc-c++');
    expect(dnf5({ type: 'spec-remove-tag', tag: 'buildrequires' })).not.toContain('BuildRequires');
  });
});

describe('line overlays', () => {
  it('prepends after the header of the matching section, or at the top', () => {
    expect(dnf5({ type: 'spec-prepend-lines', section: '%build', lines: ['export X=1'] })).toContain(
      '%build\nexport X=1\n%cmake',
    );
    expect(
      dnf5({ type: 'spec-prepend-lines', lines: ['%global a 1'] }).startsWith('%global a 1\n%global'),
    ).toBe(true);
  });

  it('appends before the next header, in every matching section, or at the end', () => {
    const out = dnf5({
      type: 'spec-append-lines',
      section: '%files',
      package: 'libdnf5',
      lines: ['%{_libdir}/x'],
    });
    // azldev's sections end at the next header, so the next sub-package's %if guard is inside this body
    expect(out).toContain('%{_libdir}/libdnf5.so.2*\n\n%if %{with plugin_rhsm}\n%{_libdir}/x\n%files -n');
    expect(
      dnf5({ type: 'spec-append-lines', lines: ['- end'] }).endsWith('- Update to 5.2.17.0\n- end\n'),
    ).toBe(true);
  });

  it('search-replace touches body lines only, line by line, literally', () => {
    // "devel" only occurs in header lines (%package devel, %files devel): nothing to replace, so drift
    expect(() => dnf5({ type: 'spec-search-replace', regex: 'devel', replacement: 'DEVEL' })).toThrow(
      /pattern "devel" not found/,
    );
    expect(dnf5({ type: 'spec-search-replace', regex: '(?i)DEVELOPMENT', replacement: 'Dev' })).toContain(
      'Dev files for dnf5.',
    );
    const literal = dnf5({
      type: 'spec-search-replace',
      regex: '^(Version:\\s+)(.*)$',
      replacement: '$1 9.9',
    });
    expect(literal).toContain('\n$1 9.9\n');
    const scoped = dnf5({
      type: 'spec-search-replace',
      section: '%files',
      package: 'devel',
      regex: 'dnf5',
      replacement: 'x',
    });
    expect(scoped).toContain('%{_includedir}/x/');
    expect(scoped).toContain('%{_bindir}/dnf5\n');
    const emptied = dnf5({ type: 'spec-search-replace', regex: '^%ctest$' });
    expect(emptied).toContain('%check\n\n\n%files');
    const split = dnf5({
      type: 'spec-search-replace',
      regex: '^%ctest$',
      replacement: '%ctest -E a\n%ctest -R b',
    });
    expect(split).toContain('%check\n%ctest -E a\n%ctest -R b\n');
  });
});

describe('section overlays', () => {
  it('removes a guarded sub-package section keeping its %if/%endif and the blank line after it', () => {
    const out = dnf5({ type: 'spec-remove-section', section: '%files', package: 'libdnf5-plugin-rhsm' });
    expect(out).toContain('%if %{with plugin_rhsm}\n%endif\n\n%files devel');
    const pkg = dnf5({ type: 'spec-remove-section', section: '%package', package: 'devel' });
    expect(pkg).not.toContain('Summary:        Development files');
    expect(pkg).toContain('%endif\n\n%description devel');
  });

  it('removes a section from both branches of an %if/%else, keeping the directives', () => {
    const spec = ['Name: x', '%if 0%{?fedora}', '%files', '/a', '%else', '%files', '/b', '%endif', ''].join(
      '\n',
    );
    const out = renderComponent({
      component: 'x',
      tree: { files: new Map([['x.spec', spec]]) },
      overlays: [{ type: 'spec-remove-section', section: '%files' }],
    });
    expect(out.files.get('x.spec')?.split('\n').slice(3)).toEqual([
      'Name: x',
      '%if 0%{?fedora}',
      '%else',
      '%endif',
      '',
    ]);
  });

  it('targets a sub-package named with unexpanded macros', () => {
    const spec = [
      'Name: x',
      '',
      '%package -n %{name}+xen-devel',
      'Summary: s',
      '',
      '%description -n %{name}+xen-devel',
      'd',
      '',
    ];
    const out = renderComponent({
      component: 'x',
      tree: { files: new Map([['x.spec', spec.join('\n')]]) },
      overlays: [{ type: 'spec-remove-subpackage', package: '%{name}+xen-devel' }],
    });
    expect(out.files.get('x.spec')?.endsWith('Name: x\n\n')).toBe(true);
  });

  it('removes a whole sub-package', () => {
    const out = dnf5({ type: 'spec-remove-subpackage', package: 'libdnf5-plugin-rhsm' });
    expect(out).not.toContain('rhsm.so');
    expect(out).not.toContain('Subscription manager plugin');
    expect(out).toContain('Package management library.\n\n%if %{with plugin_rhsm}\n%endif\n\n%package devel');
    expect(out).toContain('.so.2*\n\n%if %{with plugin_rhsm}\n%endif\n\n%files devel');
  });
});
