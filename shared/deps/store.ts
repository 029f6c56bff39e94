import { PipelineError } from '../errors';
import { U32Vec, groupBy } from './columns';
import { StringTable } from './string-table';
import type { Csr } from './columns';
import { SENSE } from './evr';
import { sourceNameOfRpm } from './evr';
import type { BinaryPackageRecord, DepEntry, SourcePackageRecord } from './records';

/** Set in a provide's sense column when the capability is a file path from primary's file list. */
export const FILE_BIT = 1 << 16;

/** How many distinct arches one index holds (Fedora has about ten: x86_64, noarch, i686, aarch64…). */
const ARCH_SLOTS = 128;

/** Column names of the store; every column is a Uint32 vector of string ids, indexes or flags. */
export const COLUMN_NAMES = [
  // binaries (one row per binary package; a re-added name.arch kills the old row)
  'binName',
  'binArch',
  'binEpoch',
  'binVer',
  'binRel',
  'binSrc',
  'binProvStart',
  'binProvEnd',
  'binAlive',
  // provides and file paths (rows [binProvStart, binProvEnd) of a binary)
  'provBin',
  'provName',
  'provSense',
  'provEpoch',
  'provVer',
  'provRel',
  // source packages and their BuildRequires (rows [srcReqStart, srcReqEnd) of a source)
  'srcName',
  'srcEpoch',
  'srcVer',
  'srcRel',
  'srcReqStart',
  'srcReqEnd',
  'srcAlive',
  'reqSrc',
  'reqName',
  'reqSense',
  'reqEpoch',
  'reqVer',
  'reqRel',
] as const;
export type ColumnName = (typeof COLUMN_NAMES)[number];

/**
 * The storage of the dependency index: interned strings and Uint32 columns, appended to incrementally.
 * Lookup tables (by capability, by source, by binary name) are compressed sparse rows built lazily on the
 * first query after a change, so loading 75,000 packages costs no per-key arrays.
 */
export class DepsStore {
  readonly strings: StringTable;
  readonly cols: Record<ColumnName, U32Vec>;
  /** Binary row by `nameArchKey`: a number, where a `name.arch` string would be one more object per package. */
  protected readonly binaryByNameArch = new Map<number, number>();
  /** Arches are few: each gets a slot below `ARCH_SLOTS`, in the order met. */
  private readonly archSlots = new Map<number, number>();
  protected readonly sourceByName = new Map<number, number>();
  private lookups: Partial<Record<'provByName' | 'binBySrc' | 'binByName' | 'reqByName', Csr>> = {};

  constructor(strings = new StringTable(), cols?: Record<ColumnName, U32Vec>) {
    this.strings = strings;
    this.cols =
      cols ?? (Object.fromEntries(COLUMN_NAMES.map((n) => [n, new U32Vec()])) as Record<ColumnName, U32Vec>);
    const c = this.cols;
    for (let b = 0; b < c.binName.length; b++) {
      if (c.binAlive.get(b))
        this.binaryByNameArch.set(this.nameArchKey(c.binName.get(b), c.binArch.get(b)), b);
    }
    for (let s = 0; s < c.srcName.length; s++)
      if (c.srcAlive.get(s)) this.sourceByName.set(c.srcName.get(s), s);
  }

  /** Adds or replaces (same name and arch) a binary package. */
  addBinary(pkg: BinaryPackageRecord): void {
    const c = this.cols;
    const s = this.strings;
    const name = s.intern(pkg.name);
    const arch = s.intern(pkg.arch);
    const key = this.nameArchKey(name, arch);
    const old = this.binaryByNameArch.get(key);
    if (old !== undefined) c.binAlive.set(old, 0);
    const id = c.binName.push(name);
    this.binaryByNameArch.set(key, id);
    c.binArch.push(arch);
    c.binEpoch.push(s.intern(pkg.epoch));
    c.binVer.push(s.intern(pkg.version));
    c.binRel.push(s.intern(pkg.release));
    c.binSrc.push(s.intern(sourceNameOfRpm(pkg.sourceRpm)));
    c.binAlive.push(1);
    c.binProvStart.push(c.provBin.length);
    for (const p of pkg.provides) this.pushDep('prov', id, p, 0);
    for (const f of pkg.files) this.pushDep('prov', id, { name: f }, FILE_BIT);
    c.binProvEnd.push(c.provBin.length);
    this.lookups = {};
  }

  /** Adds or replaces (same name) a source package with its BuildRequires. */
  addSource(pkg: SourcePackageRecord): void {
    const c = this.cols;
    const s = this.strings;
    const name = s.intern(pkg.name);
    const old = this.sourceByName.get(name);
    if (old !== undefined) c.srcAlive.set(old, 0);
    const id = c.srcName.push(name);
    this.sourceByName.set(name, id);
    c.srcEpoch.push(s.intern(pkg.epoch));
    c.srcVer.push(s.intern(pkg.version));
    c.srcRel.push(s.intern(pkg.release));
    c.srcAlive.push(1);
    c.srcReqStart.push(c.reqSrc.length);
    for (const r of pkg.buildRequires) this.pushDep('req', id, r, 0);
    c.srcReqEnd.push(c.reqSrc.length);
    this.lookups = {};
  }

  /** One number per (name, arch) pair of string ids, exact for name ids below 2^46. */
  private nameArchKey(name: number, arch: number): number {
    let slot = this.archSlots.get(arch);
    if (slot === undefined) {
      slot = this.archSlots.size;
      if (slot >= ARCH_SLOTS) {
        const context = { arch: this.strings.at(arch), limit: ARCH_SLOTS };
        throw PipelineError.permanent(
          'deps.too-many-arches',
          `more than ${ARCH_SLOTS} arches in one index`,
          context,
        );
      }
      this.archSlots.set(arch, slot);
    }
    return name * ARCH_SLOTS + slot;
  }

  private pushDep(kind: 'prov' | 'req', owner: number, dep: DepEntry, extra: number): void {
    const c = this.cols;
    const s = this.strings;
    (kind === 'prov' ? c.provBin : c.reqSrc).push(owner);
    c[`${kind}Name`].push(s.intern(dep.name));
    c[`${kind}Sense`].push((dep.flags === undefined ? 0 : SENSE[dep.flags]) | extra);
    c[`${kind}Epoch`].push(s.intern(dep.epoch ?? ''));
    c[`${kind}Ver`].push(s.intern(dep.ver ?? ''));
    c[`${kind}Rel`].push(s.intern(dep.rel ?? ''));
  }

  protected lookup(name: 'provByName' | 'binBySrc' | 'binByName' | 'reqByName'): Csr {
    const cached = this.lookups[name];
    if (cached) return cached;
    const c = this.cols;
    const n = this.strings.size;
    const binAlive = (b: number): boolean => c.binAlive.get(b) === 1;
    const built =
      name === 'provByName'
        ? groupBy(c.provName.view(), n, (i) => binAlive(c.provBin.get(i)))
        : name === 'reqByName'
          ? groupBy(c.reqName.view(), n, (i) => c.srcAlive.get(c.reqSrc.get(i)) === 1)
          : groupBy((name === 'binBySrc' ? c.binSrc : c.binName).view(), n, binAlive);
    this.lookups[name] = built;
    return built;
  }
}
