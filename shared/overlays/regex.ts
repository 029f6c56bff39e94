import { OverlayRefused } from './overlay-signals';

/**
 * Go RE2 → JavaScript RegExp. Translated: leading inline flags `(?i)`, `(?m)`, `(?s)` (and combinations),
 * `\z` and `\A`, `\Q…\E` literals, `(?P<name>…)` groups, `\pL`-style classes and POSIX `[[:alpha:]]`
 * classes. Refused (`overlay.regex`): what RE2 does not have or JavaScript cannot express the same way —
 * lookaround, backreferences, flags other than at the very start or scoped `(?i:…)`, `(?U)`, `\C`.
 * The result is global: azldev replaces every match.
 */
const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const refuse = (pattern: string, why: string): OverlayRefused =>
  new OverlayRefused('overlay.regex', `regex ${JSON.stringify(pattern)} cannot be used: ${why}`);

const escapeLiteral = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

export function translateRegex(pattern: string): RegExp {
  let flags = 'g';
  let rest = pattern;
  const lead = /^\(\?([a-zA-Z]+)\)/.exec(rest);
  if (lead) {
    for (const flag of lead[1] ?? '') {
      if (!'ims'.includes(flag)) throw refuse(pattern, `inline flag "${flag}" has no JavaScript equivalent`);
      if (!flags.includes(flag)) flags += flag;
    }
    rest = rest.slice(lead[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i] ?? '';
    const next = rest[i + 1] ?? '';
    if (c === '\\') {
      if (!inClass && next === 'Q') {
        const end = rest.indexOf('\\E', i + 2);
        out += escapeLiteral(rest.slice(i + 2, end < 0 ? undefined : end));
        i = end < 0 ? rest.length : end + 1;
      } else if (next === 'z' && !inClass) out += '(?![\\s\\S])';
      else if (next === 'A' && !inClass) out += '(?<![\\s\\S])';
      else if (next === 'C') throw refuse(pattern, '\\C (any byte) is not supported');
      else if (/[1-9]/.test(next)) throw refuse(pattern, 'backreferences are not RE2 syntax');
      else if ((next === 'p' || next === 'P') && /[A-Za-z]/.test(rest[i + 2] ?? '')) {
        out += `\\${next}{${rest[i + 2]}}`;
        if (!flags.includes('u')) flags += 'u';
        i++;
      } else {
        if (next === 'p' || next === 'P') if (!flags.includes('u')) flags += 'u';
        out += c + next;
      }
      i++;
      continue;
    }
    if (inClass) {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(rest.slice(i));
      if (posix) {
        const range = POSIX[posix[2] ?? ''];
        if (!range || posix[1]) throw refuse(pattern, `POSIX class ${posix[0]} is not supported`);
        out += range;
        i += posix[0].length - 1;
        continue;
      }
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (next === '^') {
        out += next;
        i++;
      }
      if (rest[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && next === '?') {
      const group = rest.slice(i + 2);
      if (group.startsWith('P<')) {
        out += '(?<';
        i += 3;
      } else if (group.startsWith(':') || /^<[A-Za-z_]/.test(group)) out += c;
      else if (/^(=|!|<=|<!)/.test(group)) throw refuse(pattern, 'lookaround is not RE2 syntax');
      else throw refuse(pattern, 'inline flags are only translated at the start of the pattern');
      continue;
    }
    out += c;
  }
  try {
    return new RegExp(out, flags);
  } catch (error) {
    throw refuse(pattern, error instanceof Error ? error.message : String(error));
  }
}

/** Go `ReplaceAllLiteralString`: every match replaced by `replacement` as written (`$1` stays `$1`). */
export const replaceLiteral = (text: string, regex: RegExp, replacement: string): string =>
  text.replace(regex, () => replacement);
