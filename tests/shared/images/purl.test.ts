import { describe, expect, it } from 'vitest';
import { purlEncode, rpmPurl, type RpmIdentity } from '../../../shared/images/purl';

const rpm = (overrides: Partial<RpmIdentity> = {}): RpmIdentity => ({
  name: 'curl',
  epoch: 0,
  version: '7.50.3',
  release: '1.fc25',
  arch: 'i386',
  ...overrides,
});

/**
 * A reader of the purl components the spec defines, to check what was written decodes back to the package
 * (scheme, type, namespace, name, version, qualifiers; no subpath).
 */
function readPurl(purl: string) {
  const match = /^pkg:([a-z][a-z0-9.-]*)\/([^/@?#]+)\/([^/@?#]+)@([^?#]+)(?:\?([^#]*))?$/.exec(purl);
  if (!match) throw new Error(`not a purl with namespace and version: ${purl}`);
  const [, type, namespace, name, version, query] = match;
  const qualifiers = (query ?? '').split('&').filter(Boolean);
  return {
    type,
    namespace: decodeURIComponent(namespace ?? ''),
    name: decodeURIComponent(name ?? ''),
    version: decodeURIComponent(version ?? ''),
    qualifierKeys: qualifiers.map((q) => q.slice(0, q.indexOf('='))),
    qualifiers: Object.fromEntries(
      qualifiers.map((q) => [q.slice(0, q.indexOf('=')), decodeURIComponent(q.slice(q.indexOf('=') + 1))]),
    ),
  };
}

/** The spec's permitted characters: alphanumerics, `.-_~`, `%` of an escape, and the separators. */
const PERMITTED = /^[A-Za-z0-9.\-_~%:/@?=&#]+$/;

describe('rpmPurl', () => {
  it('writes the purl spec rpm examples (their distro qualifier aside)', () => {
    expect(rpmPurl(rpm(), 'fedora')).toBe('pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386');
    expect(
      rpmPurl(
        rpm({ name: 'centerim', epoch: 1, version: '4.22.10', release: '1.el6', arch: 'i686' }),
        'fedora',
      ),
    ).toBe('pkg:rpm/fedora/centerim@4.22.10-1.el6?arch=i686&epoch=1');
  });

  it('uses the azurelinux namespace by default and lower-cases a vendor', () => {
    expect(rpmPurl(rpm({ arch: 'x86_64' }))).toBe('pkg:rpm/azurelinux/curl@7.50.3-1.fc25?arch=x86_64');
    expect(rpmPurl(rpm(), 'Fedora')).toBe('pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386');
  });

  it('writes the epoch only when it is not 0, after arch (qualifiers sorted by key)', () => {
    expect(readPurl(rpmPurl(rpm({ epoch: 0 }))).qualifierKeys).toEqual(['arch']);
    expect(readPurl(rpmPurl(rpm({ epoch: 12 }))).qualifierKeys).toEqual(['arch', 'epoch']);
    expect(readPurl(rpmPurl(rpm({ epoch: 12 }))).qualifiers).toEqual({ arch: 'i386', epoch: '12' });
  });

  it('percent-encodes what the spec does not keep and decodes back to the package', () => {
    const odd = rpm({
      name: 'gcc-c++',
      version: '2.06^git20240101',
      release: '9~rc1.azl3',
      arch: 'x86_64',
      epoch: 1,
    });
    const purl = rpmPurl(odd);
    expect(purl).toBe('pkg:rpm/azurelinux/gcc-c%2B%2B@2.06%5Egit20240101-9~rc1.azl3?arch=x86_64&epoch=1');
    expect(purl).toMatch(PERMITTED);
    expect(readPurl(purl)).toMatchObject({
      type: 'rpm',
      namespace: 'azurelinux',
      name: 'gcc-c++',
      version: '2.06^git20240101-9~rc1.azl3',
      qualifiers: { arch: 'x86_64', epoch: '1' },
    });
  });

  it('encodes a non-ASCII character as its UTF-8 octets', () => {
    const purl = rpmPurl(rpm({ name: 'perl-Ünicode', release: '1 2' }));
    expect(purl).toMatch(PERMITTED);
    expect(purl).toContain('perl-%C3%9Cnicode');
    expect(purl).toContain('@7.50.3-1%202');
    expect(readPurl(purl).name).toBe('perl-Ünicode');
  });
});

describe('purlEncode', () => {
  it('keeps alphanumerics, `.-_~` and the colon, and escapes the separators otherwise', () => {
    expect(purlEncode('Az09.-_~:')).toBe('Az09.-_~:');
    expect(purlEncode('a/b@c?d=e&f#g+h%i j')).toBe('a%2Fb%40c%3Fd%3De%26f%23g%2Bh%25i%20j');
  });
});
