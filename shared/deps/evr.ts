import { rpmvercmp } from './rpmvercmp';

/** Epoch/version/release as primary.xml prints them; a missing epoch means 0, a missing release "any". */
export interface Evr {
  epoch?: string | undefined;
  ver: string;
  rel?: string | undefined;
}

/** primary.xml's `flags` attribute; absent = unversioned. */
export type DepFlags = 'EQ' | 'LT' | 'GT' | 'LE' | 'GE';

/** A versioned dependency: the constraint half of a `<rpm:entry>` (name kept elsewhere). */
export interface VersionConstraint {
  flags: DepFlags;
  evr: Evr;
}

/** RPMSENSE bits (rpmds.h): LESS 2, GREATER 4, EQUAL 8. Stored in the index as these small integers. */
export const SENSE: Record<DepFlags, number> = { LT: 2, GT: 4, EQ: 8, LE: 10, GE: 12 };
const FLAGS_BY_SENSE = new Map<number, DepFlags>(Object.entries(SENSE).map(([k, v]) => [v, k as DepFlags]));

export function flagsOfSense(sense: number): DepFlags | undefined {
  return FLAGS_BY_SENSE.get(sense);
}

/**
 * Compares two EVRs with rpm's rules: epoch numerically (absent = 0), then version, then release with
 * rpmvercmp. As in rpm's dependency matching, the release is compared only when both sides have one.
 */
export function compareEvr(a: Evr, b: Evr): -1 | 0 | 1 {
  const ea = epochOf(a);
  const eb = epochOf(b);
  if (ea !== eb) return ea > eb ? 1 : -1;
  const v = rpmvercmp(a.ver, b.ver);
  if (v !== 0) return v;
  if (a.rel === undefined || a.rel === '' || b.rel === undefined || b.rel === '') return 0;
  return rpmvercmp(a.rel, b.rel);
}

function epochOf(evr: Evr): bigint {
  return evr.epoch === undefined || evr.epoch === '' ? 0n : BigInt(evr.epoch);
}

/**
 * Whether a provide (`sense`, `evr`) overlaps a requirement's range, as rpm's `rpmdsCompare` decides:
 * an unversioned side matches anything; otherwise the two half-open/closed ranges must intersect.
 */
export function rangesOverlap(
  provide: { sense: number; evr: Evr } | undefined,
  need: VersionConstraint | undefined,
): boolean {
  if (provide === undefined || provide.sense === 0 || need === undefined) return true;
  const p = provide.sense;
  const r = SENSE[need.flags];
  const c = compareEvr(provide.evr, need.evr);
  if (c < 0) return (p & 4) !== 0 || (r & 2) !== 0;
  if (c > 0) return (p & 2) !== 0 || (r & 4) !== 0;
  return (p & r & 14) !== 0;
}

/** `glibc-2.39-5.fc41.src.rpm` → `glibc`: drop the `.src.rpm` suffix, then release and version. */
export function sourceNameOfRpm(sourceRpm: string): string {
  const base = sourceRpm.replace(/\.(no)?src\.rpm$/, '');
  const rel = base.lastIndexOf('-');
  const ver = rel > 0 ? base.lastIndexOf('-', rel - 1) : -1;
  return ver > 0 ? base.slice(0, ver) : base;
}
