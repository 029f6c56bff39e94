/**
 * Which provide changes matter to dependents. A soname provide (`libfoo.so.1()(64bit)`) is compared
 * exactly: a new soname is a new ABI. A versioned provide (`foo(x86-64) = 1.2-3`, `pkgconfig(foo) = 2.0`) is
 * compared by its name only: every update bumps the version, but a name that appears or disappears changes
 * what BuildRequires can resolve to. Unversioned, non-soname provides are ignored.
 */
export function abiChanges(before: readonly string[], after: readonly string[]): string[] {
  const keys = (provides: readonly string[]): Map<string, string> => {
    const map = new Map<string, string>();
    for (const provide of provides) {
      const key = abiKey(provide);
      if (key !== undefined && !map.has(key)) map.set(key, provide);
    }
    return map;
  };
  const old = keys(before);
  const now = keys(after);
  const removed = [...old].filter(([key]) => !now.has(key)).map(([, provide]) => `-${provide}`);
  const added = [...now].filter(([key]) => !old.has(key)).map(([, provide]) => `+${provide}`);
  return [...removed, ...added].sort();
}

const SONAME = /\.so(\.[^\s(]*)?\(/;

function abiKey(provide: string): string | undefined {
  const trimmed = provide.trim();
  if (SONAME.test(trimmed)) return `so:${trimmed}`;
  const versioned = /^(\S+)\s*(=|>=|<=|>|<)\s*\S+$/.exec(trimmed);
  return versioned ? `v:${versioned[1] ?? ''}` : undefined;
}
