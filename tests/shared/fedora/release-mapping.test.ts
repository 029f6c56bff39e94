import { describe, expect, it } from 'vitest';
import { normalize, releaseFromBodhi, releaseFromBranch, releaseFromTag } from '../../../shared/fedora';
import { readFixture, wire } from './fixtures';

const none = {};
const rawhide44 = { rawhideRelease: 44 };

describe('releaseFromTag', () => {
  it.each([
    ['f43', 'f43'],
    ['f43-updates', 'f43'],
    ['f43-updates-testing', 'f43'],
    ['f43-updates-testing-pending', 'f43'],
    ['f43-updates-candidate', 'f43'],
    ['f43-signing-pending', 'f43'],
    ['f43-build-side-123456', 'f43'],
    ['f43-rebuild', 'f43'],
    ['f43-candidate', 'f43'],
    ['epel10', 'epel10'],
    ['epel10.1-testing-candidate', 'epel10.1'],
    ['epel9-candidate', 'epel9'],
    ['epel9-next-candidate', 'epel9-next'],
    ['epel8-signing-pending', 'epel8'],
    ['eln', 'eln'],
    ['eln-build', 'eln'],
    ['rawhide', 'rawhide'],
    ['module-jmc-latest-3220200311144307-089fddd9-build', undefined],
    ['trashcan', undefined],
    ['fedora-43', undefined],
    ['f43x', undefined],
  ])('%s ⇒ %s', (tag, release) => {
    expect(releaseFromTag(tag, none)).toBe(release);
  });

  it('the current rawhide number maps to rawhide only when configured', () => {
    expect(releaseFromTag('f44', none)).toBe('f44');
    expect(releaseFromTag('f44', rawhide44)).toBe('rawhide');
    expect(releaseFromTag('f44-build-side-98765', rawhide44)).toBe('rawhide');
    expect(releaseFromTag('f44-updates-candidate', rawhide44)).toBe('rawhide');
    expect(releaseFromTag('f43-updates', rawhide44)).toBe('f43');
    expect(releaseFromTag('f440', rawhide44)).toBe('f440');
  });
});

describe('releaseFromBranch and releaseFromBodhi', () => {
  it.each([
    ['rawhide', 'rawhide'],
    ['master', 'rawhide'],
    ['f43', 'f43'],
    ['epel10', 'epel10'],
    ['epel9-next', 'epel9-next'],
    ['main', undefined],
    ['private-foo', undefined],
  ])('branch %s ⇒ %s', (branch, release) => {
    expect(releaseFromBranch(branch, none)).toBe(release);
  });

  it.each([
    [{ name: 'F43' }, 'f43'],
    [{ name: 'F43C' }, 'f43'],
    [{ name: 'F43F' }, 'f43'],
    [{ name: 'EPEL-10' }, 'epel10'],
    [{ name: 'EPEL-10.1' }, 'epel10.1'],
    [{ name: 'EPEL-9N' }, 'epel9-next'],
    [{ name: 'ELN' }, 'eln'],
    [{ name: 'F44', branch: 'rawhide' }, 'rawhide'],
    [{ name: 'F29', branch: 'f29' }, 'f29'],
    [{ name: 'Something' }, undefined],
  ])('Bodhi release %j ⇒ %s', (release, expected) => {
    expect(releaseFromBodhi(release, none)).toBe(expected);
  });

  it('Bodhi F44 is rawhide when 44 is the configured rawhide release', () => {
    expect(releaseFromBodhi({ name: 'F44' }, none)).toBe('f44');
    expect(releaseFromBodhi({ name: 'F44' }, rawhide44)).toBe('rawhide');
  });
});

describe('normalize passes the option through', () => {
  it('a buildsys.tag into f44 is release f44, or rawhide with { rawhideRelease: 44 }', () => {
    const body = { ...readFixture('buildsys.tag', 1), tag: 'f44', release: '1.fc44' };
    expect(normalize(wire('buildsys.tag', body))).toMatchObject({ event: { tag: 'f44', release: 'f44' } });
    expect(normalize(wire('buildsys.tag', body), rawhide44)).toMatchObject({
      event: { tag: 'f44', release: 'rawhide' },
    });
  });
});
