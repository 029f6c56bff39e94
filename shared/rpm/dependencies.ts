import { PipelineError } from '../errors';
import type { HeaderStructure } from './header-structure';
import { Tag } from './tags';

/** An `[E:]V[-R]` split the way createrepo_c splits it (`cr_str_to_evr`); all null for an empty string. */
export interface SplitEvr {
  /** `'0'` when the string has no numeric epoch; null when the epoch is not numeric (createrepo_c skips those). */
  epoch: string | null;
  version: string | null;
  release: string | null;
}

/** One dependency as stored in the header: name, raw RPMSENSE flags, the raw version string and its split. */
export interface RpmDependency {
  name: string;
  flags: number;
  version: string;
  evr: SplitEvr;
}

export type DependencyKind =
  | 'provides'
  | 'requires'
  | 'conflicts'
  | 'obsoletes'
  | 'recommends'
  | 'suggests'
  | 'supplements'
  | 'enhances';

/** The name, flags and version tags of each kind. */
const DEPENDENCY_TAGS: Record<DependencyKind, readonly [number, number, number]> = {
  provides: [Tag.PROVIDENAME, Tag.PROVIDEFLAGS, Tag.PROVIDEVERSION],
  requires: [Tag.REQUIRENAME, Tag.REQUIREFLAGS, Tag.REQUIREVERSION],
  conflicts: [Tag.CONFLICTNAME, Tag.CONFLICTFLAGS, Tag.CONFLICTVERSION],
  obsoletes: [Tag.OBSOLETENAME, Tag.OBSOLETEFLAGS, Tag.OBSOLETEVERSION],
  recommends: [Tag.RECOMMENDNAME, Tag.RECOMMENDFLAGS, Tag.RECOMMENDVERSION],
  suggests: [Tag.SUGGESTNAME, Tag.SUGGESTFLAGS, Tag.SUGGESTVERSION],
  supplements: [Tag.SUPPLEMENTNAME, Tag.SUPPLEMENTFLAGS, Tag.SUPPLEMENTVERSION],
  enhances: [Tag.ENHANCENAME, Tag.ENHANCEFLAGS, Tag.ENHANCEVERSION],
};

export const DEPENDENCY_KINDS = Object.keys(DEPENDENCY_TAGS) as DependencyKind[];

/** Reads one kind; the three parallel arrays must have the same length (else `rpm.corrupt-header`). */
export function readDependencies(header: HeaderStructure, kind: DependencyKind): RpmDependency[] {
  const [nameTag, flagsTag, versionTag] = DEPENDENCY_TAGS[kind];
  const names = header.stringArray(nameTag);
  if (names.length === 0) return [];
  const flags = header.numbers(flagsTag);
  const versions = header.stringArray(versionTag);
  if (flags.length !== names.length || versions.length !== names.length)
    throw PipelineError.permanent(
      'rpm.corrupt-header',
      `${kind}: ${names.length} names but ${flags.length} flags and ${versions.length} versions`,
      { component: 'rpm', header: 'main', tag: nameTag, offset: header.start },
    );
  return names.map((name, i) => {
    const version = versions[i] ?? '';
    return { name, flags: flags[i] ?? 0, version, evr: splitEvr(version) };
  });
}

/**
 * `E:V-R` → parts: the epoch is what precedes the first `:` when it is all digits (else null), `'0'` without
 * a `:`; the release is what follows the first `-` after the epoch (null when nothing follows).
 */
export function splitEvr(text: string): SplitEvr {
  if (text === '') return { epoch: null, version: null, release: null };
  const colon = text.indexOf(':');
  let epoch: string | null = '0';
  if (colon >= 0) {
    const digits = text.slice(0, colon);
    epoch = digits === '' ? '0' : /^\s*[+-]?\d+$/.test(digits) ? digits : null;
  }
  const rest = text.slice(colon + 1);
  const dash = rest.indexOf('-');
  if (dash < 0) return { epoch, version: rest, release: null };
  const release = rest.slice(dash + 1);
  return { epoch, version: rest.slice(0, dash), release: release === '' ? null : release };
}
