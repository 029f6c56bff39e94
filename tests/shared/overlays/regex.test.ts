import { describe, expect, it } from 'vitest';
import { translateRegex } from '../../../shared/overlays';
import { replaceLiteral } from '../../../shared/overlays/regex';

const refused = (pattern: string): unknown => {
  try {
    translateRegex(pattern);
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('Go RE2 → JavaScript', () => {
  it('translates leading inline flags', () => {
    expect(translateRegex('(?m)^').flags).toBe('gm');
    expect(translateRegex('(?is)a.b').test('A\nB')).toBe(true);
    expect(replaceLiteral('a\nb\n', translateRegex('(?m)^'), '#')).toBe('#a\n#b\n#');
  });

  it('translates \\z, \\A, \\Q…\\E, (?P<name>), POSIX classes and \\pL', () => {
    expect(replaceLiteral('ab\n', translateRegex('\\n\\z'), '')).toBe('ab');
    expect(translateRegex('(?m)\\Ab').test('a\nb')).toBe(false);
    expect(translateRegex('\\Qa.b*\\E').test('a.b*')).toBe(true);
    expect(translateRegex('\\Qa.b*\\E').test('axb')).toBe(false);
    expect(translateRegex('(?P<v>\\d+)').exec('v12')?.groups?.v).toBe('12');
    expect(translateRegex('^[[:digit:]]+[[:space:]]$').test('42 ')).toBe(true);
    expect(translateRegex('\\pL+').test('é')).toBe(true);
    expect(translateRegex('[]a]').test(']')).toBe(true);
  });

  it('keeps the single-quoted TOML escapes the Azure Linux tree uses', () => {
    expect(
      translateRegex('^BuildRequires:\\s+setup >= 2\\.15\\.0-3$').test('BuildRequires:  setup >= 2.15.0-3'),
    ).toBe(true);
  });

  it('refuses what RE2 or JavaScript cannot express the same way', () => {
    for (const pattern of ['(?<=a)b', '(?!a)', '(a)\\1', 'a(?i)b', '(?U)a+', '(?i:a)b', '\\C', '(']) {
      expect(refused(pattern)).toMatchObject({ code: 'overlay.regex' });
    }
  });

  it('replaces literally: $1 and $& stay as written', () => {
    expect(replaceLiteral('abc', translateRegex('(b)'), '$1$&')).toBe('a$1$&c');
  });
});
