import { describe, expect, it } from 'vitest';
import { componentBuildOptions, distroMacros } from '../../../shared/build/build-macros';
import { formatNevra, parseNevraLine } from '../../../shared/rpm/nevra';
import { rpmbuildArguments } from '../../../shared/build/rpmbuild-arguments';
import { PipelineError } from '../../../shared/errors';

const command = { topdir: '/w/topdir', specPath: '/w/topdir/SPECS/a.spec', with: [], without: [] };

describe('rpmbuildArguments', () => {
  it('builds -ba --nodeps in the topdir, with each macro as one --define and the bconds', () => {
    expect(
      rpmbuildArguments({
        ...command,
        macros: { dist: '.azl4', vendor: 'Microsoft Corporation', empty: '' },
        with: ['shout'],
        without: ['docs'],
      }),
    ).toEqual([
      '-ba',
      '--nodeps',
      '--define',
      '_topdir /w/topdir',
      '--define',
      '_tmppath /w/topdir/tmp',
      '--define',
      'dist .azl4',
      '--define',
      'vendor Microsoft Corporation',
      '--define',
      'empty %{nil}',
      '--with',
      'shout',
      '--without',
      'docs',
      '/w/topdir/SPECS/a.spec',
    ]);
  });

  it('refuses a macro name that is not an identifier, a multi-line value and an option-like bcond', () => {
    const attempts: { macros: Record<string, string>; with?: string[] }[] = [
      { macros: { 'a b': '1' } },
      { macros: { ok: '1\n%{lua: os.exit(1)}' } },
      { macros: {}, with: ['--eval=x'] },
    ];
    for (const attempt of attempts) {
      expect(() => rpmbuildArguments({ ...command, ...attempt })).toThrow(PipelineError);
    }
  });
});

describe('distro macros and component build options', () => {
  it('derives %dist from the release major and lets the component override and undefine macros', () => {
    expect(distroMacros('4.0')).toEqual({
      dist: '.azl4',
      vendor: 'Microsoft Corporation',
      distribution: 'Azure Linux',
    });
    const options = componentBuildOptions('4.0', {
      build: {
        defines: { rhel: '10', vendor: 'Test' },
        undefines: ['distribution'],
        with: ['a'],
        without: ['b'],
      },
    });
    expect(options).toEqual({
      macros: { dist: '.azl4', vendor: 'Test', rhel: '10' },
      with: ['a'],
      without: ['b'],
    });
  });
});

describe('NEVRAs', () => {
  it('reads rpm -qp lines: no epoch, an epoch, a source package', () => {
    const binary = parseNevraLine(
      'azl-hello-lib\t(none)\t1.0\t3.azl4\tx86_64\tazl-hello-lib-1.0-3.azl4.src.rpm',
    );
    const epoch = parseNevraLine('bash\t2\t5.2\t1.azl4\tx86_64\tbash-5.2-1.azl4.src.rpm');
    const source = parseNevraLine('azl-hello-lib\t(none)\t1.0\t3.azl4\tx86_64\t(none)');
    expect([binary, epoch, source].map((n) => (n ? formatNevra(n) : undefined))).toEqual([
      'azl-hello-lib-1.0-3.azl4.x86_64',
      'bash-2:5.2-1.azl4.x86_64',
      'azl-hello-lib-1.0-3.azl4.src',
    ]);
    expect(parseNevraLine('garbage')).toBeUndefined();
  });
});
