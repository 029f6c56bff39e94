import picomatch from 'picomatch';

/**
 * doublestar-style file globs over the sources tree (azldev `globNonSpecFiles`): `*`, `?`, `[..]`, `{a,b}`,
 * `**` = zero or more directories; dot files match like any other. A pattern with no unescaped `*?[{` is a
 * literal path, backslashes included (open-vm-tools' `run-vmblock\x2dfuse.mount`). `*.spec` files and
 * anything under `.git/` are never candidates.
 */
const hasMeta = (pattern: string): boolean => /(^|[^\\])[*?[{]/.test(pattern);

const eligible = (path: string): boolean =>
  !path.endsWith('.spec') && path !== '.git' && !path.startsWith('.git/') && !path.includes('/.git/');

export function globFiles(paths: Iterable<string>, pattern: string): string[] {
  const candidates = [...paths].filter(eligible).sort();
  if (!hasMeta(pattern)) return candidates.filter((path) => path === pattern);
  const isMatch = picomatch(pattern, { dot: true, strictSlashes: true });
  return candidates.filter((path) => isMatch(path));
}
