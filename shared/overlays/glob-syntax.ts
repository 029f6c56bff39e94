/**
 * Whether a doublestar glob is well formed, by the rules of doublestar's `ValidatePattern` (the check azldev
 * runs on `patch-remove` patterns at load): a `\` escapes the next byte and may not end the pattern; a `[`
 * class needs a closing `]` and at least one member (`[]`, `[!]`, `[^]` are refused); every `{` needs its
 * `}` and a `}` needs an open `{`. Nothing else is checked: `*`, `**` and `?` are always valid.
 */
export function isValidGlob(pattern: string): boolean {
  let openAlternatives = 0;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') {
      i++;
      if (i >= pattern.length) return false;
    } else if (char === '[') {
      const end = classEnd(pattern, i + 1);
      if (end < 0) return false;
      i = end;
    } else if (char === '{') {
      openAlternatives++;
    } else if (char === '}') {
      if (openAlternatives === 0) return false;
      openAlternatives--;
    }
  }
  return openAlternatives === 0;
}

/** Index of the `]` closing a class whose body starts at `start`, or -1 (unclosed or empty class). */
function classEnd(pattern: string, start: number): number {
  let i = start;
  if (pattern[i] === '^' || pattern[i] === '!') i++;
  if (i >= pattern.length || pattern[i] === ']') return -1;
  for (; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']') return i;
  }
  return -1;
}
