import { rowOf } from './columns';
import { StringTable } from './string-table';
import { flagsOfSense, rangesOverlap } from './evr';
import type { Evr, VersionConstraint } from './evr';
import type { DepEntry, ProvidedCapability } from './records';
import { decodeIndex, encodeIndex } from './serialize';
import { DepsStore, FILE_BIT } from './store';

/**
 * The dependency index: which source builds which binaries, who provides a capability, and which sources
 * BuildRequire what. Names in and out are plain strings; storage is interned (see DepsStore).
 */
export class DepsIndex extends DepsStore {
  /** The compact, versioned form (see serialize.ts), readable by `DepsIndex.deserialize`. */
  serialize(): Buffer {
    return encodeIndex(this.strings.toArray(), this.cols);
  }

  /** Reads `serialize()` output; a corrupt or foreign buffer is a permanent `deps.malformed`. */
  static deserialize(buf: Buffer): DepsIndex {
    const { strings, cols } = decodeIndex(buf);
    return new DepsIndex(new StringTable(strings), cols);
  }

  /** The source package name of a binary package (any arch), or undefined when unknown. */
  sourceOfBinary(name: string): string | undefined {
    const id = this.strings.lookup(name);
    if (id === undefined) return undefined;
    const first = rowOf(this.lookup('binByName'), id)[0];
    return first === undefined ? undefined : this.strings.at(this.cols.binSrc.get(first));
  }

  /** Names of the binary packages built from a source package, sorted, one per name across arches. */
  binariesOfSource(src: string): string[] {
    const id = this.strings.lookup(src);
    if (id === undefined) return [];
    const names = new Set<string>();
    for (const b of rowOf(this.lookup('binBySrc'), id)) names.add(this.strings.at(this.cols.binName.get(b)));
    return [...names].sort();
  }

  /** Binary packages providing `capability` (a name, soname or file path) within `constraint`, sorted. */
  whatProvides(capability: string, constraint?: VersionConstraint): string[] {
    const id = this.strings.lookup(capability);
    if (id === undefined) return [];
    const names = new Set<string>();
    for (const p of rowOf(this.lookup('provByName'), id)) {
      if (rangesOverlap(this.provide(p), constraint))
        names.add(this.strings.at(this.cols.binName.get(this.cols.provBin.get(p))));
    }
    return [...names].sort();
  }

  /** The BuildRequires of a source package as listed in the source repository. */
  buildRequiresOf(src: string): DepEntry[] {
    const id = this.strings.lookup(src);
    const s = id === undefined ? undefined : this.sourceByName.get(id);
    if (s === undefined) return [];
    const out: DepEntry[] = [];
    for (let r = this.cols.srcReqStart.get(s); r < this.cols.srcReqEnd.get(s); r++)
      out.push(this.entry('req', r));
    return out;
  }

  /**
   * Source packages with a BuildRequire that a binary of `src` satisfies (name and version range), sorted.
   * `src` itself is left out: a package building with its own previous build is no reason to rebuild it.
   */
  reverseBuildDependents(src: string): string[] {
    const id = this.strings.lookup(src);
    if (id === undefined) return [];
    const c = this.cols;
    const reqByName = this.lookup('reqByName');
    const found = new Set<number>();
    for (const b of rowOf(this.lookup('binBySrc'), id)) {
      for (let p = c.binProvStart.get(b); p < c.binProvEnd.get(b); p++) {
        const provide = this.provide(p);
        for (const r of rowOf(reqByName, c.provName.get(p))) {
          const owner = c.reqSrc.get(r);
          if (found.has(owner)) continue;
          if (rangesOverlap(provide, this.constraint(r))) found.add(owner);
        }
      }
    }
    const names = [...found].map((s) => this.strings.at(c.srcName.get(s))).filter((n) => n !== src);
    return names.sort();
  }

  /**
   * Like `reverseBuildDependents`, with the BuildRequire entries of each dependent that a binary of `src`
   * satisfies, found in the same pass (no second resolution), in source-name then listing order.
   */
  reverseBuildRequires(src: string): { source: string; require: DepEntry }[] {
    const id = this.strings.lookup(src);
    if (id === undefined) return [];
    const c = this.cols;
    const reqByName = this.lookup('reqByName');
    const matched = new Set<number>();
    for (const b of rowOf(this.lookup('binBySrc'), id)) {
      for (let p = c.binProvStart.get(b); p < c.binProvEnd.get(b); p++) {
        const provide = this.provide(p);
        for (const r of rowOf(reqByName, c.provName.get(p))) {
          if (!matched.has(r) && rangesOverlap(provide, this.constraint(r))) matched.add(r);
        }
      }
    }
    const out: { source: string; require: DepEntry; row: number }[] = [];
    for (const r of matched) {
      const source = this.strings.at(c.srcName.get(c.reqSrc.get(r)));
      if (source !== src) out.push({ source, require: this.entry('req', r), row: r });
    }
    out.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.row - b.row));
    return out.map(({ source, require }) => ({ source, require }));
  }

  /** What the binaries of `src` provide (file paths only when asked), for ABI diffing between builds. */
  providesOf(src: string, options: { files?: boolean } = {}): ProvidedCapability[] {
    const id = this.strings.lookup(src);
    if (id === undefined) return [];
    const c = this.cols;
    const out: ProvidedCapability[] = [];
    for (const b of rowOf(this.lookup('binBySrc'), id)) {
      for (let p = c.binProvStart.get(b); p < c.binProvEnd.get(b); p++) {
        const file = (c.provSense.get(p) & FILE_BIT) !== 0;
        if (file && !options.files) continue;
        out.push({ ...this.entry('prov', p), binary: this.strings.at(c.binName.get(b)), file });
      }
    }
    return out;
  }

  private evr(kind: 'prov' | 'req', row: number): Evr {
    const c = this.cols;
    const rel = this.strings.at(c[`${kind}Rel`].get(row));
    return {
      epoch: this.strings.at(c[`${kind}Epoch`].get(row)),
      ver: this.strings.at(c[`${kind}Ver`].get(row)),
      rel,
    };
  }

  private provide(p: number): { sense: number; evr: Evr } | undefined {
    const sense = this.cols.provSense.get(p) & 0xffff;
    return sense === 0 ? undefined : { sense, evr: this.evr('prov', p) };
  }

  private constraint(r: number): VersionConstraint | undefined {
    const flags = flagsOfSense(this.cols.reqSense.get(r));
    return flags === undefined ? undefined : { flags, evr: this.evr('req', r) };
  }

  private entry(kind: 'prov' | 'req', row: number): DepEntry {
    const flags = flagsOfSense(this.cols[`${kind}Sense`].get(row) & 0xffff);
    const name = this.strings.at(this.cols[`${kind}Name`].get(row));
    if (flags === undefined) return { name };
    const evr = this.evr(kind, row);
    return { name, flags, epoch: evr.epoch, ver: evr.ver, ...(evr.rel ? { rel: evr.rel } : {}) };
  }
}
