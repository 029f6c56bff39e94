import { describe, expect, it } from 'vitest';
import { canonicalSpdxExpression, licenseRefsOf } from '../../../shared/images/spdx-license-expression';
import { SPDX_EXCEPTION_IDS, SPDX_LICENSE_IDS } from '../../../shared/images/spdx-license-list';

describe('canonicalSpdxExpression', () => {
  it.each([
    ['MIT', 'MIT'],
    ['GPL-2.0-or-later', 'GPL-2.0-or-later'],
    ['Apache-2.0+', 'Apache-2.0+'],
    ['GPL-2.0+', 'GPL-2.0+'],
    ['MIT AND (Apache-2.0 OR BSD-3-Clause)', 'MIT AND (Apache-2.0 OR BSD-3-Clause)'],
    ['GPL-3.0-or-later WITH GCC-exception-3.1', 'GPL-3.0-or-later WITH GCC-exception-3.1'],
    [
      '(LGPL-2.1-or-later OR MIT) AND (GPL-2.0-only WITH Linux-syscall-note)',
      '(LGPL-2.1-or-later OR MIT) AND (GPL-2.0-only WITH Linux-syscall-note)',
    ],
    ['LicenseRef-Fedora-Public-Domain', 'LicenseRef-Fedora-Public-Domain'],
    ['((MIT))', '((MIT))'],
  ])('keeps %s', (text, expected) => {
    expect(canonicalSpdxExpression(text)).toBe(expected);
  });

  it('spells ids as the list does and normalises whitespace, keeping the structure', () => {
    expect(canonicalSpdxExpression('mit')).toBe('MIT');
    expect(canonicalSpdxExpression('  gpl-2.0-ONLY   WITH  linux-SYSCALL-note ')).toBe(
      'GPL-2.0-only WITH Linux-syscall-note',
    );
    expect(canonicalSpdxExpression('( MIT OR\tISC )AND Zlib')).toBe('(MIT OR ISC) AND Zlib');
  });

  it.each([
    ['', 'empty'],
    ['GPLv2+', 'a Callaway name'],
    ['GPLv2+ and BSD', 'Callaway names and a lower-case operator'],
    ['MIT and Apache-2.0', 'a lower-case operator between SPDX ids'],
    ['BSD', 'a name that is no SPDX id'],
    ['MIT AND', 'a trailing operator'],
    ['OR MIT', 'a leading operator'],
    ['MIT Apache-2.0', 'two ids without an operator'],
    ['(MIT OR Apache-2.0', 'an unclosed parenthesis'],
    ['MIT OR Apache-2.0)', 'a stray closing parenthesis'],
    ['()', 'empty parentheses'],
    ['MIT WITH Apache-2.0', 'a license where an exception belongs'],
    ['Classpath-exception-2.0', 'an exception where a license belongs'],
    ['MIT WITH', 'WITH and nothing'],
    ['LicenseRef-', 'a LicenseRef without an idstring'],
    ['LicenseRef-a_b', 'a LicenseRef with a character idstrings do not allow'],
    ['LicenseRef-X+', 'or-later on a LicenseRef'],
    ['MIT++', 'a doubled plus'],
    ['NOASSERTION', 'NOASSERTION, which is no license'],
    [
      'DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2',
      'a license of another SPDX document, which no RPM names',
    ],
  ])('refuses %j (%s)', (text) => {
    expect(canonicalSpdxExpression(text)).toBeUndefined();
  });
});

describe('licenseRefsOf', () => {
  it('lists the LicenseRef ids of an expression once each, sorted', () => {
    expect(
      licenseRefsOf('LicenseRef-Zed AND (MIT OR LicenseRef-Fedora-Public-Domain) AND LicenseRef-Zed'),
    ).toEqual(['LicenseRef-Fedora-Public-Domain', 'LicenseRef-Zed']);
    expect(licenseRefsOf('MIT OR Apache-2.0')).toEqual([]);
  });
});

describe('the bundled SPDX License List', () => {
  it('holds the ids Fedora packages use, deprecated ones too, and the common exceptions', () => {
    for (const id of [
      'MIT',
      'Apache-2.0',
      'GPL-2.0-only',
      'LGPL-2.1-or-later',
      'Zlib',
      'BSD-3-Clause',
      'GPL-2.0',
    ]) {
      expect(SPDX_LICENSE_IDS).toContain(id);
    }
    for (const id of ['GCC-exception-3.1', 'Linux-syscall-note', 'Classpath-exception-2.0']) {
      expect(SPDX_EXCEPTION_IDS).toContain(id);
    }
  });

  it('is sorted and has each id once, and licenses and exceptions do not overlap', () => {
    for (const list of [SPDX_LICENSE_IDS, SPDX_EXCEPTION_IDS]) {
      expect([...list].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(list);
      expect(new Set(list.map((id) => id.toLowerCase())).size).toBe(list.length);
    }
    const licenses = new Set(SPDX_LICENSE_IDS.map((id) => id.toLowerCase()));
    expect(SPDX_EXCEPTION_IDS.filter((id) => licenses.has(id.toLowerCase()))).toEqual([]);
  });
});
