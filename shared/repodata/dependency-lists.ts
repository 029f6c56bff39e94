import { rpmvercmp } from '../deps/rpmvercmp';
import type { RpmDependency, RpmPackage } from '../rpm';
import { Sense } from '../rpm';
import { isPrimaryFile } from './primary-files';

export type DepFlag = 'LT' | 'GT' | 'EQ' | 'LE' | 'GE';

/** One `<rpm:entry>` as primary.xml prints it. */
export interface DepEntry {
  name: string;
  flags: DepFlag | null;
  epoch: string | null;
  ver: string | null;
  rel: string | null;
  pre: boolean;
}

/** The dependency lists of primary.xml, in the order createrepo_c prints them. */
export interface PrimaryDependencies {
  provides: DepEntry[];
  requires: DepEntry[];
  conflicts: DepEntry[];
  obsoletes: DepEntry[];
  suggests: DepEntry[];
  enhances: DepEntry[];
  recommends: DepEntry[];
  supplements: DepEntry[];
}

export const PRIMARY_DEPENDENCY_ORDER: readonly (keyof PrimaryDependencies)[] = [
  'provides',
  'requires',
  'conflicts',
  'obsoletes',
  'suggests',
  'enhances',
  'recommends',
  'supplements',
];

const FLAG_NAMES: Partial<Record<number, DepFlag>> = { 2: 'LT', 4: 'GT', 8: 'EQ', 10: 'LE', 12: 'GE' };
const PRE_BITS = Sense.PREREQ | Sense.SCRIPT_PRE | Sense.SCRIPT_POST;

/** `cr_flag_to_str`: the comparison bits only; any other combination prints no flags. */
export const flagName = (flags: number): DepFlag | null => FLAG_NAMES[flags & 0xf] ?? null;

/**
 * The dependency lists with createrepo_c 0.17's rules (`src/parsehdr.c`): a dependency whose version has a
 * non-numeric epoch is skipped; requires drop `rpmlib(…)`, file requires the package ships as a primary file,
 * requires equal (name, flags, version) to one of its provides, and a repeat of the previous require of the
 * same name with the same flags, version and `pre`; `pre` = PREREQ, SCRIPT_PRE or SCRIPT_POST;
 * MISSINGOK requires become recommends (createrepo_c built with legacy weak deps, as Debian's and Fedora's
 * are); of the `libc.so.6…` requires only the highest is kept, printed last.
 */
export function primaryDependencies(pkg: RpmPackage): PrimaryDependencies {
  const deps = pkg.dependencies;
  const entry = (dep: RpmDependency, pre = false): DepEntry => ({
    name: dep.name,
    flags: flagName(dep.flags),
    epoch: dep.evr.epoch,
    ver: dep.evr.version,
    rel: dep.evr.release,
    pre,
  });
  const valid = (dep: RpmDependency) => dep.name !== '' && (dep.version === '' || dep.evr.epoch !== null);
  const plain = (list: RpmDependency[]) => list.filter(valid).map((dep) => entry(dep));
  const provided = new Set(deps.provides.filter(valid).map(identity));
  const files = new Set(pkg.files.map((f) => f.path));
  const requires: DepEntry[] = [];
  const missingOk: DepEntry[] = [];
  const lastByName = new Map<string, DepEntry & { version: string }>();
  let libc: RpmDependency | undefined;
  for (const dep of deps.requires) {
    if (dep.name.startsWith('rpmlib(')) continue;
    if (dep.name.startsWith('/') && files.has(dep.name) && isPrimaryFile(dep.name)) continue;
    if (provided.has(identity(dep))) continue;
    const pre = (dep.flags & PRE_BITS) !== 0;
    const previous = lastByName.get(dep.name);
    if (
      previous &&
      previous.flags === flagName(dep.flags) &&
      previous.version === dep.version &&
      previous.pre === pre
    )
      continue;
    if (!valid(dep)) continue;
    if (dep.flags & Sense.MISSINGOK) {
      missingOk.push(entry(dep));
      continue;
    }
    if (dep.name.startsWith('libc.so.6')) {
      if (!libc || compareLibcRequire(libc.name, dep.name) === 2) libc = dep;
      continue;
    }
    const made = entry(dep, pre);
    requires.push(made);
    lastByName.set(dep.name, { ...made, version: dep.version });
  }
  if (libc) requires.push(entry(libc, (libc.flags & PRE_BITS) !== 0));
  return {
    provides: plain(deps.provides),
    requires,
    conflicts: plain(deps.conflicts),
    obsoletes: plain(deps.obsoletes),
    suggests: plain(deps.suggests),
    enhances: plain(deps.enhances),
    recommends: [...missingOk, ...plain(deps.recommends)],
    supplements: plain(deps.supplements),
  };
}

const identity = (dep: RpmDependency) => `${dep.name}\u0000${flagName(dep.flags) ?? ''}\u0000${dep.version}`;

/**
 * createrepo_c's `cr_compare_dependency` for two `libc.so.6…` names: 0 same, 1 first bigger, 2 second
 * bigger, comparing (with rpmvercmp) what is inside the first parentheses from its first digit on.
 */
export function compareLibcRequire(first: string, second: string): 0 | 1 | 2 {
  const open1 = first.indexOf('(');
  const open2 = second.indexOf('(');
  if (open1 < 0 && open2 < 0) return 0;
  if (open1 < 0) return 2;
  if (open2 < 0) return 1;
  const close1 = first.indexOf(')', open1);
  const close2 = second.indexOf(')', open2);
  if (close1 < 0 && close2 < 0) return 0;
  if (close1 < 0) return 2;
  if (close2 < 0) return 1;
  const inner1 = first.slice(open1 + 1, close1);
  const inner2 = second.slice(open2 + 1, close2);
  if (inner1 === '' && inner2 === '') return 0;
  if (inner1 === '') return 2;
  if (inner2 === '') return 1;
  const digit1 = inner1.search(/\d/);
  const digit2 = inner2.search(/\d/);
  if (digit1 < 0 && digit2 < 0) return 0;
  if (digit1 < 0) return 2;
  if (digit2 < 0) return 1;
  const order = rpmvercmp(inner1.slice(digit1), inner2.slice(digit2));
  return order === 0 ? 0 : order > 0 ? 1 : 2;
}
