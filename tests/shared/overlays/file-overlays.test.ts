import { describe, expect, it } from 'vitest';
import { PipelineError } from '../../../shared/errors';
import type { Overlay } from '../../../shared/overlays';
import { renderComponent } from '../../../shared/overlays';
import { fixtureOverlays } from './support';

const SPEC = [
  'Name:           pkg',
  'Version:        1.0',
  'Source0:        pkg-1.0.tar.gz',
  'Source3:        run-vmblock\\x2dfuse.mount',
  'Patch:          first.patch',
  'Patch4:         0004-fix.patch',
  '',
  '%description',
  'pkg.',
  '',
  '%prep',
  '%autosetup -p1',
  '',
  '%files',
  '%{_bindir}/pkg',
  '',
].join('\n');

const files = (): Map<string, string> =>
  new Map([
    ['pkg.spec', SPEC],
    ['first.patch', 'p1\n'],
    ['0004-fix.patch', 'p4\n'],
    ['run-vmblock\\x2dfuse.mount', '[Mount]\n'],
    ['macros', 'redhat-rpm-config\n%vendor redhat\n'],
    ['conf/a.conf', 'redhat\n'],
    ['.git/config', 'redhat\n'],
  ]);
const sidecars = new Map([
  ['new.patch', 'new\n'],
  ['dist.sh', '#!/bin/sh\n'],
]);

const render = (overlays: Overlay[], spec = SPEC) => {
  const tree = files();
  tree.set('pkg.spec', spec);
  return renderComponent({ component: 'pkg', tree: { files: tree, overlayFiles: sidecars }, overlays }).files;
};
const specOf = (out: ReadonlyMap<string, string>): string => out.get('pkg.spec') ?? '';

describe('patch overlays', () => {
  it('patch-add copies the patch and numbers it after the highest Patch (bare Patch counts as 0)', () => {
    const out = render([{ type: 'patch-add', source: 'new.patch' }]);
    expect(out.get('new.patch')).toBe('new\n');
    expect(specOf(out)).toContain('Patch4:         0004-fix.patch\n\nPatch5: new.patch\n%description');
    const renamed = render([{ type: 'patch-add', source: 'new.patch', file: 'patches/0100-new.patch' }]);
    expect(renamed.get('patches/0100-new.patch')).toBe('new\n');
  });

  it('patch-add appends to %patchlist when the spec has one', () => {
    const out = render([{ type: 'patch-add', source: 'new.patch' }], `${SPEC}%patchlist\nold.patch\n`);
    expect(specOf(out).endsWith('%patchlist\nold.patch\nnew.patch\n')).toBe(true);
  });

  it('patch-add refuses an existing destination (drift) and an escaping source', () => {
    expect(() => render([{ type: 'patch-add', source: 'new.patch', file: 'first.patch' }])).toThrow(
      /already exists/,
    );
    expect(() => render([{ type: 'patch-add', source: 'a/../../x.patch' }])).toThrow(
      expect.objectContaining({ code: 'overlay.path-escape' }),
    );
  });

  it('patch-remove drops numbered Patch tags and files matching the glob', () => {
    const out = render([{ type: 'patch-remove', file: '0004-*.patch' }]);
    expect(specOf(out)).not.toContain('Patch4');
    expect(out.has('0004-fix.patch')).toBe(false);
    expect(out.has('first.patch')).toBe(true);
  });
});

describe('file overlays', () => {
  it('file-search-replace works on whole files, literally, never on .spec or .git/', () => {
    const out = render([
      { type: 'file-search-replace', file: '**/*', regex: 'redhat', replacement: '$0-azl' },
    ]);
    expect(out.get('macros')).toBe('$0-azl-rpm-config\n%vendor $0-azl\n');
    expect(out.get('conf/a.conf')).toBe('$0-azl\n');
    expect(out.get('.git/config')).toBe('redhat\n');
    expect(specOf(out).endsWith(SPEC)).toBe(true);
    const multi = render([
      { type: 'file-search-replace', file: 'macros', regex: 'config\\n%vendor', replacement: 'x' },
    ]);
    expect(multi.get('macros')).toBe('redhat-rpm-x redhat\n');
  });

  it('file-prepend-lines, file-add, file-remove', () => {
    const out = render([
      { type: 'file-prepend-lines', file: 'conf/*.conf', lines: ['# azl', '# two'] },
      { type: 'file-remove', file: 'macros' },
      { type: 'file-add', file: 'dist.sh', source: 'dist.sh' },
    ]);
    expect(out.get('conf/a.conf')).toBe('# azl\n# two\nredhat\n');
    expect(out.has('macros')).toBe(false);
    expect(out.get('dist.sh')).toBe('#!/bin/sh\n');
  });

  it('renders open-vm-tools: a literal glob with a backslash, then the Source3 update', () => {
    const out = render(fixtureOverlays('open-vm-tools'));
    expect(out.has('run-vmblock-fuse.mount.in')).toBe(true);
    expect(out.has('run-vmblock\\x2dfuse.mount')).toBe(false);
    expect(specOf(out)).toContain('\nSource3: run-vmblock-fuse.mount.in\n');
  });

  it('file-rename refuses several matches; globs that match nothing drift', () => {
    const error = (() => {
      try {
        render([{ type: 'file-rename', file: '*.patch', replacement: 'x.patch' }]);
      } catch (e) {
        return e;
      }
    })();
    expect(PipelineError.is(error, 'overlay.drift')).toBe(true);
    expect((error as PipelineError).message).toContain('does not support multiple files');
    expect(() => render([{ type: 'file-search-replace', file: 'macros', regex: 'nothing' }])).toThrow(
      /did not apply to any targets/,
    );
    expect(() => render([{ type: 'file-prepend-lines', file: '*.spec', lines: ['x'] }])).toThrow(
      /did not match any files/,
    );
  });
});
