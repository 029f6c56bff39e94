/**
 * rpm's version comparison (`rpmvercmp`), re-implemented from its documented rules so that the index orders
 * versions the way dnf/libsolv do:
 * - strings are split into alphanumeric segments; any other character only separates segments;
 * - `~` sorts before everything, even the end of the string (`1.0~rc1` < `1.0`);
 * - `^` sorts after the end of the string but before any further segment (`1.0` < `1.0^git1` < `1.0.1`);
 * - a numeric segment beats an alphabetic one; numeric segments compare as integers (leading zeros ignored,
 *   arbitrary length); alphabetic segments compare byte-wise;
 * - when one string runs out of segments, the longer one is newer.
 * Returns -1, 0 or 1.
 */
export function rpmvercmp(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && isSeparator(a.charCodeAt(i))) i++;
    while (j < b.length && isSeparator(b.charCodeAt(j))) j++;
    const ca = a[i];
    const cb = b[j];
    if (ca === '~' || cb === '~') {
      if (ca !== '~') return 1;
      if (cb !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (ca === '^' || cb === '^') {
      if (ca === undefined) return -1;
      if (cb === undefined) return 1;
      if (ca !== '^') return 1;
      if (cb !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (ca === undefined || cb === undefined) break;
    const numeric = isDigit(a.charCodeAt(i));
    const take = numeric ? isDigit : isAlpha;
    const si = i;
    const sj = j;
    while (i < a.length && take(a.charCodeAt(i))) i++;
    while (j < b.length && take(b.charCodeAt(j))) j++;
    // The segment of `b` is of the other kind: a number is newer than letters.
    if (j === sj) return numeric ? 1 : -1;
    let sa = a.slice(si, i);
    let sb = b.slice(sj, j);
    if (numeric) {
      sa = sa.replace(/^0+/, '');
      sb = sb.replace(/^0+/, '');
      if (sa.length !== sb.length) return sa.length > sb.length ? 1 : -1;
    }
    if (sa !== sb) return sa > sb ? 1 : -1;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i < a.length ? 1 : -1;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isSeparator = (c: number): boolean => !isDigit(c) && !isAlpha(c) && c !== 126 && c !== 94;
